/**
 * `storage: command`: any secret manager, through two shell commands. `restore-command` prints the
 * stored auth.json (nothing when none is stored); `persist-command` reads it on stdin. They run as a
 * `run:` step would (`bash -e -o pipefail -c`), with the job's environment minus every INPUT_*. The
 * session passes only through stdout and stdin: never argv, never the environment. Its version is a
 * hash of what restore printed.
 */
import * as core from '@actions/core'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { AuthFileError, parseStoredItem, secretInputForms } from '../auth/index.js'
import { COMMAND_ITEM_ENV, type StoredItem } from '../names.js'
import { withDeadline } from '../platform/deadline.js'
import { maskSession, maskValues } from '../platform/secrets.js'
import type { HeadResult, LoadResult, SessionStore, Writability, Written } from './types.js'

export interface CommandStorageOptions {
  /** Passed to both commands as $CODEX_AUTH_ITEM (session or consumer): which item they handle. */
  readonly item: StoredItem
  readonly restoreCommand: string
  readonly persistCommand: string
  readonly timeoutMs: number
  readonly env: NodeJS.ProcessEnv
}

const versionOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16)

export class CommandStorage implements SessionStore {
  readonly description: string
  readonly keepsSessions = true
  readonly readsBack = true
  /** What `head` read: `load` right after it need not run restore-command again. */
  private lastRead: LoadResult | undefined

  constructor(private readonly options: CommandStorageOptions) {
    this.description =
      'the restore-command and persist-command' +
      (options.item === 'consumer' ? ` (${COMMAND_ITEM_ENV}=consumer)` : '')
  }

  async checkWritable(): Promise<Writability> {
    return { ok: true } // a command cannot be asked without writing: its failure is loud, in post
  }

  async load(): Promise<LoadResult> {
    const read = this.lastRead ?? (await this.restore())
    this.lastRead = undefined
    return read
  }

  async head(): Promise<HeadResult> {
    this.lastRead = await this.restore()
    const read = this.lastRead
    return read.kind === 'found' || read.kind === 'unreadable'
      ? { kind: 'version', version: read.version }
      : read
  }

  async write(session: { text: string }): Promise<Written> {
    const run = await this.run(this.options.persistCommand, session.text)
    logLines(run.stderr)
    if (run.kind === 'failed') throw new Error(`persist-command failed: ${run.reason}`)
    return { version: versionOf(session.text), where: 'persist-command' }
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    return work()
  }

  async prune(): Promise<void> {}

  private async restore(): Promise<LoadResult> {
    const run = await this.run(this.options.restoreCommand, '')
    // Whatever it printed is masked before any of its lines is logged.
    if (run.stdout.trim() !== '') maskValues(secretInputForms(run.stdout))
    logLines(run.stderr)
    if (run.kind === 'failed')
      return { kind: 'unavailable', reason: `restore-command failed: ${run.reason}` }
    const text = run.stdout
    if (text.trim() === '') return { kind: 'empty' }
    const version = versionOf(text)
    try {
      const session = parseStoredItem(this.options.item, text)
      maskSession(session)
      return { kind: 'found', session, version }
    } catch (error) {
      if (!(error instanceof AuthFileError)) throw error
      return {
        kind: 'unreadable',
        version,
        reason: `what restore-command printed: ${error.message}`
      }
    }
  }

  /** Runs one command under bash, `input` on its stdin. */
  private async run(
    command: string,
    input: string
  ): Promise<{ kind: 'ok' | 'failed'; stdout: string; stderr: string; reason: string }> {
    const env = Object.fromEntries(
      Object.entries(this.options.env).filter(
        (entry): entry is [string, string] => entry[1] !== undefined && !/^INPUT_/i.test(entry[0])
      )
    )
    env[COMMAND_ITEM_ENV] = this.options.item
    const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', command], {
      env,
      stdio: ['pipe', 'pipe', 'pipe']
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.stdin.on('error', () => undefined) // a command that does not read its stdin
    child.stdin.end(input)
    const exit = new Promise<{ code: number | null; signal: string | null }>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', (code, signal) => resolve({ code, signal }))
    })
    const text = () => ({
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8')
    })
    try {
      const { code, signal } = await withDeadline(exit, this.options.timeoutMs, 'the command')
      const reason = signal ? `ended by ${signal}` : `exit code ${code} (its output is above)`
      return { kind: code === 0 ? 'ok' : 'failed', ...text(), reason }
    } catch (error) {
      child.kill('SIGKILL')
      return { kind: 'failed', ...text(), reason: (error as Error).message }
    }
  }
}

function logLines(text: string): void {
  for (const line of text.trimEnd().split('\n')) if (line !== '') core.info(`  ${line}`)
}
