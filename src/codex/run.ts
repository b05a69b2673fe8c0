/** Running `codex exec` non-interactively and reporting what happened. */
import * as core from '@actions/core'
import { spawn } from 'node:child_process'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { withScratchDir } from '../platform/runner.js'
import { maskTokensIn } from '../platform/secrets.js'
import { codexEnvironment } from './environment.js'
import { describeEventLine, newProgress } from './events.js'
import { detectDeadSession, type DeadSessionReason } from './outcome.js'

export interface CodexRun {
  readonly codexPath: string
  readonly codexHome: string
  readonly prompt: string
  readonly codexArgs: readonly string[]
  /** Added as `--sandbox` unless undefined (codex-args carries one). */
  readonly sandbox: string | undefined
  /** `--model`, unless undefined. */
  readonly model?: string
  /** `-c model_reasoning_effort=...`, unless undefined. */
  readonly effort?: string
  /** `--output-schema`: a file of the user's, or inline JSON written to a private scratch file. */
  readonly outputSchema?: { readonly text: string } | { readonly file: string }
  /** false: the shell tool is switched off, in both the direct and the JavaScript `exec` paths. */
  readonly shellTool: boolean
  /** Names of further variables that Codex (and every command it runs) may see. */
  readonly passThroughEnv: readonly string[]
  readonly workingDirectory: string
  /**
   * Called when Codex has exited, before what it printed on stderr is shown: to mask the tokens
   * of the session it refreshed (its trace logs can print them).
   */
  readonly beforeStderrShown: () => Promise<void>
  /** Every line Codex printed passes through this before it is logged: it blanks out credentials. */
  readonly redact: (line: string) => string
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

export async function runCodexExec(run: CodexRun): Promise<CodexResult> {
  const { env, removedBypass } = codexEnvironment(process.env, run.codexHome, run.passThroughEnv)
  for (const name of removedBypass) {
    core.warning(
      `${name} is set in this step's environment. It would make Codex bypass the ChatGPT session, ` +
        'so the action removed it for codex exec. Unset it to silence this warning.'
    )
  }

  return withScratchDir('codex-exec', async scratch => {
    // Codex writes into our scratch space; only the text is copied to output-file afterwards.
    const lastMessageFile = path.join(scratch, 'last-message.txt')
    // Inline JSON becomes a file only while Codex runs: the scratch directory is removed after.
    let schemaFile: string | undefined
    if (run.outputSchema !== undefined && 'text' in run.outputSchema) {
      schemaFile = path.join(scratch, 'output-schema.json')
      await fs.writeFile(schemaFile, run.outputSchema.text, { mode: 0o600, flag: 'wx' })
    } else schemaFile = run.outputSchema?.file
    // The prompt goes on stdin (`-`): never read as an option, no argv size limit, not in /proc.
    const args = [
      'exec',
      '--json',
      '--skip-git-repo-check',
      '--output-last-message',
      lastMessageFile,
      ...(run.sandbox === undefined ? [] : ['--sandbox', run.sandbox]),
      ...(run.model === undefined ? [] : ['--model', run.model]),
      ...(run.effort === undefined ? [] : ['-c', `model_reasoning_effort="${run.effort}"`]),
      ...(schemaFile === undefined ? [] : ['--output-schema', schemaFile]),
      ...(run.shellTool ? [] : ['-c', 'features.shell_tool=false']),
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
        if (message !== undefined) core.info(run.redact(message))
      },
      // Held until Codex exits and the new tokens are masked: a trace line may carry them.
      errline: line => stderr.push(line)
    })
    await run.beforeStderrShown()
    for (const line of stderr) {
      maskTokensIn(line)
      core.info(run.redact(line))
    }
    const finalMessage = (await fs.readFile(lastMessageFile, 'utf8').catch(() => undefined)) ?? ''
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
