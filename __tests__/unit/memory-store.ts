/**
 * A SessionStore in memory, for unit tests of the app layer: numbered versions, newest last, and
 * failures that a test switches on. Every call is recorded, with whether it ran inside exclusive().
 */
import type { Session } from '../../src/auth/index.js'
import type {
  HeadResult,
  LoadResult,
  SessionStore,
  Writability,
  Written
} from '../../src/storage/types.js'

export type StoredVersion =
  | { readonly version: string; readonly session: Session }
  /** Something stored that does not open (corrupt, tampered, another key). */
  | { readonly version: string; readonly unreadable: string }

export interface Failures {
  /** head() answers unavailable with this reason. */
  head?: string
  /** load() answers unavailable with this reason. */
  load?: string
  /** write() rejects with this value. */
  write?: unknown
  /** checkWritable() refuses with this reason and fix. */
  notWritable?: { reason: string; fix: string }
  /** exclusive() rejects with this value instead of running the work. */
  exclusive?: unknown
}

export interface Call {
  readonly method: 'checkWritable' | 'load' | 'head' | 'write' | 'exclusive' | 'prune'
  readonly insideExclusive: boolean
  readonly args: readonly unknown[]
}

export class MemoryStore implements SessionStore {
  readonly description = 'memory (test)'
  readonly versions: StoredVersion[] = []
  readonly calls: Call[] = []
  failures: Failures = {}
  private nextVersion = 1
  private exclusiveDepth = 0

  constructor(
    readonly keepsSessions = true,
    readonly readsBack = true
  ) {}

  /** Stores `session` as the newest version (as another job would), returning its version. */
  put(session: Session): string {
    const version = `v${this.nextVersion++}`
    this.versions.push({ version, session })
    return version
  }

  /** Stores something that does not open as the newest version. */
  putUnreadable(reason = 'it does not decrypt with this key'): string {
    const version = `v${this.nextVersion++}`
    this.versions.push({ version, unreadable: reason })
    return version
  }

  get newest(): StoredVersion | undefined {
    return this.versions.at(-1)
  }

  called(method: Call['method']): Call[] {
    return this.calls.filter(call => call.method === method)
  }

  private record(method: Call['method'], ...args: unknown[]): void {
    this.calls.push({ method, insideExclusive: this.exclusiveDepth > 0, args })
  }

  async checkWritable(): Promise<Writability> {
    this.record('checkWritable')
    const refusal = this.failures.notWritable
    return refusal ? { ok: false, ...refusal } : { ok: true }
  }

  async load(): Promise<LoadResult> {
    this.record('load')
    if (this.failures.load !== undefined) return { kind: 'unavailable', reason: this.failures.load }
    const newest = this.newest
    if (newest === undefined) return { kind: 'empty' }
    if ('unreadable' in newest) {
      return { kind: 'unreadable', version: newest.version, reason: newest.unreadable }
    }
    return { kind: 'found', session: newest.session, version: newest.version }
  }

  async head(): Promise<HeadResult> {
    this.record('head')
    if (this.failures.head !== undefined) return { kind: 'unavailable', reason: this.failures.head }
    const newest = this.newest
    return newest === undefined ? { kind: 'empty' } : { kind: 'version', version: newest.version }
  }

  async write(session: Session): Promise<Written> {
    this.record('write', session)
    if ('write' in this.failures) throw this.failures.write
    return { version: this.put(session), where: 'memory (test)' }
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    this.record('exclusive')
    if ('exclusive' in this.failures) throw this.failures.exclusive
    this.exclusiveDepth++
    try {
      return await work()
    } finally {
      this.exclusiveDepth--
    }
  }

  async prune(written: Written, checked: string | undefined): Promise<void> {
    this.record('prune', written, checked)
    if (checked === undefined) return
    const upTo = this.versions.findIndex(stored => stored.version === checked)
    if (upTo >= 0) this.versions.splice(0, upTo + 1)
  }
}
