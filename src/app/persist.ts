/**
 * Phase 3, write back: read the session Codex left in CODEX_HOME and store it when it changed.
 * The newest-wins rule lives here, once, for every storage: a refreshed session is stored only
 * after a lookup that succeeded shows nothing newer, it is never lost silently (any failure to
 * store it becomes one loud error with the recovery steps), and older versions are pruned only
 * after that lookup.
 */
import * as core from '@actions/core'
import { isNewer, refreshedBefore, type Session } from '../auth/index.js'
import { authFilePath, readSession } from '../codex/home.js'
import { ActionError } from '../errors.js'
import { describeFsError } from '../platform/files.js'
import type { SessionStore, Written } from '../storage/index.js'
import type { MainState } from './state.js'

export type PersistOutcome =
  /** auth.json is gone, and Codex did not refresh during main: nothing to store. */
  | { kind: 'missing' }
  | { kind: 'unchanged'; session: Session }
  /** storage: none: the session stays in CODEX_HOME; nothing was stored elsewhere. */
  | { kind: 'kept-in-place'; session: Session }
  | { kind: 'already-stored'; session: Session }
  | { kind: 'stored'; session: Session; written: Written }

/** A session that may be the only valid one was not stored: the message says why and how to recover. */
export class SessionNotStoredError extends ActionError {}

export interface PersistInput {
  readonly state: MainState
  readonly store: SessionStore
  readonly now: Date
  readonly readRetries?: number
}

/**
 * Stores the session if it changed. Every failure on the way (a read, a lookup, a lock, a write, a
 * full disk) is turned into SessionNotStoredError here, with the recovery steps.
 */
export async function persistSession(input: PersistInput): Promise<PersistOutcome> {
  try {
    return await decide(input)
  } catch (error) {
    throw notStored(error, input.state.codexHome)
  }
}

/** Any failure of the post step as the loud error, with the recovery steps. */
export function notStored(error: unknown, codexHome: string): SessionNotStoredError {
  if (error instanceof SessionNotStoredError) return error
  const reason =
    error instanceof ActionError || !(error as NodeJS.ErrnoException)?.code
      ? String((error as Error)?.message ?? error)
      : describeFsError(error)
  return new SessionNotStoredError(lostSessionMessage(reason.replace(/\.$/, ''), codexHome))
}

