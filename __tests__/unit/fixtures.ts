/** Auth files for unit tests. Tokens are made up; CANARY marks values that must never be echoed. */
import { makeJwt } from '../e2e/fakes/authority.js'

export const CANARY = 'CANARY-9f3e7b'

export interface AuthOptions {
  /** The access token's exp in seconds; null for an access token without exp. */
  accessExp?: number | null
  lastRefresh?: string
  refreshToken?: string
}

export function authObject({
  accessExp = Math.floor(Date.now() / 1000) + 3600,
  lastRefresh = '2026-11-24T00:09:51.137314582Z',
  refreshToken = `rt_${CANARY}_refresh`
}: AuthOptions = {}) {
  const auth = { chatgpt_account_id: 'acct_1', chatgpt_plan_type: 'plus' }
  return {
    auth_mode: 'chatgpt',
    OPENAI_API_KEY: null,
    tokens: {
      id_token: makeJwt({ email: 'ci@example.com', 'https://api.openai.com/auth': auth }),
      access_token: makeJwt(accessExp === null ? { sub: CANARY } : { exp: accessExp, sub: CANARY }),
      refresh_token: refreshToken,
      account_id: 'acct_1'
    },
    last_refresh: lastRefresh
  }
}

export function authText(options: AuthOptions = {}): string {
  return JSON.stringify(authObject(options), null, 2)
}
