/**
 * The identity provider behind both fakes: it issues sessions, rotates refresh tokens (each works
 * once) and knows which access tokens are valid, so the fake backend can be strict.
 */
import { randomBytes } from 'node:crypto'

export const ACCOUNT_ID = 'acct_test_0001'

export function makeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  // Codex does not verify signatures; it only needs three non-empty parts.
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.${randomBytes(16).toString('base64url')}`
}

export interface AuthJson {
  auth_mode?: string
  OPENAI_API_KEY: string | null
  tokens: { id_token: string; access_token: string; refresh_token: string; account_id: string }
  last_refresh: string
}

export type RefreshFailure = 'reused' | 'expired' | 'revoked' | 'server-error'

export class Authority {
  /** Access tokens issued so far, with their expiry in seconds since the epoch. */
  private readonly accessTokens = new Map<string, number>()
  private readonly refreshTokens = new Map<string, 'valid' | 'used' | 'revoked'>()
  /** Every token string issued, for scanning what the action printed. */
  readonly issued: string[] = []
  /** Lifetime of access tokens issued by a refresh. */
  accessTtlSeconds = 3600
  /** When set, access tokens issued by a refresh expire at this time instead (seconds since the epoch). */
  refreshedAccessExpiresAt: number | undefined
  /** When set, every refresh fails this way. */
  failRefreshWith: RefreshFailure | undefined

  /** A fresh sign-in, as `codex login` would write it. */
  signIn({ accessExpiresInSeconds = 3600, lastRefresh = new Date() } = {}): AuthJson {
    const tokens = this.issueTokens(accessExpiresInSeconds)
    return {
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: null,
      tokens: { ...tokens, account_id: ACCOUNT_ID },
      last_refresh: lastRefresh.toISOString()
    }
  }

  /** The token endpoint's answer to a refresh: new tokens, or an error as the real one gives it. */
  refresh(refreshToken: string): { status: number; body: unknown } {
    const state = this.refreshTokens.get(refreshToken)
    const failure =
      this.failRefreshWith ??
      (state === 'used' ? 'reused' : state === 'revoked' ? 'revoked' : undefined)
    if (state === undefined && failure === undefined) {
      return {
        status: 401,
        body: { error: { code: 'invalid_grant', message: 'unknown refresh token' } }
      }
    }
    switch (failure) {
      case 'server-error':
        return { status: 503, body: { error: 'temporarily_unavailable' } }
      case 'reused':
        return {
          status: 400,
          body: { error: { code: 'refresh_token_reused', message: 'already used' } }
        }
      case 'expired':
        return {
          status: 400,
          body: { error: { code: 'refresh_token_expired', message: 'expired' } }
        }
      case 'revoked':
        return {
          status: 400,
          body: { error: { code: 'refresh_token_invalidated', message: 'revoked' } }
        }
    }
    this.refreshTokens.set(refreshToken, 'used')
    const ttl =
      this.refreshedAccessExpiresAt === undefined
        ? this.accessTtlSeconds
        : this.refreshedAccessExpiresAt - Math.floor(Date.now() / 1000)
    return { status: 200, body: this.issueTokens(ttl) }
  }

  /** Ends every access token issued so far (server-side invalidation): the backend answers 401. */
  invalidateAccessTokens(): void {
    this.accessTokens.clear()
  }

  revoke(refreshToken: string): void {
    this.refreshTokens.set(refreshToken, 'revoked')
  }

  /** Is this a current access token? Unknown and expired ones are not. */
  acceptsAccessToken(token: string): boolean {
    const exp = this.accessTokens.get(token)
    return exp !== undefined && exp * 1000 > Date.now()
  }

  private issueTokens(accessExpiresInSeconds: number) {
    const now = Math.floor(Date.now() / 1000)
    const exp = now + accessExpiresInSeconds
    const auth = {
      chatgpt_account_id: ACCOUNT_ID,
      chatgpt_plan_type: 'plus',
      chatgpt_user_id: 'user_test'
    }
    const access_token = makeJwt({
      exp,
      iat: now,
      'https://api.openai.com/auth': auth,
      jti: randomBytes(8).toString('hex')
    })
    const id_token = makeJwt({
      email: 'ci@example.com',
      exp,
      iat: now,
      'https://api.openai.com/auth': auth
    })
    const refresh_token = `rt_${randomBytes(32).toString('base64url')}`
    this.accessTokens.set(access_token, exp)
    this.refreshTokens.set(refresh_token, 'valid')
    this.issued.push(access_token, id_token, refresh_token)
    return { id_token, access_token, refresh_token }
  }
}
