/**
 * The fan-out model: the consumer bundle derived from a session, parsing one, whether it lasts,
 * the refresh-ahead plan and its working copy, and the durations of the inputs.
 */
import fc from 'fast-check'
import {
  AuthFileError,
  bundleValidity,
  consumerBundle,
  formatDuration,
  forcedRefreshCopy,
  isConsumerBundle,
  parseAuthJson,
  parseConsumerBundle,
  parseConsumerSecret,
  parseDuration,
  parseStoredItem,
  refreshAheadPlan,
  tokenForms,
  willCodexRefresh
} from '../../src/auth/index.js'
import { FORCED_ACCESS_TOKEN } from '../../src/auth/consumer.js'
import { jwtExpiry } from '../../src/auth/jwt.js'
import { makeJwt } from '../e2e/fakes/authority.js'
import { authObject, authText, CANARY } from './fixtures.js'

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261201) })

const NOW = new Date('2026-11-24T12:00:00Z')
const HOUR = 3600
const nowS = Math.floor(NOW.getTime() / 1000)
const session = (accessExp: number | null = nowS + HOUR) =>
  parseAuthJson(authText({ accessExp, lastRefresh: '2026-11-24T00:09:51.137314582Z' }))

describe('consumerBundle', () => {
  test('carries the access and id tokens, the account and last_refresh; the refresh token is empty', () => {
    const full = session()
    const bundle = consumerBundle(full)
    expect(JSON.parse(bundle.text)).toEqual({
      auth_mode: 'chatgptAuthTokens',
      OPENAI_API_KEY: null,
      tokens: {
        id_token: full.file.tokens.id_token,
        access_token: full.file.tokens.access_token,
        refresh_token: '',
        account_id: 'acct_1'
      },
      last_refresh: full.lastRefresh
    })
    expect(isConsumerBundle(bundle)).toBe(true)
    expect(isConsumerBundle(full)).toBe(false)
    expect(bundle.accessTokenExpiresAt).toEqual(full.accessTokenExpiresAt)
    expect(bundle.text).not.toContain(full.file.tokens.refresh_token)
    expect(tokenForms(bundle).some(form => form.includes('refresh'))).toBe(false)
  })

  test('drops every other field of the session', () => {
    const full = parseAuthJson(JSON.stringify({ ...authObject(), extra: CANARY }))
    expect(consumerBundle(full).text).not.toContain(CANARY)
  })

  test('takes the account from the id_token when the session has none', () => {
    const object = authObject()
    const { account_id: _, ...tokens } = object.tokens
    const full = parseAuthJson(JSON.stringify({ ...object, tokens }))
    expect(consumerBundle(full).file.tokens.account_id).toBe('acct_1')
    const bare = parseAuthJson(
      JSON.stringify({ ...object, tokens: { ...tokens, id_token: makeJwt({}) } })
    )
    expect('account_id' in consumerBundle(bare).file.tokens).toBe(false)
  })

  test('a bundle parses back to itself, as a bundle only', () => {
    fc.assert(
      fc.property(fc.integer({ min: nowS - 100 * HOUR, max: nowS + 1000 * HOUR }), exp => {
        const bundle = consumerBundle(session(exp))
        const parsed = parseConsumerBundle(bundle.text)
        expect(parsed.fingerprint).toBe(bundle.fingerprint)
        expect(parseStoredItem('consumer', bundle.text).fingerprint).toBe(bundle.fingerprint)
        expect(() => parseStoredItem('session', bundle.text)).toThrow(AuthFileError)
      })
    )
  })
})

