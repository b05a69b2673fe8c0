/** Running `codex exec` non-interactively and reporting what happened. */
import * as core from '@actions/core'
import { spawn } from 'node:child_process'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { BYPASS_ENV } from '../names.js'
import { writeFileNoFollow } from '../platform/files.js'
import { withScratchDir } from '../platform/runner.js'
import { maskTokensIn } from '../platform/secrets.js'
import { describeEventLine, newProgress } from './events.js'
import { detectDeadSession, type DeadSessionReason } from './outcome.js'

export interface CodexRun {
  readonly codexPath: string
  readonly codexHome: string
  readonly prompt: string
  readonly codexArgs: readonly string[]
  readonly workingDirectory: string
  /** Where the final message is copied to (never read back from there); undefined: nowhere. */
  readonly outputFile: string | undefined
  /**
   * Called when Codex has exited, before what it printed on stderr is shown: to mask the tokens
   * of the session it refreshed (its trace logs can print them).
   */
  readonly beforeStderrShown: () => Promise<void>
}

export interface CodexResult {
  /** -1 when a signal ended Codex (then `killed`). */
  readonly exitCode: number
  /** A signal ended Codex (SIGKILL: out of memory, a cancelled job): it has no exit code. */
  readonly killed?: boolean
  readonly finalMessage: string
  readonly errors: readonly string[]
  readonly deadSession: DeadSessionReason | undefined
}

// Variables that give whatever Codex runs more than the session: the action's inputs (secrets among
// them) and the runtime token that can write cache entries.
const ACTION_ONLY_ENV = /^(INPUT_|ACTIONS_RUNTIME_TOKEN$)/

/**
 * Codex's environment: the step's, without what would bypass the ChatGPT session or hand the
 * action's own credentials to the agent. Returns the bypass variables that were set, to warn about.
 */
export function codexEnvironment(
  env: NodeJS.ProcessEnv,
  codexHome: string
): { env: Record<string, string>; removedBypass: string[] } {
  const result: Record<string, string> = {}
  const removedBypass: string[] = []
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || ACTION_ONLY_ENV.test(name)) continue
    if ((BYPASS_ENV as readonly string[]).includes(name)) {
      if (value.trim() !== '') removedBypass.push(name)
      continue
    }
    result[name] = value
  }
  result.CODEX_HOME = codexHome
  return { env: result, removedBypass }
}

export async function runCodexExec(run: CodexRun): Promise<CodexResult> {
  const { env, removedBypass } = codexEnvironment(process.env, run.codexHome)
  for (const name of removedBypass) {
    core.warning(
      `${name} is set in this step's environment. It would make Codex bypass the ChatGPT session, ` +
        'so the action removed it for codex exec. Unset it to silence this warning.'
    )
  }

  return withScratchDir('codex-exec', async scratch => {
    // Codex writes into our scratch space; only the text is copied to output-file afterwards.
    const lastMessageFile = path.join(scratch, 'last-message.txt')
    // The prompt goes on stdin (`-`): never read as an option, no argv size limit, not in /proc.
    const args = [
      'exec',
      '--json',
      '--skip-git-repo-check',
      '--output-last-message',
      lastMessageFile,
      ...run.codexArgs,
      '-'
    ]
    core.info(`Running: codex ${args.join(' ')} (the prompt on stdin)`)

    const progress = newProgress()
    const stderr: string[] = []
    // Stdin is a file, not a pipe: a Codex that dies before reading it cannot fail the write (EPIPE).
    const promptFile = path.join(scratch, 'prompt.txt')
    await fs.writeFile(promptFile, run.prompt, { mode: 0o600 })
    const exitCode = await spawnWithLines(run.codexPath, args, {
      cwd: run.workingDirectory,
      env,
      stdinFile: promptFile,
      stdline: line => {
        maskTokensIn(line)
        const message = describeEventLine(line, progress)
        if (message !== undefined) core.info(message)
      },
      // Held until Codex exits and the new tokens are masked: a trace line may carry them.
      errline: line => stderr.push(line)
    })
    await run.beforeStderrShown()
    for (const line of stderr) {
      maskTokensIn(line)
      core.info(line)
    }
    const finalMessage = (await fs.readFile(lastMessageFile, 'utf8').catch(() => undefined)) ?? ''
    if (run.outputFile !== undefined) await writeFileNoFollow(run.outputFile, finalMessage)
    return {
      exitCode: exitCode ?? -1,
      killed: exitCode === null,
      finalMessage: finalMessage || progress.lastAgentMessage || '',
      errors: progress.errors,
      deadSession: detectDeadSession([...progress.errors, ...stderr])
    }
  })
}

interface SpawnOptions {
  readonly cwd: string
  readonly env: Record<string, string>
  readonly stdinFile: string
  readonly stdline: (line: string) => void
  readonly errline: (line: string) => void
}

/** Runs a command with a file as stdin, line by line: its exit code, or null when a signal ended it. */
async function spawnWithLines(
  command: string,
  args: string[],
  options: SpawnOptions
): Promise<number | null> {
  const stdin = await fs.open(options.stdinFile, 'r')
  try {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [stdin.fd, 'pipe', 'pipe']
    })
    const lines = (stream: NodeJS.ReadableStream, each: (line: string) => void) =>
      new Promise<void>(resolve =>
        createInterface({ input: stream, crlfDelay: Infinity })
          .on('line', each)
          .on('close', resolve)
      )
    const [code] = await Promise.all([
      new Promise<number | null>((resolve, reject) => {
        child.on('error', reject)
        child.on('close', code => resolve(code))
      }),
      lines(child.stdout!, options.stdline),
      lines(child.stderr!, options.errline)
    ])
    return code
  } finally {
    await stdin.close()
  }
}
