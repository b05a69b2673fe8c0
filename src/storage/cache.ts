/**
 * `storage: cache`: the session in the GitHub Actions cache, for ephemeral runners.
 *
 * - Generations: every changed session is saved under a new key `<cache-key>-<epoch ms>-<random>`
 *   (entries are immutable) and the newest is found by the prefix `<cache-key>-`. The key is the
 *   version: a lookup (`lookupOnly`) answers "what is newest?" without downloading.
 * - The archived path is fixed (`.codex-auth-action/<cache-key>.session` in the workspace) and the
 *   archive is always gzip (zstd is hidden from the cache client), so the cache version is the same
 *   on every runner: with or without zstd, on any OS (enableCrossOsArchive).
 * - Entries are encrypted (./crypto.ts) and bound to their own key: the cache is readable from pull
 *   requests and forks.
 * - The client turns every failure into a log line and "no entry": those lines are caught here, so
 *   that a failed read is reported as one, never as "nothing stored". Every call has a deadline.
 */
import * as cache from '@actions/cache'
import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { promises as fs, readFileSync } from 'node:fs'
import path from 'node:path'
import { AuthFileError, parseStoredItem, type Session } from '../auth/index.js'
import type { StoredItem } from '../names.js'
import { withDeadline } from '../platform/deadline.js'
import { describeDuration } from '../platform/durations.js'
import { describeFsError } from '../platform/files.js'
import { retry } from '../platform/retry.js'
import { githubApiUrl, withScratchDir, workspace } from '../platform/runner.js'
import { maskSession } from '../platform/secrets.js'
import { cacheWriteBlocker, type RunContext } from './cache-scope.js'
import { EntryOpenError, openEntry, sealEntry, type EntryKey } from './crypto.js'
import { GitHubCaches } from './github-caches.js'
import type { HeadResult, LoadResult, SessionStore, Writability, Written } from './types.js'

export interface CacheStorageOptions {
  readonly cacheKey: string
  /**
   * session: keys `<cache-key>-<ms>-<hex>`, path `<cache-key>.session`; consumer (the bundle a
   * refresher publishes): keys `<cache-key>-consumer-<ms>-<hex>`, path `<cache-key>.consumer`. The
   * session's prefix also matches the bundle's keys, but never its entries: the cache matches an
   * entry only with the same archived path (its version), and the key shapes differ too.
   */
  readonly item: StoredItem
  readonly entryKey: EntryKey
  readonly allowAnyBranch: boolean
  /** For pruning superseded entries; empty: no pruning. */
  readonly githubToken: string
  /** The bound of each call to the cache service. */
  readonly timeoutMs: number
  readonly env: NodeJS.ProcessEnv
}

const ENTRY_DIR = '.codex-auth-action'
const SAVE_ATTEMPTS = 4
const SAVE_BACKOFF_MS = 500
const DAY_MS = 24 * 60 * 60 * 1000
// Entries unused for 7 days are evicted; warn well before.
const OLD_GENERATION_MS = 5 * DAY_MS

export class CacheStorage implements SessionStore {
  readonly description: string
  readonly keepsSessions = true
  readonly readsBack = true
  /** The archived path as given to the cache client: the same string on every runner. */
  private readonly archivedPath: string
  private readonly generationKey: RegExp
  /** Every generation key of this item starts with it. */
  private readonly prefix: string

  constructor(private readonly options: CacheStorageOptions) {
    this.prefix =
      options.item === 'consumer' ? `${options.cacheKey}-consumer-` : `${options.cacheKey}-`
    this.description = `Actions cache, key ${this.prefix}*`
    this.archivedPath = `${ENTRY_DIR}/${options.cacheKey}.${options.item}`
    this.generationKey = new RegExp(`^${escapeRegExp(this.prefix)}(\\d{13})-[0-9a-f]{8}$`)
  }

  async checkWritable(): Promise<Writability> {
    return cacheWriteBlocker(this.runContext(), this.options.allowAnyBranch)
  }

  async load(): Promise<LoadResult> {
    if (!serviceAvailable()) return serviceMissing()
    return this.withEntryFile(async file => {
      const call = await this.call('Restoring from the Actions cache', () =>
        cache.restoreCache([this.archivedPath], this.prefix, [], undefined, true)
      )
      if (call.kind === 'failed') return { kind: 'unavailable', reason: call.reason }
      const key = call.value
      if (key === undefined) return { kind: 'empty' }
      const savedAt = this.savedAt(key)
      if (savedAt === undefined)
        return {
          kind: 'unreadable',
          version: key,
          reason: `${key} is not a key this action writes`
        }
      let sealed: Buffer
      try {
        sealed = await fs.readFile(file)
      } catch (error) {
        return {
          kind: 'unreadable',
          version: key,
          reason: `cache entry ${key} holds no session file (${describeFsError(error)})`
        }
      }
      try {
        const session = parseStoredItem(
          this.options.item,
          openEntry(sealed, this.options.entryKey, this.options.cacheKey, key)
        )
        maskSession(session)
        core.info(
          `Restored the ${this.options.item === 'consumer' ? 'consumer bundle' : 'session'} stored ` +
            `${describeDuration(Date.now() - savedAt.getTime())} ago (cache key ${key}).`
        )
        return { kind: 'found', session, version: key, savedAt, warning: ageWarning(savedAt) }
      } catch (error) {
        if (error instanceof EntryOpenError)
          return { kind: 'unreadable', version: key, reason: this.unopenableReason(key, error) }
        if (error instanceof AuthFileError)
          return {
            kind: 'unreadable',
            version: key,
            reason: `cache entry ${key}: ${error.message}`
          }
        throw error
      }
    })
  }