describe('parseConsumerBundle', () => {
  test('refuses a full session: it holds a refresh token', () => {
    for (const parse of [parseConsumerBundle, parseConsumerSecret]) {
      const error = (() => {
        try {
          parse(authText())
        } catch (e) {
          return e as AuthFileError
        }
      })()
      expect(error).toBeInstanceOf(AuthFileError)
      expect(error!.field).toBe('tokens.refresh_token')
      expect(error!.message).toMatch(/holds a refresh token .* a consumer must never hold one/)
      expect(error!.message).toMatch(/role: refresher/)
      expect(error!.message).not.toContain(CANARY)
    }
  })

  test('refuses a refresh token even in a file that is otherwise broken', () => {
    expect(() =>
      parseConsumerBundle(JSON.stringify({ tokens: { refresh_token: `rt_${CANARY}` } }))
    ).toThrow(/holds a refresh token/)
  })

  test.each([
    [
      'auth_mode chatgpt with an empty refresh token',
      { auth_mode: 'chatgpt' },
      /auth_mode is not "chatgptAuthTokens"/
    ],
    ['no last_refresh', { last_refresh: undefined }, /last_refresh is missing/],
    [
      'an id_token that is not a JWT',
      { tokens: { id_token: CANARY } },
      /tokens.id_token is missing/
    ]
  ])('refuses %s, naming the field and never a value', (_, change, says) => {
    const bundle = JSON.parse(consumerBundle(session()).text)
    const broken = {
      ...bundle,
      ...change,
      tokens: { ...bundle.tokens, ...(change as { tokens?: object }).tokens }
    }
    expect(() => parseConsumerBundle(JSON.stringify(broken))).toThrow(says)
    try {
      parseConsumerBundle(JSON.stringify(broken))
    } catch (error) {
      expect((error as Error).message).not.toContain(CANARY)
    }
  })

  test('the auth-json input may be base64, like any auth-json', () => {
    const bundle = consumerBundle(session())
    expect(parseConsumerSecret(Buffer.from(bundle.text).toString('base64')).fingerprint).toBe(
      bundle.fingerprint
    )
  })
})

describe('bundleValidity', () => {
  test('usable exactly when the access token outlives now + min-validity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000 * HOUR, max: 1000 * HOUR }),
        fc.integer({ min: 0, max: 500 * HOUR }),
        (expiresIn, minValidity) => {
          const bundle = consumerBundle(session(nowS + expiresIn))
          const validity = bundleValidity(bundle, minValidity * 1000, NOW)
          expect(validity.usable).toBe(expiresIn > minValidity)
          if (!validity.usable)
            expect(validity.problem).toBe(expiresIn <= 0 ? 'expired' : 'expires-soon')
        }
      )
    )
  })

  test('a bundle without a readable expiry cannot be checked: refused', () => {
    expect(bundleValidity(consumerBundle(session(null)), 0, NOW)).toEqual({
      usable: false,
      problem: 'no-expiry'
    })
  })
})

describe('refreshAheadPlan and forcedRefreshCopy', () => {
  test('force exactly when the token expires within refresh-ahead and Codex would not refresh it anyway', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10 * HOUR, max: 1000 * HOUR }),
        fc.integer({ min: 0, max: 500 * HOUR }),
        (expiresIn, ahead) => {
          const full = session(nowS + expiresIn)
          const plan = refreshAheadPlan(full, ahead * 1000, NOW)
          if (willCodexRefresh(full, NOW)) expect(plan).toBe('codex-refreshes')
          else expect(plan).toBe(expiresIn <= ahead ? 'force' : 'none')
        }
      )
    )
  })

  test('a token without a readable expiry is left to Codex', () => {
    expect(refreshAheadPlan(session(null), 1000 * HOUR * 1000, NOW)).toBe('none')
  })

  test('the working copy: Codex refreshes it; the refresh token is intact; no real access token in it', () => {
    const full = session(nowS + HOUR)
    const copy = forcedRefreshCopy(full, NOW)
    expect(willCodexRefresh(copy, NOW)).toBe(true)
    expect(jwtExpiry(copy.file.tokens.access_token)).toBeUndefined()
    expect(copy.file.tokens.access_token).toBe(FORCED_ACCESS_TOKEN)
    expect(copy.file.tokens.refresh_token).toBe(full.file.tokens.refresh_token)
    expect(copy.file.tokens.id_token).toBe(full.file.tokens.id_token)
    expect(copy.text).not.toContain(full.file.tokens.access_token)
    expect(copy.fingerprint).not.toBe(full.fingerprint)
    // It parses as a session Codex reads.
    expect(parseAuthJson(copy.text).fingerprint).toBe(copy.fingerprint)
  })

  test('a bundle has no refresh token to force', () => {
    expect(() => forcedRefreshCopy(consumerBundle(session()), NOW)).toThrow()
  })
})

