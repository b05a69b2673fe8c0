/**
 * A runner emulation: runs the bundled action the way the GitHub Actions runner runs a node action.
 * Each step is `node dist/<main|post>.js` with cwd = GITHUB_WORKSPACE, inputs as INPUT_* (hyphens
 * kept, action.yml defaults filled in), fresh GITHUB_OUTPUT/STATE/ENV/PATH/STEP_SUMMARY files,
 * state handed to the post step as STATE_*, GITHUB_ENV and GITHUB_PATH carried to later steps,
 * and post steps that run at the end of the job even when main failed.
 */
import { spawn } from 'node:child_process'
import {
  lchownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync
} from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { JOB_ACTOR } from '../fakes/collaborators.js'
import { parseCommandFile, parseWorkflowCommands, type Annotation } from './command-files.js'
import { actionNode, REPO_ROOT, scratchDir } from './paths.js'

export interface StepResult {
  readonly name: string
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
  readonly outputs: Record<string, string>
  readonly state: Record<string, string>
  readonly exportedEnv: Record<string, string>
  readonly summary: string
  readonly annotations: Annotation[]
  /** Values registered with ::add-mask:: (the runner would hide them in the log). */
  readonly masks: string[]
  /** Everything the step printed or wrote except the add-mask commands themselves. */
  readonly visibleText: string
  /**
   * The same, with the log as the runner shows it: each line with the values masked before it
   * replaced by ***. Only meaningful where masked tokens may be printed (RUST_LOG=trace).
   */
  readonly maskedText: string
  /** Whether Codex may print tokens here (its debug or trace logging is on): then masks count. */
  readonly tracing: boolean
}

interface ActionYaml {
  inputs?: Record<string, { default?: string }>
  runs: { main: string; post?: string }
}

export interface JobOptions {
  /** Environment of the job (like `env:` at job level), on top of the runner's own variables. */
  readonly env?: Record<string, string>
  /** The runner's own variables to override (RUNNER_ENVIRONMENT, GITHUB_REF, ...). */
  readonly runner?: Record<string, string>
  /** Values of the expressions used in action.yml defaults, e.g. { 'github.token': 'x' }. */
  readonly expressions?: Record<string, string>
  /** A directory that survives between jobs (a persistent runner's disk); fresh when absent. */
  readonly root?: string
  /**
   * Run every step as an unprivileged user (nobody), so that file permissions apply: root bypasses
   * them. When the tests do not run as root, steps already run unprivileged.
   */
  readonly unprivileged?: boolean
  /** The checkout whose action.yml and dist/ this job runs; ACTION_UNDER_TEST or this repo if absent. */
  readonly actionRoot?: string
  /** Applied to the inputs of every `uses:` step before defaults are filled in. */
  readonly transformInputs?: (inputs: Record<string, string>) => Record<string, string>
}

/**
 * The action under test: this repository, or another checkout of it (ACTION_UNDER_TEST), to show
 * that a test fails on an earlier release.
 */
const ACTION_ROOT = process.env.ACTION_UNDER_TEST ?? REPO_ROOT

let jobCounter = 0

/** The job's GITHUB_TOKEN, unless a test gives another through `expressions`. */
export const JOB_TOKEN = 'ghs_emulatedJobToken0000000000000000'

/**
 * The job's GITHUB_ACTOR, unless a test gives another through `runner`: every REST fake knows it
 * as an admin, so the action's actor check passes wherever GITHUB_API_URL points at one.
 */
export { JOB_ACTOR }

export class Job {
  readonly root: string
  readonly workspace: string
  readonly home: string
  private readonly runnerEnv: Record<string, string>
  private readonly jobEnv: Record<string, string>
  private readonly extraPath: string[] = []
  private readonly pendingPosts: {
    name: string
    inputs: Record<string, string>
    state: Record<string, string>
  }[] = []
  private readonly action: ActionYaml
  readonly results: StepResult[] = []
  private readonly actionRoot: string