  async head(): Promise<HeadResult> {
    if (!serviceAvailable()) return serviceMissing()
    const call = await this.call('Looking up the newest entry in the Actions cache', () =>
      cache.restoreCache([this.archivedPath], this.prefix, [], { lookupOnly: true }, true)
    )
    if (call.kind === 'failed') return { kind: 'unavailable', reason: call.reason }
    return call.value === undefined ? { kind: 'empty' } : { kind: 'version', version: call.value }
  }

  /** Seals and saves the session under a new generation key, retrying with jittered backoff. */
  async write(session: Session): Promise<Written> {
    let lastProblem = ''
    const key = await retry(
      async () => {
        const key = `${this.prefix}${Date.now()}-${randomBytes(4).toString('hex')}`
        const sealed = sealEntry(session.text, this.options.entryKey, this.options.cacheKey, key)
        const call = await this.withEntryFile(async file => {
          await fs.writeFile(file, sealed, { mode: 0o600 })
          return this.call('Saving to the Actions cache', () =>
            cache.saveCache([this.archivedPath], key, undefined, true)
          )
        })
        if (call.kind === 'ok' && call.value !== -1) return key
        lastProblem = call.kind === 'failed' ? call.reason : 'the cache did not accept the entry'
        throw new Error(lastProblem)
      },
      {
        attempts: SAVE_ATTEMPTS,
        baseDelayMs: SAVE_BACKOFF_MS,
        onRetry: (attempt, delay) =>
          core.info(
            `Saving to the Actions cache failed (attempt ${attempt} of ${SAVE_ATTEMPTS}); retrying in ${delay} ms.`
          )
      }
    ).catch(() => {
      throw new Error(
        `the Actions cache did not accept it after ${SAVE_ATTEMPTS} attempts (${lastProblem})`
      )
    })
    return { version: key, where: `the Actions cache (key ${key})` }
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    return work() // entries are immutable: a save never replaces another job's entry
  }

  /** Deletes the generations up to `checked` (the newest seen before writing). Best effort. */
  async prune(written: Written, checked: string | undefined): Promise<void> {
    if (checked === undefined || this.savedAt(checked) === undefined) return // nothing older known
    const { GITHUB_REPOSITORY: repository, GITHUB_REF: ref } = this.options.env
    const apiUrl = githubApiUrl(this.options.env)
    if (this.options.githubToken === '' || !repository || !ref) {
      core.info('Superseded cache entries are not pruned: no github-token.')
      return
    }
    try {
      const caches = new GitHubCaches(apiUrl, repository, this.options.githubToken)
      const listed = await caches.list(this.prefix, ref)
      // Only what is known to be older: the checked entry and those the service created before it
      // (ids grow with creation). Not by the time in a key: another runner's clock may be behind,
      // and an entry stored by another job after the lookup stays.
      const bound = listed.find(entry => entry.key === checked)
      if (bound === undefined) return // gone already (pruned or evicted): nothing known for sure
      const superseded = listed.filter(
        entry =>
          entry.key !== written.version &&
          this.savedAt(entry.key) !== undefined &&
          entry.id <= bound.id
      )
      for (const entry of superseded) await caches.delete(entry.id)
      if (superseded.length > 0) core.info(`Pruned ${superseded.length} superseded cache entries.`)
    } catch (error) {
      core.warning(
        `Could not prune superseded cache entries: ${(error as Error).message}. They are harmless and ` +
          "evicted after 7 days unused; to prune them, give the job 'permissions: actions: write'."
      )
    }
  }

  /** When a generation key was saved; undefined for a key this action did not write. */
  private savedAt(key: string): Date | undefined {
    const ms = this.generationKey.exec(key)?.[1]
    return ms === undefined ? undefined : new Date(Number(ms))
  }

  private runContext(): RunContext {
    const env = this.options.env
    return {
      ref: env.GITHUB_REF ?? '',
      eventName: env.GITHUB_EVENT_NAME ?? '',
      defaultRef: defaultBranchRef(env.GITHUB_EVENT_PATH),
      serviceAvailable: serviceAvailable(),
      cacheMode: (env.ACTIONS_CACHE_MODE ?? '').trim().toLowerCase(),
      runtimeToken: env.ACTIONS_RUNTIME_TOKEN
    }
  }

