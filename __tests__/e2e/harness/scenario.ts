/**
 * What every end-to-end test file shares: one world of fakes, jobs that point Codex at it, and
 * after every test a scan of everything every step printed or wrote for every issued token.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseCodexArgs } from '../../../src/codex/args.js'
import type { AuthJson } from '../fakes/authority.js'
import { Job, findLeakedTokens, type JobOptions, type StepResult } from './runner.js'
import { prepareCodexHome, startWorld, type World } from './world.js'

export interface Scenario {
  readonly world: World
  /**
   * A job on a new runner: nothing pre-created (no CODEX_HOME, no storage directory, no tool
   * cache). Codex is pointed at the fakes through its environment and `-c` arguments.
   */
  newJob(options?: JobOptions): Job
  /** The same; kept as the name most tests use. */
  freshJob(options?: JobOptions): Job
  /** A job on a runner whose ~/.codex already has the user's config.toml (a persistent runner). */
  configuredJob(options?: JobOptions): Job
}

export function useScenario(): Scenario {
  let world: World | undefined
  const jobs: Job[] = []
  beforeAll(async () => {
    world = await startWorld()
  })
  afterAll(async () => {
    await world?.close()
  })
  let invocationsScanned = 0
  afterEach(async () => {
    const current = world!
    try {
      const tokens = current.authority.issued
      const invocations = current.codexInvocations()
      expect([
        ...findLeakedTokens(
          jobs.flatMap(job => job.results),
          tokens
        ),
        // What Codex received: its argv and environment (the recording shim's logs).
        ...invocations
          .slice(invocationsScanned)
          .filter(text => tokens.some(token => text.includes(token)))
          .map(() => 'Codex received an issued token in its argv or environment'),
        // Every file a job left in RUNNER_TEMP or the workspace.
        ...jobs.flatMap(job => [job.temp, job.workspace].flatMap(dir => filesHolding(dir, tokens)))
      ]).toEqual([])
      invocationsScanned = invocations.length
    } finally {
      jobs.length = 0
      current.backend.failTurnsWith = undefined
      current.backend.toolCommand = undefined
      current.backend.toolVia = 'function'
      current.backend.reply = 'OK'
      current.authority.failRefreshWith = undefined
      current.cache.failTwirpWith = undefined
      current.cache.failBlobWith = undefined
      current.cache.collaborators.reset()
      await current.cache.up().catch(() => undefined)
    }
  })
  const scenario: Scenario = {
    get world() {
      if (!world) throw new Error('the world starts in beforeAll')
      return world
    },
    newJob(options = {}) {
      const job = new Job({
        transformInputs: inputs => withCodexConfig(inputs, scenario.world.codexArgs),
        ...options,
        // The REST API of the world (it answers the actor check), unless the job names another.
        runner: { GITHUB_API_URL: scenario.world.cache.apiUrl, ...options.runner },
        env: { ...scenario.world.codexEnv, ...options.env }
      })
      jobs.push(job)
      return job
    },
    freshJob(options = {}) {
      return scenario.newJob(options)
    },
    configuredJob(options = {}) {
      const job = scenario.newJob(options)
      prepareCodexHome(codexHomeOf(job), scenario.world.userConfig())
      return job
    }
  }
  return scenario
}

/**
 * Prepends the fakes' `-c` settings to codex-args in mode run (the other modes refuse codex-args). A codex-args that does not parse is
 * left as it is: the action refuses it before Codex runs.
 */
export function withCodexConfig(
  inputs: Record<string, string>,
  codexArgs: readonly string[]
): Record<string, string> {
  if (inputs.mode === 'setup' || inputs.mode === 'verify') return inputs // no Codex run
  let given: string[]
  try {
    given = parseCodexArgs(inputs['codex-args'] ?? '')
  } catch {
    return inputs
  }
  return { ...inputs, 'codex-args': JSON.stringify([...codexArgs, ...given]) }
}

/** The files under `dir` (recursively) that hold one of `tokens`. */
function filesHolding(dir: string, tokens: readonly string[]): string[] {
  const found: string[] = []
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const file = path.join(current, entry.name)
      if (entry.isDirectory()) walk(file)
      else if (entry.isFile()) {
        const text = readFileSync(file, 'latin1')
        if (tokens.some(token => text.includes(token))) found.push(`${file} holds an issued token`)
      }
    }
  }
  if (existsSync(dir)) walk(dir)
  return found
}

/** Runs main, then the post steps. */
export async function runJob(
  job: Job,
  inputs: Record<string, string>
): Promise<{ main: StepResult; post: StepResult }> {
  const main = await job.runAction(inputs)
  const [post] = await job.finish()
  return { main, post: post! }
}

export const codexHomeOf = (job: Job) => path.join(job.home, '.codex')
export const readAuth = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as AuthJson
const annotations = (level: string) => (step: StepResult) =>
  step.annotations.filter(a => a.level === level).map(a => a.message)
export const errorsOf = annotations('error')
export const warningsOf = annotations('warning')
export const noticesOf = annotations('notice')
