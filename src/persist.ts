/**
 * Phase 3, write back: read the session Codex left in CODEX_HOME and store it when it changed.
 * A refreshed session is never dropped silently: it is stored, or the step fails saying why and
 * how to recover.
 */
import * as core from '@actions/core'
import type { Session } from './auth/index.js'
import { authFilePath, readSession } from './codex/home.js'
import { writeSummary } from './report.js'
import { SaveError, type SaveOutcome, type SessionStorage } from './storage/index.js'

export type PersistOutcome =
  | { kind: 'missing' } // auth.json is gone: nothing to store
  | { kind: 'unchanged'; session: Session }
  | ({ session: Session } & SaveOutcome)

export interface PersistInput {
  readonly codexHome: string
  /** Fingerprint of the session main started from. */
  readonly startFingerprint: string
  /** Fingerprint of the session Codex refreshed during the main step, if it did. */
  readonly refreshedFingerprint: string
  readonly storage: SessionStorage
  readonly readRetries?: number
}

/** Stores the session if it changed; throws SaveError (loud) whenever a refreshed session is not stored. */
export async function persistSession(input: PersistInput): Promise<PersistOutcome> {
  const { codexHome, storage } = input
  const file = authFilePath(codexHome)
  const onDisk = await readSession(codexHome, { retries: input.readRetries ?? 10 })
  switch (onDisk.kind) {
    case 'missing':
      if (input.refreshedFingerprint !== '') {
        throw new SaveError(lostSessionMessage(`${file} is gone`, codexHome))
      }
      return { kind: 'missing' }
    case 'corrupt':
      throw new SaveError(
        `${file} is not a usable session any more, so it was not stored: ${onDisk.problem} ` +
          'The stored session was left as it was. If Codex refreshed the session during this job, that ' +
          'stored copy is now used up: sign in again with `codex login` and update the auth-json secret.'
      )
  }
  const { session } = onDisk
  if (session.fingerprint === input.startFingerprint) return { kind: 'unchanged', session }
  try {
    return { session, ...(await storage.save(session)) }
  } catch (error) {
    if (!(error instanceof SaveError)) throw error
    throw new SaveError(lostSessionMessage(error.message, codexHome))
  }
}

/** What the post step says about the outcome; fails (throws SaveError) when a session was not stored. */
export async function reportPersisted(
  outcome: PersistOutcome,
  codexHome: string,
  storage: SessionStorage
): Promise<void> {
  switch (outcome.kind) {
    case 'missing':
      core.warning(
        `${authFilePath(codexHome)} is gone (removed by a later step, or codex logout): nothing to store.`
      )
      return
    case 'unchanged': {
      core.info('The session did not change during this job: nothing to store.')
      const writable = await storage.checkWritable()
      if (!writable.ok)
        core.notice(`This run could not have stored a refreshed session: ${writable.reason}.`)
      return
    }
    case 'already-stored':
      core.info('The refreshed session is already stored.')
      return
    case 'saved':
      core.info(
        `Stored the refreshed session (last refresh ${outcome.session.lastRefresh}) in ${outcome.where}.`
      )
      await writeSummary('Codex session stored', [
        ['stored in', outcome.where],
        ['last refresh', outcome.session.lastRefresh]
      ])
      return
    case 'newer-stored':
      throw new SaveError(
        `The refreshed session was NOT stored: a newer one (last refresh ${outcome.stored.lastRefresh}) ` +
          'is already stored, and an older session never replaces a newer one. Another job is using the ' +
          'same session at the same time; only one of the two refresh chains can stay valid. Give each ' +
          'concurrent user its own sign-in, or serialise the jobs with a concurrency group.'
      )
  }
}

function lostSessionMessage(reason: string, codexHome: string): string {
  return (
    `The refreshed session could not be stored: ${reason}. It now exists only in ${authFilePath(codexHome)} ` +
    'on this runner (if at all), and the stored copy (or the secret) holds a refresh token that no longer ' +
    'works. To recover: copy that auth.json from this runner into the auth-json secret if the runner is ' +
    'still up; otherwise run `codex login` on a trusted machine and update the secret.'
  )
}
