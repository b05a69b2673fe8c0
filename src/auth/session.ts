/**
 * A validated ChatGPT session and the questions the action asks of it: which of two is newer,
 * will Codex refresh it on this run, did it change. Pure functions: no I/O, `now` passed in.
 */
import { createHash } from 'node:crypto'
import { decodeJwtPayload, jwtExpiry } from './jwt.js'
import { RFC3339, type AuthFile, type ConsumerFile } from './schema.js'

export interface Session {
  /** The auth.json text to write to disk or storage. */
  readonly text: string
  /** A full session (with its refresh token), or a consumer bundle (without). */
  readonly file: AuthFile | ConsumerFile
  /** `last_refresh` as written by Codex (RFC 3339, up to nanoseconds). */
  readonly lastRefresh: string
  /** The access token's `exp`, when it is a JWT that has one. */
  readonly accessTokenExpiresAt: Date | undefined
  /** A SHA-256 over the tokens and last_refresh: safe to keep in state, changes on every refresh. */
  readonly fingerprint: string
}

// Codex refreshes when the access token expires within this margin (codex-auth-facts.md).
export const REFRESH_MARGIN_MS = 5 * 60 * 1000
// ...or, when the access token has no readable exp, when last_refresh is older than this.
export const REFRESH_INTERVAL_MS = 8 * 24 * 60 * 60 * 1000

export function sessionFromAuthFile(file: AuthFile | ConsumerFile, text: string): Session {
  const { id_token, access_token, refresh_token, account_id } = file.tokens
  return {
    text,
    file,
    lastRefresh: file.last_refresh,
    accessTokenExpiresAt: jwtExpiry(access_token),
    fingerprint: createHash('sha256')
      .update(
        JSON.stringify([id_token, access_token, refresh_token, account_id, file.last_refresh])
      )
      .digest('hex')
  }
}

/** The credential strings inside a session: each must be masked before anything is logged. */
export function sessionSecrets(session: Session): string[] {
  const { id_token, access_token, refresh_token } = session.file.tokens
  return [id_token, access_token, refresh_token]
}

/** last_refresh as nanoseconds since the epoch, exact (Date would drop the last six digits). */
export function lastRefreshInstant(session: Session): bigint {
  return instantOf(session.lastRefresh)
}

/** An RFC 3339 timestamp as nanoseconds since the epoch, exact. */
export function instantOf(lastRefresh: string): bigint {
  const m = RFC3339.exec(lastRefresh)
  if (!m) throw new Error('last_refresh is not RFC 3339') // the schema guarantees it is
  const [, y, mo, d, h, mi, s, fraction = '', zulu, sign, oh, om] = m
  const seconds = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!) / 1000
  const offset = zulu ? 0 : (sign === '-' ? -1 : 1) * (+oh! * 3600 + +om! * 60)
  return BigInt(seconds - offset) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'))
}

export function lastRefreshDate(session: Session): Date {
  return new Date(Number(lastRefreshInstant(session) / 1_000_000n))
}

// Clocks of the machines that wrote sessions may be a little ahead of ours; more than this is wrong.
export const CLOCK_SKEW_MS = 5 * 60 * 1000

/**
 * A last_refresh later than now (plus a small clock skew) cannot be true: the machine that wrote it
 * had a wrong clock, or the file was edited. Such a timestamp must not win every comparison.
 */
export function isFromTheFuture(session: Pick<Session, 'lastRefresh'>, now: Date): boolean {
  return instantOf(session.lastRefresh) > BigInt(now.getTime() + CLOCK_SKEW_MS) * 1_000_000n
}

/**
 * Orders two sessions, newest last: by last_refresh (Codex sets it on every refresh), then by the
 * access token's expiry. A last_refresh from the future is distrusted: it ranks below every
 * believable one. Negative when `a` is older than `b`, zero when neither is newer.
 */
export function compareSessions(a: Session, b: Session, now: Date): number {
  const aDistrusted = isFromTheFuture(a, now)
  if (aDistrusted !== isFromTheFuture(b, now)) return aDistrusted ? -1 : 1
  const byRefresh = lastRefreshInstant(a) - lastRefreshInstant(b)
  // Stryker disable next-line EqualityOperator: equivalent, byRefresh is not 0n here, so < 0n and <= 0n agree
  if (byRefresh !== 0n) return byRefresh < 0n ? -1 : 1
  return Math.sign(
    (a.accessTokenExpiresAt?.getTime() ?? 0) - (b.accessTokenExpiresAt?.getTime() ?? 0)
  )
}

export function isNewer(a: Session, than: Session, now: Date): boolean {
  return compareSessions(a, than, now) > 0
}

/**
 * Was `session` refreshed before `lastRefresh` (the session a job started from)? A timestamp from
 * the future proves nothing either way: then false.
 */
export function refreshedBefore(session: Session, lastRefresh: string, now: Date): boolean {
  if (isFromTheFuture(session, now) || isFromTheFuture({ lastRefresh }, now)) return false
  return lastRefreshInstant(session) < instantOf(lastRefresh)
}

/** Why Codex will refresh this session on this run, in words (willCodexRefresh is true). */
export function refreshReason(session: Session, now: Date): string {
  const expiry = session.accessTokenExpiresAt
  if (expiry)
    return expiry.getTime() <= now.getTime()
      ? `its access token expired at ${expiry.toISOString()}`
      : `its access token expires within ${REFRESH_MARGIN_MS / 60_000} minutes (${expiry.toISOString()})`
  return `its access token has no readable expiry and it was last refreshed more than ${REFRESH_INTERVAL_MS / 86_400_000} days ago`
}

/**
 * Will Codex refresh this session before its first request? Decided by the access token's exp
 * when it has one (last_refresh is then ignored), else by the age of last_refresh.
 */
export function willCodexRefresh(session: Session, now: Date): boolean {
  if (session.accessTokenExpiresAt) {
    return session.accessTokenExpiresAt.getTime() <= now.getTime() + REFRESH_MARGIN_MS
  }
  return now.getTime() - lastRefreshDate(session).getTime() > REFRESH_INTERVAL_MS
}

/**
 * When Codex will next refresh this session: the first run at or after this instant refreshes it
 * (willCodexRefresh). By the access token's exp when it has one, else by the age of last_refresh.
 */
export function refreshDueAt(session: Session): Date {
  if (session.accessTokenExpiresAt)
    return new Date(session.accessTokenExpiresAt.getTime() - REFRESH_MARGIN_MS)
  return new Date(lastRefreshDate(session).getTime() + REFRESH_INTERVAL_MS)
}

/** Who the session signs in as, for reports: the ChatGPT account id and plan, when known. */
export function sessionAccount(session: Session): { accountId?: string; plan?: string } {
  const claims = decodeJwtPayload(session.file.tokens.id_token)?.['https://api.openai.com/auth'] as
    { chatgpt_account_id?: unknown; chatgpt_plan_type?: unknown } | null | undefined
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)
  const accountId = text(session.file.tokens.account_id) ?? text(claims?.chatgpt_account_id)
  const plan = text(claims?.chatgpt_plan_type)
  return { ...(accountId ? { accountId } : {}), ...(plan ? { plan } : {}) }
}