describe('parseDuration', () => {
  test('<n>h and <n>d', () => {
    expect(parseDuration('36h')).toBe(36 * HOUR * 1000)
    expect(parseDuration('2d')).toBe(48 * HOUR * 1000)
    expect(parseDuration('0h')).toBe(0)
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.constantFrom('h', 'd'), (n, unit) => {
        const ms = parseDuration(`${n}${unit}`)
        expect(ms).toBe(n * (unit === 'h' ? 1 : 24) * HOUR * 1000)
        expect(parseDuration(formatDuration(ms!))).toBe(ms)
      })
    )
  })

  test.each([
    '',
    '2',
    'd',
    '2 d',
    ' 2d',
    '2d ',
    '2D',
    '1.5h',
    '-1h',
    '2w',
    '30m',
    '2dd',
    '10000h',
    '1h30m'
  ])('refuses %j', text => expect(parseDuration(text)).toBeUndefined())

  test('anything that is not digits then h or d is refused', () => {
    fc.assert(
      fc.property(fc.string(), text => {
        fc.pre(!/^\d{1,4}[hd]$/.test(text))
        expect(parseDuration(text)).toBeUndefined()
      })
    )
  })
})

describe('the edges', () => {
  test('a bundle parses back to its own text', () => {
    const bundle = consumerBundle(session())
    expect(parseConsumerBundle(bundle.text).text).toBe(bundle.text)
  })

  test('no tokens at all, or no refresh_token: a field error, not the refresh-token refusal', () => {
    expect(() => parseConsumerBundle('{}')).toThrow(AuthFileError)
    expect(() => parseConsumerBundle('{}')).toThrow(/auth_mode is not "chatgptAuthTokens"/)
    const bundle = JSON.parse(consumerBundle(session()).text)
    delete bundle.tokens.refresh_token
    expect(() => parseConsumerBundle(JSON.stringify(bundle))).toThrow(
      /tokens.refresh_token is missing or not what a consumer bundle holds/
    )
  })

  test('the refusal of a refresh token says why', () => {
    expect(() => parseConsumerBundle(authText())).toThrow(/can mint new tokens/)
  })

  test('an access token that expires exactly at now + min-validity does not last; exactly at now + refresh-ahead is due', () => {
    const full = session(nowS + HOUR)
    expect(bundleValidity(consumerBundle(full), HOUR * 1000, NOW)).toMatchObject({
      usable: false,
      problem: 'expires-soon'
    })
    expect(refreshAheadPlan(full, HOUR * 1000, NOW)).toBe('force')
  })

  test('the working copy was last refreshed 9 days ago; a bundle cannot be forced', () => {
    const copy = forcedRefreshCopy(session(), NOW)
    expect(copy.lastRefresh).toBe(new Date(NOW.getTime() - 9 * 24 * HOUR * 1000).toISOString())
    expect(() => forcedRefreshCopy(consumerBundle(session()), NOW)).toThrow(/cannot be refreshed/)
  })

  test('an empty account id claim is not an account', () => {
    const object = authObject()
    const { account_id: _, ...tokens } = object.tokens
    const idToken = makeJwt({ 'https://api.openai.com/auth': { chatgpt_account_id: '' } })
    const full = parseAuthJson(
      JSON.stringify({ ...object, tokens: { ...tokens, id_token: idToken } })
    )
    expect('account_id' in consumerBundle(full).file.tokens).toBe(false)
  })

  test('durations: zero hours is 0h', () => {
    expect(formatDuration(0)).toBe('0h')
    expect(formatDuration(36 * HOUR * 1000)).toBe('36h')
    expect(formatDuration(48 * HOUR * 1000)).toBe('2d')
  })
})