  /**
   * One call of the cache client, bounded in time, with its temporary files in a scratch directory
   * that is removed afterwards, gzip forced, and the failures it only logs caught as failures.
   */
  private async call<T>(
    what: string,
    work: () => Promise<T>
  ): Promise<{ kind: 'ok'; value: T } | { kind: 'failed'; reason: string }> {
    return withScratchDir('codex-auth-cache', async scratch => {
      const problems: string[] = []
      const restore = captureClientEnvironment(scratch, problems)
      try {
        await writeGzipOnlyShim(scratch)
        const value = await withDeadline(work(), this.options.timeoutMs, what)
        if (problems.length > 0) return { kind: 'failed', reason: problems.join('; ') }
        return { kind: 'ok', value }
      } catch (error) {
        return { kind: 'failed', reason: (error as Error).message }
      } finally {
        restore()
      }
    })
  }

  /** Runs `work` with the entry's path in the workspace, removing the file (and its folder) after. */
  private async withEntryFile<T>(work: (file: string) => Promise<T>): Promise<T> {
    const file = path.resolve(workspace(this.options.env), this.archivedPath)
    const dir = path.dirname(file)
    await fs.rm(file, { force: true })
    // undefined when it existed already: then only our file is removed, and the folder when empty.
    const made = await fs.mkdir(dir, { recursive: true, mode: 0o700 })
    try {
      return await work(file)
    } finally {
      // A restored archive may hold more than the session file: remove the folder we made, whole.
      if (made !== undefined) await fs.rm(made, { recursive: true, force: true })
      else {
        await fs.rm(file, { force: true })
        await fs.rmdir(dir).catch(() => undefined) // only when empty
      }
    }
  }

  private unopenableReason(key: string, error: EntryOpenError): string {
    const cause =
      error.reason === 'format'
        ? error.message
        : error.message +
          (this.options.entryKey.source === 'auth-json'
            ? ": the key is derived from 'auth-json', which most likely changed since the entry was " +
              "stored (a new sign-in), or the entry was tampered with. Set 'encryption-key' to keep " +
              'entries readable across new sign-ins.'
            : ": 'encryption-key' most likely changed since the entry was stored, or the entry was tampered with.")
    return `cache entry ${key} cannot be used: ${cause}`
  }
}

/**
 * Whether this job has the cache service. A stand-in for @actions/cache without
 * isFeatureAvailable (@github/local-action's stub has only restoreCache and saveCache, and does
 * not behave like the service) counts as no service, said once, rather than a crash.
 */
function serviceAvailable(): boolean {
  // The namespace may be a stub's: read the function as possibly missing.
  const probe = (cache as { isFeatureAvailable?: () => boolean }).isFeatureAvailable
  if (typeof probe === 'function') return probe()
  if (!stubWarned) {
    stubWarned = true
    core.warning(
      'The @actions/cache module here has no isFeatureAvailable() (a stand-in such as ' +
        "@github/local-action's stub): the Actions cache is treated as not available to this job. " +
        'To try the action locally, use storage: directory or storage: none.'
    )
  }
  return false
}
let stubWarned = false

function serviceMissing(): { kind: 'unavailable'; reason: string } {
  return { kind: 'unavailable', reason: 'the Actions cache service is not available to this job' }
}

function ageWarning(savedAt: Date): string | undefined {
  const age = Date.now() - savedAt.getTime()
  if (age <= OLD_GENERATION_MS) return undefined
  return (
    `The restored session was stored ${describeDuration(age)} ago. Cache entries unused for 7 days are ` +
    'evicted: run this action at least every 3 days (a keep-fresh schedule) so the session stays stored.'
  )
}

/**
 * While the cache client runs: its temporary directories go into `scratch` (it reads RUNNER_TEMP
 * at each call), a `zstd` that prints no version comes first on PATH (so it picks gzip, the same on
 * every runner), and the warnings and errors it prints instead of throwing are kept in `problems`
 * and shown as plain log lines. Returns the function that puts everything back.
 */
function captureClientEnvironment(scratch: string, problems: string[]): () => void {
  const saved = { PATH: process.env.PATH, RUNNER_TEMP: process.env.RUNNER_TEMP }
  process.env.PATH = `${scratch}${path.delimiter}${saved.PATH ?? ''}`
  process.env.RUNNER_TEMP = scratch
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    const annotation = /^::(warning|error)::(.*)$/s.exec(text.trimEnd())
    if (!annotation) return write(chunk, ...(rest as []))
    const message = annotation[2]!.replace(/%0A/g, ' ').replace(/%0D/g, '').replace(/%25/g, '%')
    problems.push(message)
    return write(`Actions cache: ${message}\n`)
  }) as typeof process.stdout.write
  return () => {
    process.stdout.write = write
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

async function writeGzipOnlyShim(dir: string): Promise<void> {
  await fs.writeFile(path.join(dir, 'zstd'), '#!/bin/sh\nexit 0\n', { mode: 0o755 })
  await fs.writeFile(path.join(dir, 'zstd.cmd'), '@exit /b 0\r\n')
}

function defaultBranchRef(eventPath: string | undefined): string | undefined {
  if (!eventPath) return undefined
  try {
    const event = JSON.parse(readFileSync(eventPath, 'utf8')) as {
      repository?: { default_branch?: unknown }
    }
    const branch = event.repository?.default_branch
    return typeof branch === 'string' ? `refs/heads/${branch}` : undefined
  } catch {
    return undefined
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
