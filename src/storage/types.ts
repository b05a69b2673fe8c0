/** The one interface every storage backend implements. */
import { ActionError } from '../errors.js'
import type { Session } from '../auth/index.js'

/** Whether a refreshed session could be stored from this run, and if not, why and what to do. */
export type Writability = { ok: true } | { ok: false; reason: string; fix: string }

export type SaveOutcome =
  /** Stored; `where` says where, for the log. */
  | { kind: 'saved'; where: string }
  /** The same session is already stored. */
  | { kind: 'already-stored' }
  /** A newer session is stored: this one must not overwrite it. */
  | { kind: 'newer-stored'; stored: Session }

export interface SessionStorage {
  /** For logs: "directory /srv/codex-auth", "none". */
  readonly description: string
  /** Can a refreshed session be stored from this run? Asked before Codex may refresh. */
  checkWritable(): Promise<Writability>
  /** The newest stored session; undefined when there is none or it is unusable (with a warning). */
  loadNewest(): Promise<Session | undefined>
  /** Stores `session` unless an equal or newer one is stored. Throws when storing failed. */
  save(session: Session): Promise<SaveOutcome>
}

/** Storing failed: the refreshed session may now exist only on this runner. */
export class SaveError extends ActionError {}
