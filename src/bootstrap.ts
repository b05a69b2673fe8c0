/**
 * Phase 1, bootstrap-if-missing: choose the session Codex will start from (the one on disk, the
 * stored one or the secret: the newest wins), refuse a run whose refresh could not be stored, then
 * write the session into CODEX_HOME safely.
 */
import { ActionError } from './errors.js'
import * as core from '@actions/core'
import {
  AuthFileError,
  compareSessions,
  parseAuthSecret,
  willCodexRefresh,
  type Session
} from './auth/index.js'
import {
  authFilePath,
  ensureFileCredentialStore,
  readSession,
  writeAuthFile
} from './codex/home.js'
import type { Config } from './inputs.js'
import { maskSession } from './masking.js'
import { Input, type AuthSource } from './names.js'
import type { SessionStorage } from './storage/index.js'

export interface Candidate {
  readonly source: AuthSource
  readonly session: Session
}

/** The step cannot start: the message says what is wrong and how to fix it. Nothing was stored. */
export class BootstrapError extends ActionError {}

// On equal age, prefer what needs no write: disk, then storage, then the secret.
const SOURCE_PREFERENCE: AuthSource[] = ['disk', 'storage', 'secret']

/** The newest candidate; undefined when there is none. Pure. */
export function chooseSession(candidates: readonly Candidate[]): Candidate | undefined {
  return [...candidates].sort(
    (a, b) =>
      compareSessions(b.session, a.session) ||
      SOURCE_PREFERENCE.indexOf(a.source) - SOURCE_PREFERENCE.indexOf(b.source)
  )[0]
}

/**
 * Chooses the session Codex will start from, and refuses a run whose refresh could not be stored.
 * Writes nothing: a refusal leaves every file as it was.
 */
export async function chooseStart(
  config: Config,
  storage: SessionStorage,
  now: Date
): Promise<Candidate> {
  const secret = parseSecretInput(config.authJson)
  maskSession(secret)
  const disk = await readDiskSession(config.codexHome)
  const stored = await storage.loadNewest()
  maskSession(stored)

  const candidates: Candidate[] = []
  if (disk) candidates.push({ source: 'disk', session: disk })
  if (stored) candidates.push({ source: 'storage', session: stored })
  if (secret) candidates.push({ source: 'secret', session: secret })
  const chosen = chooseSession(candidates)
  if (!chosen) {
    throw new BootstrapError(
      `No ChatGPT session to start from: ${authFilePath(config.codexHome)} does not exist, ` +
        `storage (${storage.description}) holds none, and the '${Input.AuthJson}' input is empty. ` +
        "Sign in with `codex login` on a trusted machine and pass ~/.codex/auth.json as 'auth-json' " +
        'from a secret.'
    )
  }
  core.info(
    `Using the session from ${describeSource(chosen.source, config, storage)} (${describeAge(chosen.session)}).`
  )

  if (willCodexRefresh(chosen.session, now)) {
    const writable = await storage.checkWritable()
    if (!writable.ok) {
      throw new BootstrapError(
        'Codex would refresh this session on this run (its access token expires within 5 minutes), ' +
          `but the refreshed session could not be stored: ${writable.reason}. Running Codex anyway ` +
          'would use up the refresh token and lose the new one. Nothing was changed. ' +
          `To fix: ${writable.fix}.`
      )
    }
  }

  return chosen
}

/** Puts the chosen session into CODEX_HOME (unless it is already there) and keeps it in auth.json. */
export async function writeStart(config: Config, start: Candidate): Promise<void> {
  if (start.source !== 'disk') await writeAuthFile(config.codexHome, start.session)
  await ensureFileCredentialStore(config.codexHome)
}

function parseSecretInput(input: string | undefined): Session | undefined {
  if (input === undefined) return undefined
  try {
    return parseAuthSecret(input)
  } catch (error) {
    if (error instanceof AuthFileError) {
      throw new BootstrapError(
        `The '${Input.AuthJson}' input is not a usable auth.json: ${error.message}`
      )
    }
    throw error
  }
}

/** The session already in CODEX_HOME. One that exists but is unusable stops the step: it is not ours to replace. */
async function readDiskSession(codexHome: string): Promise<Session | undefined> {
  const onDisk = await readSession(codexHome)
  if (onDisk.kind === 'corrupt') {
    throw new BootstrapError(
      `${authFilePath(codexHome)} exists but is not a usable ChatGPT session: ${onDisk.problem} ` +
        "The action does not replace a file it cannot read. Remove it (or fix it), or set 'codex-home' " +
        'to another directory.'
    )
  }
  return onDisk.kind === 'session' ? onDisk.session : undefined
}

function describeSource(source: AuthSource, config: Config, storage: SessionStorage): string {
  switch (source) {
    case 'disk':
      return authFilePath(config.codexHome)
    case 'storage':
      return `storage (${storage.description})`
    case 'secret':
      return `the '${Input.AuthJson}' input`
  }
}

function describeAge(session: Session): string {
  const expiry = session.accessTokenExpiresAt
  return (
    `last refreshed ${session.lastRefresh}` +
    (expiry ? `, access token expires ${expiry.toISOString()}` : '')
  )
}
