/**
 * The job summary and the annotations of a step, as pure functions of what main and post know:
 * where the session came from, what happened to it, when Codex will refresh it next, and the
 * phases with their durations. Never a token, never the whole account id. app/report.ts writes them.
 */
import {
  refreshDueAt,
  refreshReason,
  sessionAccount,
  willCodexRefresh,
  type Session
} from '../auth/index.js'
import { Input, type AuthSource, type Mode } from '../names.js'
import { describeDuration } from '../platform/durations.js'
import type { Writability } from '../storage/index.js'

export interface Phase {
  readonly name: string
  readonly ms: number
}

/** Where the session goes after the step, or what the post step did with it. */
export type SavedFact =
  /** Main: the post step saves a refreshed session there (a storage description). */
  | { readonly kind: 'by-post'; readonly where: string }
  /** Verify: nothing is saved. */
  | { readonly kind: 'verify'; readonly where: string }
  /** role: consumer: nothing is saved; the bundle came from there. */
  | { readonly kind: 'consumer'; readonly where: string }
  /** Post: the refreshed session was written there. */
  | { readonly kind: 'saved'; readonly where: string }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'already-saved' }
  /** storage: none: the session stays in CODEX_HOME (an auth.json path). */
  | { readonly kind: 'kept-in-place'; readonly where: string }
  /** auth.json is gone. */
  | { readonly kind: 'missing' }
  /** Post failed to store a changed session (the error says how to recover). */
  | { readonly kind: 'not-saved' }

export interface SummaryFacts {
  readonly step: 'main' | 'post'
  readonly mode: Mode
  readonly source: AuthSource
  /** Where the source is, in words: an auth.json path, a storage description, the input. */
  readonly sourceWhere: string
  /** The session as the step leaves it; undefined when auth.json is gone. */
  readonly session: Session | undefined
  readonly refreshed: boolean
  readonly saved: SavedFact
  /** The newest stored generation (version) after the step, and when it was saved, when known. */
  readonly generation?: { readonly version: string; readonly savedAt?: Date }
  readonly codexExitCode?: number
  readonly phases: readonly Phase[]
  readonly now: Date
}

export type Row = readonly [string, string]

export interface Summary {
  readonly title: string
  readonly rows: readonly Row[]
  /** Phase name and duration. */
  readonly phases: readonly Row[]
}

const TITLES: Record<Mode, string> = {
  run: 'Codex session: bootstrap and run',
  setup: 'Codex session: set up for later steps',
  verify: 'Codex session: verified (nothing run, nothing written)'
}

export function renderSummary(facts: SummaryFacts): Summary {
  const { session, now } = facts
  const rows: Row[] = [
    ['Mode', facts.mode],
    ['Session from', `${facts.source}: ${facts.sourceWhere}`]
  ]
  if (session) {
    rows.push(
      ['Account', describeAccount(session)],
      [
        facts.step === 'post' ? 'Refreshed during this job' : 'Refreshed during this step',
        facts.mode === 'verify' ? 'no (verify mode runs no Codex)' : facts.refreshed ? 'yes' : 'no'
      ],
      ['Last refresh', session.lastRefresh],
      ['Access token expires', describeExpiry(session, now)],
      ['Next refresh', describeNextRefresh(session, now)]
    )
  }
  rows.push(['Saved to', describeSaved(facts.saved)])
  if (facts.generation) {
    const { version, savedAt } = facts.generation
    rows.push([
      'Stored generation',
      savedAt ? `${version} (saved ${describeAge(now, savedAt)})` : version
    ])
  }
  if (facts.codexExitCode !== undefined) rows.push(['Codex exit code', String(facts.codexExitCode)])
  return {
    title: facts.step === 'post' ? 'Codex session: write back' : TITLES[facts.mode],
    rows,
    phases: facts.phases.map(phase => [phase.name, `${(phase.ms / 1000).toFixed(2)} s`] as const)
  }
}

export interface Annotation {
  readonly level: 'warning' | 'notice'
  readonly message: string
}

export interface AnnotationFacts {
  /** The session as the step leaves it. */
  readonly session: Session | undefined
  readonly saved: SavedFact
  /** Whether a run like this one could store a refreshed session; undefined when not asked. */
  readonly writable: Writability | undefined
  readonly now: Date
}

