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

/** What a step printed to stdout (workflow commands included), captured so that tests can read it. */
export interface CapturedOutput {
  readonly lines: string[]
  /** Workflow commands of one kind (`warning`, `notice`, `add-mask`), their text. */
  commands(kind: string): string[]
  /** Everything printed except `::add-mask::` (which carries the secrets it masks, by design). */
  shown(): string
  restore(): void
}

export function captureOutput(): CapturedOutput {
  const lines: string[] = []
  const original = process.stdout.write
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(
      ...String(chunk)
        .split(/\r?\n/)
        .filter(line => line !== '')
    )
    return true
  }) as typeof process.stdout.write
  return {
    lines,
    commands: kind =>
      lines
        .filter(line => line.startsWith(`::${kind}::`) || line.startsWith(`::${kind} `))
        .map(line => line.slice(line.indexOf('::', 2) + 2)),
    shown: () => lines.filter(line => !line.startsWith('::add-mask::')).join('\n'),
    restore: () => {
      process.stdout.write = original
    }
  }
}