async function decide({
  state,
  store,
  now,
  readRetries = 10
}: PersistInput): Promise<PersistOutcome> {
  const { codexHome, start } = state
  const file = authFilePath(codexHome)
  const onDisk = await readSession(codexHome, { retries: readRetries })
  switch (onDisk.kind) {
    case 'missing':
      if (state.refreshedFingerprint !== undefined) throw new Error(`${file} is gone`)
      return { kind: 'missing' }
    case 'corrupt':
      throw new SessionNotStoredError(
        `${file} is not a usable session any more, so it was not stored: ${onDisk.problem} ` +
          'The stored session was left as it was. If Codex refreshed the session during this job, that ' +
          'stored copy is now used up: sign in again with `codex login` and update the auth-json secret.'
      )
  }
  const { session } = onDisk
  if (session.fingerprint === state.forcedFingerprint) {
    // Main stopped before it could put the original back: the working copy is never stored.
    throw new SessionNotStoredError(
      `${file} still holds the working copy that refresh-ahead handed Codex: Codex did not refresh ` +
        'the session, and that copy is not stored. The original session is what stays stored; ' +
        'the next run starts from it. Re-run the refresher.'
    )
  }
  if (session.fingerprint === start.fingerprint) {
    if (state.refreshedFingerprint !== undefined) {
      // Codex refreshed it in main, and a later step put the used copy back: the new one is gone.
      throw new Error(
        `${file} holds the session this job started from again, although Codex refreshed it during ` +
          'the main step: a later step replaced the refreshed session with the older copy, whose ' +
          'refresh token is used up'
      )
    }
    return { kind: 'unchanged', session }
  }
  if (refreshedBefore(session, start.lastRefresh, now)) {
    throw new Error(
      `${file} now holds a session last refreshed at ${session.lastRefresh}, older than the one this ` +
        `job started from (${start.lastRefresh}): a later step replaced it with an older copy, and an ` +
        'older session never replaces a newer one'
    )
  }
  const writable = store.probesByWriting ? { ok: true as const } : await store.checkWritable()
  if (!writable.ok) throw new Error(`${writable.reason} (to fix: ${writable.fix})`)
  if (!store.keepsSessions) return { kind: 'kept-in-place', session }

  return store.exclusive(async () => {
    const head = await store.head()
    if (head.kind === 'unavailable') {
      throw new Error(
        `could not check whether a newer session is stored (${head.reason}), so it was not written: ` +
          'an older session must never replace a newer one'
      )
    }
    let checked = head.kind === 'version' ? head.version : undefined
    // Prune only on account of a version that was read: an unreadable one may be another's.
    let checkedReadable = checked === start.storedVersion && start.storedReadable
    if (checked !== undefined && checked !== start.storedVersion && !store.readsBack) {
      throw new Error(
        `${store.description} was updated since this job started (version ${checked}, not ` +
          `${start.storedVersion ?? 'none'}): another job stored a session, and its value cannot be read ` +
          'back to compare, so this one was not written over it'
      )
    }
    if (checked !== undefined && checked !== start.storedVersion) {
      // Another job stored a version after main looked: compare the sessions themselves.
      const stored = await store.load()
      switch (stored.kind) {
        case 'unavailable':
          throw new Error(
            `could not read the session another job stored meanwhile (${stored.reason}), so this one ` +
              'was not written: an older session must never replace a newer one'
          )
        case 'found':
          if (stored.session.fingerprint === session.fingerprint)
            return { kind: 'already-stored', session }
          if (isNewer(stored.session, session, now)) throw newerStored(stored.session)
          checked = stored.version
          checkedReadable = true
          break
        case 'unreadable':
          core.warning(
            `The newest stored session cannot be used (${stored.reason}); storing this one as newer.`
          )
          checked = stored.version
          break
        case 'empty':
          checked = undefined
      }
    }
    const written = await store.write(session)
    await store.prune(written, checkedReadable ? checked : undefined)
    return { kind: 'stored', session, written }
  })
}

function newerStored(stored: Session): SessionNotStoredError {
  return new SessionNotStoredError(
    `The refreshed session was NOT stored: a newer one (last refresh ${stored.lastRefresh}) ` +
      'is already stored, and an older session never replaces a newer one. Another job is using the ' +
      'same session at the same time; only one of the two refresh chains can stay valid, and the next ' +
      'runs start from the stored one. Give each concurrent user its own sign-in, or serialise the jobs ' +
      'with a concurrency group.'
  )
}

/** What the post step says about the outcome in the log (the summary and notices: app/post.ts). */
export function reportPersisted(outcome: PersistOutcome, codexHome: string): void {
  switch (outcome.kind) {
    case 'missing':
      core.warning(
        `${authFilePath(codexHome)} is gone (removed by a later step, or codex logout): nothing to store. ` +
          'The next run starts from the stored session or the auth-json secret; if Codex refreshed it ' +
          'in a later step, sign in again with `codex login` and update the secret.'
      )
      return
    case 'unchanged':
      core.info('The session did not change during this job: nothing to store.')
      return
    case 'kept-in-place':
      core.info(
        `The refreshed session (last refresh ${outcome.session.lastRefresh}) stays in ` +
          `${authFilePath(codexHome)} on this runner (storage: none keeps it there).`
      )
      return
    case 'already-stored':
      core.info('The refreshed session is already stored.')
      return
    case 'stored':
      core.info(
        `Stored the refreshed session (last refresh ${outcome.session.lastRefresh}) in ${outcome.written.where}.`
      )
      return
  }
}

function lostSessionMessage(reason: string, codexHome: string): string {
  return (
    `The refreshed session could not be stored: ${reason}. It now exists only in ${authFilePath(codexHome)} ` +
    'on this runner (if at all), and the stored copy (or the secret) may hold a refresh token that no ' +
    'longer works. To recover: if the runner is still up, copy that auth.json into the auth-json secret ' +
    '(and into the storage); otherwise run `codex login` on a trusted machine and update the secret.'
  )
}