  constructor(private readonly options: JobOptions = {}) {
    this.actionRoot = options.actionRoot ?? ACTION_ROOT
    this.root = options.root ?? scratchDir('job')
    this.workspace = path.join(this.root, 'workspace')
    this.home = path.join(this.root, 'home')
    const temp = scratchDir('runner-temp')
    for (const dir of [this.workspace, this.home]) mkdirSync(dir, { recursive: true })
    const eventPath = path.join(temp, 'event.json')
    writeFileSync(
      eventPath,
      JSON.stringify({ repository: { default_branch: 'main', full_name: 'acme/widgets' } })
    )
    this.action = parseYaml(
      readFileSync(path.join(this.actionRoot, 'action.yml'), 'utf8')
    ) as ActionYaml
    jobCounter++
    this.runnerEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.home,
      LANG: 'C.UTF-8',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: this.workspace,
      GITHUB_REPOSITORY: 'acme/widgets',
      GITHUB_REPOSITORY_OWNER: 'acme',
      GITHUB_ACTOR: JOB_ACTOR,
      GITHUB_TRIGGERING_ACTOR: JOB_ACTOR,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_RUN_ID: String(1000 + jobCounter),
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: 'codex',
      GITHUB_SERVER_URL: 'https://github.com',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'emulated-runner',
      RUNNER_ENVIRONMENT: 'self-hosted',
      RUNNER_TEMP: temp,
      RUNNER_TOOL_CACHE: path.join(this.root, 'tool-cache'),
      ...options.runner
    }
    this.jobEnv = { ...options.env }
    if (this.options.unprivileged && isRoot()) {
      for (const dir of [this.root, temp]) chownTree(dir, NOBODY)
    }
  }

  /** RUNNER_TEMP of this job. */
  get temp(): string {
    return this.runnerEnv.RUNNER_TEMP!
  }

  /** The uid and gid the steps run as. */
  get user(): { uid: number; gid: number } {
    return this.options.unprivileged && isRoot()
      ? NOBODY
      : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 }
  }

  /** Makes a file or directory the test created belong to the job's user. */
  give(target: string): void {
    if (this.options.unprivileged && isRoot()) chownTree(target, NOBODY)
  }

  /** A `uses: ./` step: runs main now and registers post for the end of the job. */
  async runAction(
    inputs: Record<string, string> = {},
    name = 'codex-auth-action'
  ): Promise<StepResult> {
    const fullInputs = this.withDefaults(this.options.transformInputs?.(inputs) ?? inputs)
    const result = await this.runNode(`${name} (main)`, this.action.runs.main, fullInputs, {})
    if (this.action.runs.post)
      this.pendingPosts.push({ name, inputs: fullInputs, state: result.state })
    return result
  }

  /** A `run:` step: a command with the job's environment (GITHUB_ENV and GITHUB_PATH applied). */
  async runCommand(command: string, args: string[], name = command): Promise<StepResult> {
    return this.runProcess(name, command, args, {})
  }

  /** The end of the job: post steps in reverse order, whatever happened before. */
  async finish(): Promise<StepResult[]> {
    const posts: StepResult[] = []
    while (this.pendingPosts.length > 0) {
      const { name, inputs, state } = this.pendingPosts.pop()!
      const stateEnv = Object.fromEntries(
        Object.entries(state).map(([key, value]) => [`STATE_${key}`, value])
      )
      posts.push(await this.runNode(`${name} (post)`, this.action.runs.post!, inputs, stateEnv))
    }
    return posts
  }

  private withDefaults(inputs: Record<string, string>): Record<string, string> {
    const all: Record<string, string> = {}
    for (const [name, spec] of Object.entries(this.action.inputs ?? {})) {
      if (spec.default !== undefined) all[name] = this.evaluate(String(spec.default))
    }
    for (const name of Object.keys(inputs)) {
      if (!(name in (this.action.inputs ?? {})))
        throw new Error(`action.yml declares no input '${name}'`)
    }
    return { ...all, ...inputs }
  }

  private evaluate(value: string): string {
    const expressions: Record<string, string> = {
      'github.token': JOB_TOKEN,
      ...this.options.expressions
    }
    return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
      const known = expressions[expression]
      if (known === undefined) throw new Error(`The harness cannot evaluate \${{ ${expression} }}`)
      return known
    })
  }

  private runNode(
    name: string,
    entry: string,
    inputs: Record<string, string>,
    stateEnv: Record<string, string>
  ) {
    // Inputs: INPUT_<NAME> upper-cased, spaces to _, hyphens kept.
    const inputEnv = Object.fromEntries(
      Object.entries(inputs).map(([key, value]) => [
        `INPUT_${key.replace(/ /g, '_').toUpperCase()}`,
        value
      ])
    )
    return this.runProcess(name, actionNode(), [path.join(this.actionRoot, entry)], {
      ...inputEnv,
      ...stateEnv
    })
  }

  private async runProcess(
    name: string,
    command: string,
    args: string[],
    stepEnv: Record<string, string>
  ): Promise<StepResult> {
    const files = mkdtempSync(path.join(this.runnerEnv.RUNNER_TEMP!, '_runner_file_commands-'))
    this.give(files)
    const file = (kind: string) => {
      const target = path.join(files, kind)
      writeFileSync(target, '')
      this.give(target)
      return target
    }
    const commandFiles = {
      GITHUB_OUTPUT: file('output'),
      GITHUB_STATE: file('state'),
      GITHUB_ENV: file('env'),
      GITHUB_PATH: file('path'),
      GITHUB_STEP_SUMMARY: file('summary')
    }
    const env: Record<string, string> = {
      ...this.runnerEnv,
      ...this.jobEnv,
      ...stepEnv,
      ...commandFiles
    }
    env.PATH = [...this.extraPath, env.PATH].join(path.delimiter)

    const child = spawn(command, args, {
      cwd: this.workspace,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(this.options.unprivileged && isRoot() ? NOBODY : {})
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', code => resolve(code ?? 1))
    })

    const raw = Object.fromEntries(
      Object.entries(commandFiles).map(([key, target]) => [key, readFileSync(target, 'utf8')])
    ) as Record<keyof typeof commandFiles, string>
    const exportedEnv = parseCommandFile(raw.GITHUB_ENV)
    Object.assign(this.jobEnv, exportedEnv)
    this.extraPath.unshift(...raw.GITHUB_PATH.split('\n').filter(Boolean).reverse())
    const { annotations, masks } = parseWorkflowCommands(stdout)
    const maskedStdout = maskAsTheRunnerDoes(stdout)
    const otherText = [stderr, ...Object.values(raw)]
    const visibleStdout = stdout
      .split('\n')
      .filter(line => !line.startsWith('::add-mask::'))
      .join('\n')
    const result: StepResult = {
      name,
      exitCode,
      stdout,
      stderr,
      outputs: parseCommandFile(raw.GITHUB_OUTPUT),
      state: parseCommandFile(raw.GITHUB_STATE),
      exportedEnv,
      summary: raw.GITHUB_STEP_SUMMARY,
      annotations,
      masks,
      visibleText: [visibleStdout, ...otherText].join('\n'),
      maskedText: [maskedStdout, ...otherText].join('\n'),
      tracing: /trace|debug/i.test(env.RUST_LOG ?? '')
    }
    this.results.push(result)
    return result
  }
}

