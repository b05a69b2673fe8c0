/**
 * Phase 3, write back: read the session Codex left in CODEX_HOME and store it when it changed.
 * A refreshed session is never dropped silently: it is stored, or the outcome says why not and
 * whether that loses it.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { AuthFileError, parseAuthJson, type Session } from './auth/index.js'
import { readAuthFile } from './codex/home.js'
import { maskSession } from './masking.js'
import type { SaveOutcome, SessionStorage } from './storage/index.js'

export type PersistOutcome =
  | { kind: 'no-session' } // main did not get as far as choosing a session
  | { kind: 'missing' } // auth.json is gone: nothing to store
  | { kind: 'corrupt'; problem: string } // cannot tell what it holds: not stored
  | { kind: 'unchanged'; session: Session }
  | ({ session: Session } & SaveOutcome)

export interface PersistInput {
  readonly codexHome: string
  /** Fingerprint of the session main started from; empty when main stopped before choosing one. */
  readonly startFingerprint: string
  readonly storage: SessionStorage
  readonly readRetries?: number
  readonly retryDelayMs?: number
}

export async function persistSession(input: PersistInput): Promise<PersistOutcome> {
  if (input.startFingerprint === '') return { kind: 'no-session' }
  const current = await readSessionWithRetry(input)
  if (current.kind !== 'session') return current
  const session = current.session
  maskSession(session)
  if (session.fingerprint === input.startFingerprint) return { kind: 'unchanged', session }
  return { session, ...(await input.storage.save(session)) }
}

type ReadResult =
  { kind: 'session'; session: Session } | { kind: 'missing' } | { kind: 'corrupt'; problem: string }

/** Reads auth.json, retrying for a short while: a writer that is not atomic may be mid-write. */
async function readSessionWithRetry(input: PersistInput): Promise<ReadResult> {
  const retries = input.readRetries ?? 10
  let problem = ''
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(input.retryDelayMs ?? 200)
    const text = await readAuthFile(input.codexHome)
    if (text === undefined) return { kind: 'missing' }
    try {
      return { kind: 'session', session: parseAuthJson(text) }
    } catch (error) {
      if (!(error instanceof AuthFileError)) throw error
      problem = error.message
    }
  }
  return { kind: 'corrupt', problem }
}
