/**
 * `storage: cache`: the session in the GitHub Actions cache, for ephemeral runners.
 *
 * - Generations: every changed session is saved under a new key `<cache-key>-<epoch ms>-<random>`
 *   (entries are immutable) and the newest is restored by the prefix `<cache-key>-`.
 * - The archived path is fixed (`.codex-auth-action/<cache-key>.session` in the workspace) and the
 *   archive is always gzip (zstd is hidden from the cache client), so the cache version is the same
 *   on every runner: with or without zstd, on any OS (enableCrossOsArchive).
 * - Entries are encrypted (./crypto.ts): the cache is readable from pull requests and forks.
 */
import * as cache from '@actions/cache'
import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { promises as fs, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { AuthFileError, isNewer, parseAuthJson, type Session } from '../auth/index.js'
import { maskSession } from '../masking.js'
import { cacheWriteBlocker, type RunContext } from './cache-scope.js'
import { EntryOpenError, openEntry, sealEntry, type EntryKey } from './crypto.js'
import { GitHubCaches } from './github-caches.js'
import { SaveError, type SaveOutcome, type SessionStorage, type Writability } from './types.js'

export interface CacheStorageOptions {
  readonly cacheKey: string
  readonly entryKey: EntryKey
  readonly allowAnyBranch: boolean
  /** For pruning superseded entries; empty: no pruning. */
  readonly githubToken: string
  readonly env?: NodeJS.ProcessEnv
}

const ENTRY_DIR = '.codex-auth-action'
const SAVE_ATTEMPTS = 4
const SAVE_BACKOFF_MS = 500
const DAY_MS = 24 * 60 * 60 * 1000
// Entries unused for 7 days are evicted; warn well before.
const OLD_GENERATION_MS = 5 * DAY_MS

export class CacheStorage implements SessionStorage {
  readonly description: string
  private readonly env: NodeJS.ProcessEnv
  /** The archived path as given to the cache client: the same string on every runner. */
  private readonly archivedPath: string
  private readonly generationKey: RegExp

  constructor(private readonly options: CacheStorageOptions) {
    this.env = options.env ?? process.env
    this.description = `Actions cache, key ${options.cacheKey}-*`
    this.archivedPath = `${ENTRY_DIR}/${options.cacheKey}.session`
    this.generationKey = new RegExp(`^${escapeRegExp(options.cacheKey)}-(\\d{13})-[0-9a-f]{8}$`)
  }

  async checkWritable(): Promise<Writability> {
    return cacheWriteBlocker(this.runContext(), this.options.allowAnyBranch)
  }

  async loadNewest(): Promise<Session | undefined> {
    if (!cache.isFeatureAvailable()) {
      core.warning(
        'The Actions cache service is not available to this job: no stored session to restore.'
      )
      return undefined
    }
    const newest = await this.restoreNewest()
    if (newest === undefined) {
      core.info(`No usable session in the Actions cache under ${this.options.cacheKey}-*.`)
      return undefined
    }
    const age = Date.now() - newest.savedAt
    core.info(`Restored the session stored ${describeAge(age)} ago (cache key ${newest.key}).`)
    if (age > OLD_GENERATION_MS) {
      core.warning(
        `The restored session was stored ${describeAge(age)} ago. Cache entries unused for 7 days are ` +
          'evicted: run this action at least every 3 days (a keep-fresh schedule) so the session stays stored.'
      )
    }
    return newest.session
  }

  async save(session: Session): Promise<SaveOutcome> {
    const writable = await this.checkWritable()
    if (!writable.ok) throw new SaveError(`${writable.reason} (to fix: ${writable.fix})`)
    // Newest wins: look again, another job may have stored a generation since this one restored.
    const newest = await this.restoreNewest()
    if (newest?.session.fingerprint === session.fingerprint) return { kind: 'already-stored' }
    if (newest && isNewer(newest.session, session))
      return { kind: 'newer-stored', stored: newest.session }
    const key = await this.upload(session)
    await this.prune(key)
    return { kind: 'saved', where: `the Actions cache (key ${key})` }
  }

  private runContext(): RunContext {
    return {
      ref: this.env.GITHUB_REF ?? '',
      eventName: this.env.GITHUB_EVENT_NAME ?? '',
      defaultRef: defaultBranchRef(this.env.GITHUB_EVENT_PATH),
      serviceAvailable: cache.isFeatureAvailable(),
      cacheMode: (this.env.ACTIONS_CACHE_MODE ?? '').trim().toLowerCase(),
      runtimeToken: this.env.ACTIONS_RUNTIME_TOKEN
    }
  }

  /** The newest generation that opens with our key and holds a valid session; else undefined. */
  private async restoreNewest(): Promise<
    { key: string; savedAt: number; session: Session } | undefined
  > {
    return this.withEntryFile(async file => {
      const key = await withGzipOnly(() =>
        cache.restoreCache([this.archivedPath], `${this.options.cacheKey}-`, [], undefined, true)
      )
      const savedAt = Number(this.generationKey.exec(key ?? '')?.[1])
      if (key === undefined || Number.isNaN(savedAt)) return undefined
      try {
        const session = parseAuthJson(
          openEntry(await fs.readFile(file), this.options.entryKey, this.options.cacheKey)
        )
        maskSession(session)
        return { key, savedAt, session }
      } catch (error) {
        if (error instanceof EntryOpenError) core.warning(this.unopenableMessage(key, error))
        else if (error instanceof AuthFileError)
          core.warning(`Ignoring cache entry ${key}: ${error.message}`)
        else throw error
        return undefined
      }
    })
  }

  /** Seals and saves the session under a new generation key, retrying with jittered backoff. */
  private async upload(session: Session): Promise<string> {
    let lastProblem = ''
    for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
      const key = `${this.options.cacheKey}-${Date.now()}-${randomBytes(4).toString('hex')}`
      const id = await this.withEntryFile(async file => {
        await fs.writeFile(
          file,
          sealEntry(session.text, this.options.entryKey, this.options.cacheKey),
          { mode: 0o600 }
        )
        try {
          return await withGzipOnly(() =>
            cache.saveCache([this.archivedPath], key, undefined, true)
          )
        } catch (error) {
          lastProblem = (error as Error).message
          return -1
        }
      })
      if (id !== -1) return key
      if (attempt < SAVE_ATTEMPTS) {
        const delay = Math.round(SAVE_BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random()))
        core.info(
          `Saving to the Actions cache failed (attempt ${attempt} of ${SAVE_ATTEMPTS}); retrying in ${delay} ms.`
        )
        await sleep(delay)
      }
    }
    throw new SaveError(
      `the Actions cache did not accept it after ${SAVE_ATTEMPTS} attempts` +
        (lastProblem ? ` (${lastProblem})` : ' (see the cache messages above)')
    )
  }

  /** Deletes the generations older than the one just saved. Best effort: a failure only warns. */
  private async prune(savedKey: string): Promise<void> {
    const {
      GITHUB_API_URL: apiUrl = 'https://api.github.com',
      GITHUB_REPOSITORY: repository,
      GITHUB_REF: ref
    } = this.env
    if (this.options.githubToken === '' || !repository || !ref) {
      core.info('Superseded cache entries are not pruned: no github-token.')
      return
    }
    try {
      const caches = new GitHubCaches(apiUrl, repository, this.options.githubToken)
      const generations = (await caches.list(`${this.options.cacheKey}-`, ref)).filter(entry =>
        this.generationKey.test(entry.key)
      )
      const saved = generations.findIndex(entry => entry.key === savedKey)
      if (saved === -1) return // not listed yet: prune next time
      const superseded = generations.slice(saved + 1) // newest first: everything after ours is older
      for (const entry of superseded) await caches.delete(entry.id)
      if (superseded.length > 0) core.info(`Pruned ${superseded.length} superseded cache entries.`)
    } catch (error) {
      core.warning(
        `Could not prune superseded cache entries: ${(error as Error).message}. They are harmless and ` +
          "evicted after 7 days unused; to prune them, give the job 'permissions: actions: write'."
      )
    }
  }

  /** Runs `work` with the entry's path in the workspace, removing the file (and its folder) after. */
  private async withEntryFile<T>(work: (file: string) => Promise<T>): Promise<T> {
    const workspace = this.env.GITHUB_WORKSPACE || process.cwd()
    const file = path.resolve(workspace, this.archivedPath)
    await fs.rm(file, { force: true })
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 })
    try {
      return await work(file)
    } finally {
      await fs.rm(file, { force: true })
      await fs.rmdir(path.dirname(file)).catch(() => undefined) // only when empty
    }
  }

  private unopenableMessage(key: string, error: EntryOpenError): string {
    const cause =
      error.reason === 'format'
        ? `${error.message}`
        : error.message +
          (this.options.entryKey.source === 'auth-json'
            ? ": the key is derived from 'auth-json', which most likely changed since the entry was " +
              "stored (a new sign-in), or the entry was tampered with. Set 'encryption-key' to keep " +
              'entries readable across new sign-ins.'
            : ": 'encryption-key' most likely changed since the entry was stored, or the entry was tampered with.")
    return `Ignoring cache entry ${key}: ${cause}`
  }
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

