/**
 * Phase 1, bootstrap-if-missing: choose the session Codex will start from (the one on disk, the
 * stored one or the secret: the newest wins), refuse a run whose refresh could not be stored or
 * could present a used refresh token, then write the session into CODEX_HOME safely.
 */
import * as core from '@actions/core'
import {
  compareSessions,
  isFromTheFuture,
  refreshReason,
  willCodexRefresh,
  type Session
} from '../auth/index.js'
import {
  authFilePath,
  ensureFileCredentialStore,
  readSession,
  unsafeAuthFile,
  writeAuthFile
} from '../codex/home.js'
import { ActionError } from '../errors.js'
import { Input, type AuthSource } from '../names.js'
import { describeFsError, freeBytes } from '../platform/files.js'
import type { LoadResult, SessionStore } from '../storage/index.js'

export interface Candidate {
  readonly source: AuthSource
  readonly session: Session
}

export interface Start extends Candidate {
  /** The newest stored version seen (restored or not): post compares it with what is stored then. */
  readonly storedVersion: string | undefined
  readonly storedReadable: boolean
  /** When the restored version was saved, when the storage knows. */
  readonly storedAt?: Date
}

/** The step cannot start: the message says what is wrong and how to fix it. Nothing was stored. */
export class BootstrapError extends ActionError {}

// On equal age, prefer what needs no write: disk, then storage, then the secret.
const SOURCE_PREFERENCE: AuthSource[] = ['disk', 'storage', 'secret']

/** The newest candidate; undefined when there is none. Pure. */
export function chooseSession(candidates: readonly Candidate[], now: Date): Candidate | undefined {
  return [...candidates].sort(
    (a, b) =>
      compareSessions(b.session, a.session, now) ||
      SOURCE_PREFERENCE.indexOf(a.source) - SOURCE_PREFERENCE.indexOf(b.source)
  )[0]
}

// Codex writes the refreshed tokens and its session logs into CODEX_HOME: a full disk there makes
// it retry with the used refresh token.
export const MIN_FREE_BYTES = 8 * 1024 * 1024

export interface StartInput {
  readonly codexHome: string
  readonly seed: Session | undefined
  readonly store: SessionStore
  readonly now: Date
}

/**
 * Chooses the session Codex will start from, and refuses a run whose refresh could not be stored
 * or that would fall back to an older source because the storage could not be read. Writes nothing.
 */
export async function chooseStart({ codexHome, seed, store, now }: StartInput): Promise<Start> {
  const { candidates, stored } = await gatherCandidates({ codexHome, seed, store, now })
  let storedVersion: string | undefined
  if (stored.kind === 'found' || stored.kind === 'unreadable') storedVersion = stored.version
  const chosen = chooseSession(candidates, now)

  // A refresh that could not be stored is refused first: that refusal holds whatever is stored.
  if (chosen && willCodexRefresh(chosen.session, now)) {
    const writable = await store.checkWritable()
    if (!writable.ok) {
      throw new BootstrapError(
        `Codex would refresh this session on this run (${refreshReason(chosen.session, now)}), ` +
          `but the refreshed session could not be stored: ${writable.reason}. Running Codex anyway ` +
          'would use up the refresh token and lose the new one. Nothing was changed. ' +
          `To fix: ${writable.fix}.`
      )
    }
  }
  if (stored.kind === 'unavailable') {
    if (chosen === undefined || willCodexRefresh(chosen.session, now)) {
      throw new BootstrapError(
        `Could not read the stored session from ${store.description}: ${stored.reason}. This is most ` +
          'likely transient: re-run the job. Nothing was changed. ' +
          (chosen
            ? `The action did not fall back to ${describeSource(chosen.source, codexHome, store)}: ` +
              `Codex would refresh it (${refreshReason(chosen.session, now)}), and if a newer session is ` +
              'stored, that copy holds a refresh token that is already used; presenting it can end the session.'
            : '')
      )
    }
    core.warning(
      `Could not read the stored session from ${store.description}: ${stored.reason}. Using ` +
        `${describeSource(chosen.source, codexHome, store)} instead: Codex will not need to refresh it on this run.`
    )
  }
  if (!chosen) throw new BootstrapError(noSessionMessage(codexHome, store, stored))
  core.info(
    `Using the session from ${describeSource(chosen.source, codexHome, store)} (${describeAge(chosen.session)}).`
  )

  await checkFreeSpace(codexHome)
  return {
    ...chosen,
    storedVersion,
    storedReadable: stored.kind === 'found',
    ...(stored.kind === 'found' && stored.savedAt ? { storedAt: stored.savedAt } : {})
  }
}

/**
 * The sessions a run could start from (on disk, stored, the seed) and the storage's answer, with
 * the warnings about them (an unreadable stored one, a clock from the future). Writes nothing.
 */
