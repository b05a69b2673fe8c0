import {
  compareSessions,
  isNewer,
  jwtExpiry,
  parseAuthJson,
  willCodexRefresh
} from '../../src/auth/index.js'
import { makeJwt } from '../e2e/fakes/authority.js'
import { authObject, authText } from './fixtures.js'

const NOW = new Date('2026-11-24T12:00:00Z')
const nowSeconds = NOW.getTime() / 1000
const DAY = 24 * 3600 * 1000

describe('jwtExpiry reads exp as Codex does', () => {
  test('an integer exp', () => {
    expect(jwtExpiry(makeJwt({ exp: 1795478991 }))?.toISOString()).toBe('2026-11-24T00:09:51.000Z')
  })
  test.each([
    ['no exp', makeJwt({ sub: 'x' })],
    ['a fractional exp', makeJwt({ exp: 1795478991.5 })],
    ['a string exp', makeJwt({ exp: '1795478991' })],
    ['not a JWT', 'opaque-token'],
    ['a payload that is not JSON', `e30.${Buffer.from('nope').toString('base64url')}.sig`]
  ])('%s: none', (_, token) => {
    expect(jwtExpiry(token)).toBeUndefined()
  })
})

describe('willCodexRefresh', () => {
  const session = (accessExp: number | null, lastRefresh = NOW.toISOString()) =>
    parseAuthJson(authText({ accessExp, lastRefresh }))

  test('an access token that expires within 5 minutes: yes', () => {
    expect(willCodexRefresh(session(nowSeconds + 4 * 60), NOW)).toBe(true)
    expect(willCodexRefresh(session(nowSeconds + 5 * 60), NOW)).toBe(true)
    expect(willCodexRefresh(session(nowSeconds - 60), NOW)).toBe(true)
  })
  test('an access token valid for longer: no, however old last_refresh is', () => {
    expect(willCodexRefresh(session(nowSeconds + 5 * 60 + 1), NOW)).toBe(false)
    const nineDaysOld = new Date(NOW.getTime() - 9 * DAY).toISOString()
    expect(willCodexRefresh(session(nowSeconds + 3600, nineDaysOld), NOW)).toBe(false)
  })
  test('an access token without exp: by the age of last_refresh (8 days)', () => {
    expect(
      willCodexRefresh(session(null, new Date(NOW.getTime() - 9 * DAY).toISOString()), NOW)
    ).toBe(true)
    expect(
      willCodexRefresh(session(null, new Date(NOW.getTime() - 7 * DAY).toISOString()), NOW)
    ).toBe(false)
  })
})

describe('ordering sessions', () => {
  const at = (lastRefresh: string, accessExp?: number) =>
    parseAuthJson(authText({ lastRefresh, accessExp }))

  test('by last_refresh, to the nanosecond', () => {
    const a = at('2026-11-24T00:09:51.137314582Z')
    const b = at('2026-11-24T00:09:51.137314583Z')
    expect(isNewer(b, a)).toBe(true)
    expect(isNewer(a, b)).toBe(false)
    expect(compareSessions(a, b)).toBe(-1)
  })
  test('time zone offsets are honoured', () => {
    expect(compareSessions(at('2026-11-24T02:00:00+02:00'), at('2026-11-24T00:00:00Z'))).toBe(0)
    expect(isNewer(at('2026-11-24T01:00:00-01:00'), at('2026-11-24T01:59:59Z'))).toBe(true)
  })
  test('equal last_refresh: the later access token expiry is newer', () => {
    expect(isNewer(at('2026-11-24T00:00:00Z', 2000), at('2026-11-24T00:00:00Z', 1000))).toBe(true)
  })
})

describe('fingerprint', () => {
  test('stable across formatting, different for different tokens', () => {
    const object = authObject()
    const pretty = parseAuthJson(JSON.stringify(object, null, 2))
    const compact = parseAuthJson(JSON.stringify(object))
    expect(compact.fingerprint).toBe(pretty.fingerprint)
    const rotated = parseAuthJson(
      JSON.stringify({ ...object, tokens: { ...object.tokens, refresh_token: 'rt_other' } })
    )
    expect(rotated.fingerprint).not.toBe(pretty.fingerprint)
    const later = parseAuthJson(JSON.stringify({ ...object, last_refresh: '2027-01-01T00:00:00Z' }))
    expect(later.fingerprint).not.toBe(pretty.fingerprint)
  })
  test('is a hash, not a token', () => {
    const session = parseAuthJson(authText())
    expect(session.fingerprint).toMatch(/^[0-9a-f]{64}$/)
  })
})