let zstdShimDir: string | undefined

/**
 * Runs `work` with a `zstd` on PATH that prints no version, so the cache client picks gzip: the
 * cache version includes the compression, and a runner without zstd must find what one with it saved.
 */
async function withGzipOnly<T>(work: () => Promise<T>): Promise<T> {
  if (zstdShimDir === undefined) {
    const dir = await fs.mkdtemp(
      path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'codex-auth-gzip-only-')
    )
    await fs.writeFile(path.join(dir, 'zstd'), '#!/bin/sh\nexit 0\n', { mode: 0o755 })
    await fs.writeFile(path.join(dir, 'zstd.cmd'), '@exit /b 0\r\n')
    zstdShimDir = dir
  }
  const savedPath = process.env.PATH
  process.env.PATH = `${zstdShimDir}${path.delimiter}${savedPath ?? ''}`
  try {
    return await work()
  } finally {
    process.env.PATH = savedPath
  }
}

function describeAge(ms: number): string {
  const [count, unit] =
    ms < 60 * 60 * 1000
      ? [Math.max(1, Math.round(ms / 60_000)), 'minute']
      : ms < 2 * DAY_MS
        ? [Math.round(ms / 3_600_000), 'hour']
        : [Math.round(ms / DAY_MS), 'day']
  return `${count} ${unit}${count === 1 ? '' : 's'}`
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
