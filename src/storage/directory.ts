/**
 * `storage: directory`: one auth.json in a private directory (a mounted volume, a path shared by the
 * runners of one machine). Its version is a hash of the file; writes happen under a lock file.
 */
import { createHash } from 'node:crypto'
import path from 'node:path'
import { AuthFileError, parseStoredItem } from '../auth/index.js'
import type { StoredItem } from '../names.js'
import {
  describeFsError,
  directoryUsability,
  ensurePrivateDir,
  freeBytes,
  readIfExists,
  withFileLock,
  writePrivateFileAtomic
} from '../platform/files.js'
import type { HeadResult, LoadResult, SessionStore, Writability, Written } from './types.js'

// auth.json, its temporary copy and the lock take a few KiB: below this a write may fail half-way.
const MIN_FREE_BYTES = 1024 * 1024

/** The consumer bundle a refresher publishes, beside the session. */
export const CONSUMER_FILE = 'consumer-auth.json'

const versionOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16)

export class DirectoryStorage implements SessionStore {
  readonly description: string
  readonly keepsSessions = true
  readonly readsBack = true
  private readonly file: string

  constructor(
    private readonly dir: string,
    private readonly item: StoredItem = 'session'
  ) {
    this.file = path.join(dir, item === 'consumer' ? CONSUMER_FILE : 'auth.json')
    this.description = item === 'consumer' ? `${this.file}` : `directory ${dir}`
  }

  /** Writable when the directory, or the nearest existing parent it would be created in, is. */
  async checkWritable(): Promise<Writability> {
    const problem = await directoryUsability(this.dir)
    if (problem !== undefined) {
      return {
        ok: false,
        reason: `the storage directory cannot be used: ${problem}`,
        fix: `make ${this.dir} a private directory writable by the runner's user, or set another storage-path`
      }
    }
    const free = await freeBytes(this.dir)
    if (free !== undefined && free < MIN_FREE_BYTES) {
      return {
        ok: false,
        reason: `the disk that holds the storage directory ${this.dir} is full (${Math.floor(free / 1024)} KiB free)`,
        fix: "free some space on it, or set 'storage-path' to a directory on another disk"
      }
    }
    return { ok: true }
  }

  async load(): Promise<LoadResult> {
    const read = await this.read()
    if (read.kind !== 'text') return read
    try {
      return {
        kind: 'found',
        session: parseStoredItem(this.item, read.text),
        version: read.version
      }
    } catch (error) {
      if (!(error instanceof AuthFileError)) throw error
      return { kind: 'unreadable', version: read.version, reason: error.message }
    }
  }

  async head(): Promise<HeadResult> {
    const read = await this.read()
    return read.kind === 'text' ? { kind: 'version', version: read.version } : read
  }

  async write(session: { text: string }): Promise<Written> {
    await writePrivateFileAtomic(this.file, session.text)
    return { version: versionOf(session.text), where: this.file }
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    // The lock lives in the directory: make it first (a new runner has no storage directory yet).
    await ensurePrivateDir(this.dir)
    return withFileLock(this.file, work)
  }

  async prune(): Promise<void> {
    // One file: writing replaced the older version.
  }

  private async read(): Promise<
    | { kind: 'text'; text: string; version: string }
    | { kind: 'empty' }
    | { kind: 'unavailable'; reason: string }
  > {
    try {
      const text = await readIfExists(this.file)
      return text === undefined
        ? { kind: 'empty' }
        : { kind: 'text', text, version: versionOf(text) }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return { kind: 'empty' }
      return {
        kind: 'unavailable',
        reason: `${this.file} cannot be read: ${describeFsError(error)}`
      }
    }
  }
}