/** The warnings and notices about the session that a step ends with. */
export function sessionAnnotations({
  session,
  saved,
  writable,
  now
}: AnnotationFacts): Annotation[] {
  const annotations: Annotation[] = []
  const blocked = writable !== undefined && !writable.ok ? writable : undefined
  if (session && blocked && willCodexRefresh(session, now)) {
    annotations.push({
      level: 'warning',
      message:
        `Codex will refresh this session on its next run (${refreshReason(session, now)}), but a run ` +
        `like this one could not store the refreshed session: ${blocked.reason}. Such a run is refused ` +
        'before Codex starts, so nothing here can refresh the access token. To fix: ' +
        `${blocked.fix}.`
    })
  } else if (blocked && saved.kind === 'unchanged') {
    annotations.push({
      level: 'notice',
      message: `This run could not have stored a refreshed session: ${blocked.reason}.`
    })
  }
  if (saved.kind === 'unchanged' || saved.kind === 'already-saved') {
    annotations.push({
      level: 'notice',
      message:
        saved.kind === 'unchanged'
          ? 'Nothing needed saving: the session did not change during this job.'
          : 'Nothing needed saving: the refreshed session is already in the storage.'
    })
  }
  return annotations
}

/** Where a session source is, in words, for the summary. */
export function sourceWhere(
  source: AuthSource,
  authFile: string,
  storageDescription: string
): string {
  switch (source) {
    case 'disk':
      return authFile
    case 'storage':
      return storageDescription
    case 'secret':
      return `the '${Input.AuthJson}' input`
  }
}

/**
 * Enough of the account id to tell two accounts apart, never all of it: at most 8 characters,
 * and at most half of it.
 */
export function shortAccountId(id: string): string {
  return `${id.slice(0, Math.min(8, Math.floor(id.length / 2)))}…`
}

function describeAccount(session: Session): string {
  const { accountId, plan } = sessionAccount(session)
  return `${accountId ? shortAccountId(accountId) : 'unknown'}, plan ${plan ?? 'unknown'}`
}

function describeExpiry(session: Session, now: Date): string {
  const expiry = session.accessTokenExpiresAt
  if (!expiry) return 'unknown (the access token has no readable expiry)'
  const when = expiry.toISOString()
  return expiry.getTime() <= now.getTime()
    ? `${when} (expired ${describeAge(now, expiry)})`
    : `${when} (in ${describeDuration(expiry.getTime() - now.getTime())})`
}

function describeNextRefresh(session: Session, now: Date): string {
  if (willCodexRefresh(session, now)) return `on the next run: ${refreshReason(session, now)}`
  return `by Codex on the first run after ${refreshDueAt(session).toISOString()}`
}

function describeSaved(saved: SavedFact): string {
  switch (saved.kind) {
    case 'by-post':
      return `${saved.where}, by the post step if Codex refreshes the session`
    case 'verify':
      return `nothing (verify mode writes nothing; the storage is ${saved.where})`
    case 'consumer':
      return `nothing (role: consumer stores nothing; the consumer bundle is in ${saved.where})`
    case 'saved':
      return saved.where
    case 'unchanged':
      return 'nothing needed saving: the session did not change'
    case 'already-saved':
      return 'nothing needed saving: the refreshed session was there already'
    case 'kept-in-place':
      return `nowhere else: it stays in ${saved.where} on this runner (storage: none)`
    case 'missing':
      return 'nothing: auth.json is gone'
    case 'not-saved':
      return 'NOT saved: the error annotation says why, and how to recover the session'
  }
}

function describeAge(now: Date, then: Date): string {
  return `${describeDuration(Math.max(0, now.getTime() - then.getTime()))} ago`
}

/** Durations of the phases of a step, in the order they end. */
export class PhaseClock {
  readonly phases: Phase[] = []
  private last: number

  constructor(private readonly clock: () => number = () => performance.now()) {
    this.last = clock()
  }

  /** The phase `name` ends now: it took the time since the previous phase ended. */
  end(name: string): void {
    const now = this.clock()
    this.phases.push({ name, ms: Math.round(now - this.last) })
    this.last = now
  }
}