export async function gatherCandidates({
  codexHome,
  seed,
  store,
  now
}: StartInput): Promise<{ candidates: Candidate[]; stored: LoadResult }> {
  const disk = await readDiskSession(codexHome)
  const stored = await store.load()

  const candidates: Candidate[] = []
  if (disk) candidates.push({ source: 'disk', session: disk })
  switch (stored.kind) {
    case 'found':
      candidates.push({ source: 'storage', session: stored.session })
      if (stored.warning) core.warning(stored.warning)
      break
    case 'unreadable':
      core.warning(`Ignoring the stored session: ${stored.reason}`)
      break
  }
  if (seed) candidates.push({ source: 'secret', session: seed })
  for (const candidate of candidates) {
    if (isFromTheFuture(candidate.session, now)) {
      core.warning(
        `The session from ${describeSource(candidate.source, codexHome, store)} says it was last ` +
          `refreshed at ${candidate.session.lastRefresh}, which is in the future: the clock of the ` +
          'machine that wrote it was wrong, or the file was edited. It counts as older than any other session.'
      )
    }
  }
  return { candidates, stored }
}

/** The error of a step that finds no session to start from: where it looked, and what to do. */
export function noSessionMessage(
  codexHome: string,
  store: SessionStore,
  stored: LoadResult
): string {
  const storage =
    stored.kind === 'unreadable'
      ? `storage (${store.description}) holds one that cannot be used (see the warning above)`
      : `storage (${store.description}) holds none`
  return (
    `No ChatGPT session to start from: ${authFilePath(codexHome)} does not exist, ${storage}, ` +
    `and the '${Input.AuthJson}' input is empty. Sign in with \`codex login\` on a trusted machine ` +
    "and pass ~/.codex/auth.json as 'auth-json' from a secret."
  )
}

/**
 * Keeps the session in auth.json (config.toml) and puts the chosen session (or `session`, a working
 * copy of it) there, unless it is already there. A failure names the input and the cause.
 */
export async function writeStart(
  codexHome: string,
  start: Candidate,
  session: Session = start.session
): Promise<void> {
  try {
    await ensureFileCredentialStore(codexHome)
    if (start.source !== 'disk' || session !== start.session)
      await writeAuthFile(codexHome, session)
  } catch (error) {
    if (error instanceof ActionError)
      throw new BootstrapError(`Input '${Input.CodexHome}' (${codexHome}): ${error.message}`)
    throw new BootstrapError(
      `Could not write the session into '${Input.CodexHome}' (${codexHome}): ${describeFsError(error)}. ` +
        'Codex was not run and nothing was stored. Fix that directory (its permissions, free space), or ' +
        `set '${Input.CodexHome}' to another one, and re-run.`
    )
  }
}

async function checkFreeSpace(codexHome: string): Promise<void> {
  const free = await freeBytes(codexHome)
  if (free !== undefined && free < MIN_FREE_BYTES) {
    throw new BootstrapError(
      `The disk that holds '${Input.CodexHome}' (${codexHome}) is full: ${Math.floor(free / 1024)} KiB ` +
        `free, and Codex needs room to write the refreshed session (at least ${MIN_FREE_BYTES / 1024 / 1024} MiB). ` +
        'Codex was not run: with a full disk it cannot save new tokens and retries with the used one. ' +
        'Free some space on the runner and re-run.'
    )
  }
}

/** The session already in CODEX_HOME. One that exists but is unusable stops the step: it is not ours to replace. */
export async function readDiskSession(codexHome: string): Promise<Session | undefined> {
  const unsafe = await unsafeAuthFile(codexHome)
  if (unsafe)
    throw new BootstrapError(
      `Input '${Input.CodexHome}': ${unsafe}; the action will not use it. Nothing was changed.`
    )
  const onDisk = await readSession(codexHome).catch((error: unknown) => {
    throw new BootstrapError(
      `Could not read ${authFilePath(codexHome)}: ${describeFsError(error)}. Fix its permissions, or ` +
        `set '${Input.CodexHome}' to another directory.`
    )
  })
  if (onDisk.kind === 'corrupt') {
    throw new BootstrapError(
      `${authFilePath(codexHome)} exists but is not a usable ChatGPT session: ${onDisk.problem} ` +
        "The action does not replace a file it cannot read. Remove it (or fix it), or set 'codex-home' " +
        'to another directory.'
    )
  }
  return onDisk.kind === 'session' ? onDisk.session : undefined
}

export function describeSource(source: AuthSource, codexHome: string, store: SessionStore): string {
  switch (source) {
    case 'disk':
      return authFilePath(codexHome)
    case 'storage':
      return `storage (${store.description})`
    case 'secret':
      return `the '${Input.AuthJson}' input`
  }
}

export function describeAge(session: Session): string {
  const expiry = session.accessTokenExpiresAt
  return (
    `last refreshed ${session.lastRefresh}` +
    (expiry ? `, access token expires ${expiry.toISOString()}` : '')
  )
}
