/**
 * The one interface every storage backend implements. A storage only reads and writes by version:
 * which session is newer, and whether to write at all, is decided once, in app/persist.ts.
 */
import type { Session } from '../auth/index.js'

/** Whether a refreshed session could be stored from this run, and if not, why and what to do. */
export type Writability = { ok: true } | { ok: false; reason: string; fix: string }

/**
 * A storage read has more than two answers. `unavailable` is a failure to ask (service down, a
 * time-out): it never means "nothing stored", since the session a fallback would use may be used up.
 */
export type LoadResult =
  | { kind: 'found'; session: Session; version: string; savedAt?: Date; warning?: string }
  | { kind: 'empty' }
  | { kind: 'unavailable'; reason: string }
  /** Something is stored but cannot be used (corrupt, tampered, another key). */
  | { kind: 'unreadable'; version: string; reason: string }

/** The cheap question "what is the newest stored version?", without reading the session. */
export type HeadResult =
  { kind: 'version'; version: string } | { kind: 'empty' } | { kind: 'unavailable'; reason: string }

export interface Written {
  readonly version: string
  /** For the log: where it went. */
  readonly where: string
}

export interface SessionStore {
  /** For logs: "directory /srv/codex-auth", "Actions cache, key codex-auth-*". */
  readonly description: string
  /**
   * `false` for storage: none: CODEX_HOME itself is kept, so there is nothing to read or write
   * elsewhere, and nothing is ever reported as stored.
   */
  readonly keepsSessions: boolean
  /**
   * Whether `load` returns what is stored now. A GitHub secret cannot be read back: when its version
   * moved since main looked, what another job stored there cannot be compared, only refused.
   */
  readonly readsBack: boolean
  /**
   * true when `checkWritable` can only prove access by writing (a probe secret): then post does not
   * ask it again, since the write itself fails loudly.
   */
  readonly probesByWriting?: boolean
  /** Can a refreshed session be stored from this run? Asked before Codex may refresh. */
  checkWritable(): Promise<Writability>
  load(): Promise<LoadResult>
  head(): Promise<HeadResult>
  /** Writes `session` as the newest version. Throws when it was not stored. */
  write(session: Session): Promise<Written>
  /**
   * Runs a read-compare-write with other jobs of this storage kept out, where the storage can do
   * that (a lock file); elsewhere it simply runs it.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T>
  /**
   * After `written` was stored: removes versions known to be older, up to and including
   * `checked` (the newest one seen before writing). Best effort: a failure only warns.
   */
  prune(written: Written, checked: string | undefined): Promise<void>
}
