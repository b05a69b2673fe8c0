/**
 * The fan-out model: a refresher holds the full session, consumers get a bundle derived from it that
 * cannot mint new tokens. Deriving the bundle, parsing one, judging whether it is still usable, and
 * the working copy that makes Codex refresh ahead of time. Pure functions: no I/O, `now` passed in.
 */
import { decodeJwtPayload, isPlainObject } from './jwt.js'
import type { StoredItem } from '../names.js'
import { AuthFileError, decodeSecretText, parseAuthJson, parseJsonObject } from './parse.js'
import { ConsumerFileSchema, type AuthFile, type ConsumerFile } from './schema.js'
import {
  REFRESH_INTERVAL_MS,
  sessionFromAuthFile,
  willCodexRefresh,
  type Session
} from './session.js'

/** Is this a consumer bundle (no refresh token), not a full session? */
export function isConsumerBundle(session: Session): boolean {
  return session.file.auth_mode === 'chatgptAuthTokens'
}

/**
 * The consumer bundle of a session: its current access and id tokens and account, an empty refresh
 * token, and the mode in which Codex uses the tokens as given (no call to the token endpoint, the
 * file never rewritten). Nothing else of the session is carried over.
 */
export function consumerBundle(session: Session): Session {
  const { id_token, access_token, account_id } = session.file.tokens
  const accountId = account_id ?? accountIdClaim(id_token)
  const file: ConsumerFile = {
    auth_mode: 'chatgptAuthTokens',
    OPENAI_API_KEY: null,
    tokens: {
      id_token,
      access_token,
      refresh_token: '',
      ...(accountId ? { account_id: accountId } : {})
    },
    last_refresh: session.lastRefresh
  }
  return sessionFromAuthFile(file, `${JSON.stringify(file, null, 2)}\n`)
}

const CONSUMER_FIX =
  'Pass the consumer bundle that a job with role: refresher publishes, never the session itself.'

/** Parses a consumer bundle (as the refresher writes it), or throws AuthFileError. */
export function parseConsumerBundle(text: string): Session {
  const value = parseJsonObject(text)
  const tokens = isPlainObject(value.tokens) ? value.tokens : undefined
  const refreshToken = tokens?.refresh_token
  if (typeof refreshToken === 'string' && refreshToken !== '') {
    throw new AuthFileError(
      'tokens.refresh_token',
      'it holds a refresh token (it is a full session): a consumer must never hold one, since a ' +
        'refresh token can mint new tokens and, used twice, ends the session. ' +
        CONSUMER_FIX
    )
  }
  const result = ConsumerFileSchema.safeParse(value)
  if (!result.success) {
    // Stryker disable next-line OptionalChaining,StringLiteral: equivalent, a failed safeParse always has an issue with a path
    const field = result.error.issues[0]?.path.map(String).join('.') || '(json)'
    throw new AuthFileError(
      field,
      field === 'auth_mode'
        ? `auth_mode is not "chatgptAuthTokens": this is not a consumer bundle. ${CONSUMER_FIX}`
        : `${field} is missing or not what a consumer bundle holds. ${CONSUMER_FIX}`
    )
  }
  return sessionFromAuthFile(result.data, `${JSON.stringify(value, null, 2)}\n`)
}

/** The text of a stored item: a full session, or a consumer bundle. */
export function parseStoredItem(item: StoredItem, text: string): Session {
  return item === 'consumer' ? parseConsumerBundle(text) : parseAuthJson(text)
}

/** The auth-json input of a consumer: raw JSON or base64 of it, like any auth-json. */
export function parseConsumerSecret(input: string): Session {
  return parseConsumerBundle(decodeSecretText(input))
}

export type BundleValidity =
  | { usable: true; expiresAt: Date }
  | { usable: false; problem: 'no-expiry' }
  | { usable: false; problem: 'expired' | 'expires-soon'; expiresAt: Date }

/**
 * Can a consumer run on this bundle? Only while its access token is valid for at least
 * `minValidityMs` more: the bundle cannot be refreshed, and a rejected token ends the run.
 */
export function bundleValidity(bundle: Session, minValidityMs: number, now: Date): BundleValidity {
  const expiresAt = bundle.accessTokenExpiresAt
  if (expiresAt === undefined) return { usable: false, problem: 'no-expiry' }
  if (expiresAt.getTime() <= now.getTime()) return { usable: false, problem: 'expired', expiresAt }
  if (expiresAt.getTime() <= now.getTime() + minValidityMs)
    return { usable: false, problem: 'expires-soon', expiresAt }
  return { usable: true, expiresAt }
}

/**
 * What a refresher does about the session it starts from: Codex refreshes it anyway (expired or
 * about to), or it expires within `refreshAheadMs` and Codex must be made to refresh it now, or
 * nothing is needed. An access token without a readable expiry is left to Codex's own rule.
 */
export function refreshAheadPlan(
  session: Session,
  refreshAheadMs: number,
  now: Date
): 'codex-refreshes' | 'force' | 'none' {
  if (willCodexRefresh(session, now)) return 'codex-refreshes'
  const expiresAt = session.accessTokenExpiresAt
  if (expiresAt !== undefined && expiresAt.getTime() <= now.getTime() + refreshAheadMs)
    return 'force'
  return 'none'
}

/** Stands in for the access token in the working copy: no readable expiry, and no real token. */
export const FORCED_ACCESS_TOKEN = 'codex-auth-action-refresh-ahead'

/**
 * The working copy that makes Codex refresh on this run through its own refresh path: an access
 * token with no readable expiry and a last_refresh older than Codex's refresh interval, so Codex
 * refreshes before its first request. The refresh token is the session's, intact. The copy is never
 * stored: if the refresh does not happen, the original session is what stays.
 */
export function forcedRefreshCopy(session: Session, now: Date): Session {
  if (isConsumerBundle(session)) throw new Error('a consumer bundle cannot be refreshed')
  const full = session.file as AuthFile
  const lastRefresh = new Date(now.getTime() - REFRESH_INTERVAL_MS - 24 * 60 * 60 * 1000)
  const file: AuthFile = {
    ...full,
    tokens: { ...full.tokens, access_token: FORCED_ACCESS_TOKEN },
    last_refresh: lastRefresh.toISOString()
  }
  return sessionFromAuthFile(file, `${JSON.stringify(file, null, 2)}\n`)
}

function accountIdClaim(idToken: string): string | undefined {
  // Stryker disable next-line OptionalChaining: equivalent, a parsed session's id_token always decodes (the schema checks it)
  const auth = decodeJwtPayload(idToken)?.['https://api.openai.com/auth']
  const id = isPlainObject(auth) ? auth.chatgpt_account_id : undefined
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, the schema allows only a string or null here, and null is dropped by the caller
  return typeof id === 'string' && id !== '' ? id : undefined
}