const NOBODY = { uid: 65534, gid: 65534 }
const isRoot = () => process.getuid?.() === 0

function chownTree(target: string, { uid, gid }: { uid: number; gid: number }): void {
  lchownSync(target, uid, gid)
  if (lstatSync(target).isDirectory())
    for (const name of readdirSync(target)) chownTree(path.join(target, name), { uid, gid })
}

/**
 * The log as the runner shows it: a line is shown with every value masked so far replaced by ***;
 * a value masked only after a line was printed does not hide it.
 */
function maskAsTheRunnerDoes(stdout: string): string {
  const masks: string[] = []
  const shown: string[] = []
  for (const line of stdout.split('\n')) {
    const mask = /^::add-mask::(.*)$/.exec(line)
    if (mask) {
      masks.push(mask[1]!.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%'))
      continue
    }
    shown.push(masks.reduce((text, value) => (value ? text.split(value).join('***') : text), line))
  }
  return shown.join('\n')
}

/**
 * Fails when any token string appears in anything a step printed or wrote. Strict by default: no
 * token is printed at all, masked or not. Where Codex's trace logging is on, its lines may carry
 * tokens: then a token may appear in the log only if it was masked before the line was printed.
 */
export function findLeakedTokens(
  results: readonly StepResult[],
  tokens: readonly string[]
): string[] {
  const leaks: string[] = []
  for (const result of results) {
    const text = result.tracing ? result.maskedText : result.visibleText
    tokens.forEach((token, index) => {
      if (text.includes(token)) leaks.push(`${result.name} printed or wrote issued token #${index}`)
    })
  }
  return leaks
}
