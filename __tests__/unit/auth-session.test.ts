import {
  CLOCK_SKEW_MS,
  compareSessions,
  isFromTheFuture,
  isNewer,
  jwtExpiry,
  parseAuthJson,
  refreshReason,
  refreshedBefore,
  willCodexRefresh
} from '../../src/auth/index.js'
import { instantOf } from '../../src/auth/session.js'
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

const at = (lastRefresh: string, accessExp = nowSeconds + 3600) =>
  parseAuthJson(authText({ lastRefresh, accessExp }))

describe('ordering sessions', () => {
  test('by last_refresh, to the nanosecond', () => {
    const a = at('2026-11-24T00:09:51.137314582Z')
    const b = at('2026-11-24T00:09:51.137314583Z')
    expect(isNewer(b, a, NOW)).toBe(true)
    expect(isNewer(a, b, NOW)).toBe(false)
    expect(compareSessions(a, b, NOW)).toBe(-1)
  })
  test('time zone offsets are honoured', () => {
    expect(compareSessions(at('2026-11-24T02:00:00+02:00'), at('2026-11-24T00:00:00Z'), NOW)).toBe(
      0
    )
    expect(isNewer(at('2026-11-24T01:00:00-01:00'), at('2026-11-24T01:59:59Z'), NOW)).toBe(true)
  })
  test('equal last_refresh: the later access token expiry is newer', () => {
    expect(isNewer(at('2026-11-24T00:00:00Z', 2000), at('2026-11-24T00:00:00Z', 1000), NOW)).toBe(
      true
    )
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

// The rules below are exact: a mutation of one comparison or constant must fail a test here.
describe('the exact boundaries of willCodexRefresh', () => {
  const noExp = (lastRefresh: string) => parseAuthJson(authText({ accessExp: null, lastRefresh }))
  const withExp = (accessExp: number) =>
    parseAuthJson(authText({ accessExp, lastRefresh: NOW.toISOString() }))
  const EIGHT_DAYS = 8 * DAY

  test('no exp: exactly 8 days old is not yet due; a millisecond more is', () => {
    expect(willCodexRefresh(noExp(new Date(NOW.getTime() - EIGHT_DAYS).toISOString()), NOW)).toBe(
      false
    )
    expect(
      willCodexRefresh(noExp(new Date(NOW.getTime() - EIGHT_DAYS - 1).toISOString()), NOW)
    ).toBe(true)
    expect(
      willCodexRefresh(noExp(new Date(NOW.getTime() - EIGHT_DAYS + 1).toISOString()), NOW)
    ).toBe(false)
  })

  test('no exp: half a millisecond past 8 days counts (the nanoseconds are not rounded away)', () => {
    // NOW - 8 days - 0.5 ms, written with nanoseconds.
    expect(willCodexRefresh(noExp('2026-11-16T11:59:59.999500000Z'), NOW)).toBe(true)
    expect(willCodexRefresh(noExp('2026-11-16T12:00:00.000500000Z'), NOW)).toBe(false)
  })

  test('exp: due when it is at or before now + 5 minutes, to the millisecond', () => {
    const margin = nowSeconds + 5 * 60
    expect(willCodexRefresh(withExp(margin), NOW)).toBe(true)
    expect(willCodexRefresh(withExp(margin), new Date(NOW.getTime() - 1))).toBe(false)
    expect(willCodexRefresh(withExp(margin), new Date(NOW.getTime() + 1))).toBe(true)
  })

  test('exp decides alone: a valid token with a 100-day-old last_refresh is not refreshed', () => {
    const old = parseAuthJson(
      authText({ accessExp: nowSeconds + 3600, lastRefresh: '2026-08-16T12:00:00Z' })
    )
    expect(willCodexRefresh(old, NOW)).toBe(false)
  })

  test('exp 0 (the epoch) is an expiry, not "no exp"', () => {
    const zero = parseAuthJson(authText({ accessExp: 0, lastRefresh: NOW.toISOString() }))
    expect(zero.accessTokenExpiresAt?.getTime()).toBe(0)
    expect(willCodexRefresh(zero, NOW)).toBe(true)
    expect(refreshReason(zero, NOW)).toBe('its access token expired at 1970-01-01T00:00:00.000Z')
  })

  test('the reason says which rule applies', () => {
    expect(refreshReason(withExp(nowSeconds - 1), NOW)).toMatch(/^its access token expired at /)
    expect(refreshReason(withExp(nowSeconds), NOW)).toMatch(/^its access token expired at /)
    expect(refreshReason(withExp(nowSeconds + 60), NOW)).toBe(
      `its access token expires within 5 minutes (${new Date((nowSeconds + 60) * 1000).toISOString()})`
    )
    expect(refreshReason(noExp('2026-11-01T00:00:00Z'), NOW)).toBe(
      'its access token has no readable expiry and it was last refreshed more than 8 days ago'
    )
  })
})

describe('reading last_refresh exactly', () => {
  test('a fraction .5 is 500 ms, not 5 ns', () => {
    expect(instantOf('1970-01-01T00:00:00.5Z')).toBe(500_000_000n)
    expect(instantOf('1970-01-01T00:00:00.000000005Z')).toBe(5n)
    expect(instantOf('1970-01-01T00:00:00.050Z')).toBe(50_000_000n)
    const half = at('2026-11-24T00:00:00.5Z')
    expect(isNewer(half, at('2026-11-24T00:00:00.499999999Z'), NOW)).toBe(true)
    expect(isNewer(half, at('2026-11-24T00:00:00.500000001Z'), NOW)).toBe(false)
    expect(compareSessions(half, at('2026-11-24T00:00:00.500000000Z'), NOW)).toBe(0)
  })

  test('no fraction, every field in its place', () => {
    expect(instantOf('1970-01-02T03:04:05Z')).toBe(97_445_000_000_000n) // (27 h + 4 min + 5 s)
    expect(instantOf('2026-11-24T00:09:51.137314582Z')).toBe(1_795_478_991_137_314_582n)
  })

  test('minutes outrank seconds, hours outrank minutes', () => {
    expect(isNewer(at('2026-11-24T00:01:00Z'), at('2026-11-24T00:00:59Z'), NOW)).toBe(true)
    expect(isNewer(at('2026-11-24T00:01:02Z'), at('2026-11-24T00:02:01Z'), NOW)).toBe(false)
    expect(isNewer(at('2026-11-24T01:00:00Z'), at('2026-11-24T00:59:59Z'), NOW)).toBe(true)
  })

  test('offset hours and minutes weigh an hour and a minute', () => {
    expect(instantOf('2026-11-24T00:30:00+00:30')).toBe(instantOf('2026-11-24T00:00:00Z'))
    expect(instantOf('2026-11-24T05:30:00+05:30')).toBe(instantOf('2026-11-24T00:00:00Z'))
    expect(instantOf('2026-11-23T14:30:00-09:30')).toBe(instantOf('2026-11-24T00:00:00Z'))
    expect(instantOf('2026-11-24T01:00:00+00:01')).toBe(instantOf('2026-11-24T00:59:00Z'))
    expect(instantOf('2026-11-24T00:00:00-00:00')).toBe(instantOf('2026-11-24T00:00:00z'))
  })

  test('a space or a lower-case t between date and time', () => {
    expect(instantOf('2026-11-24 00:00:00Z')).toBe(instantOf('2026-11-24T00:00:00Z'))
    expect(instantOf('2026-11-24t00:00:00Z')).toBe(instantOf('2026-11-24T00:00:00Z'))
  })
})

describe('equal and future-dated sessions', () => {
  test('isNewer of two equal sessions is false, both ways', () => {
    const a = at('2026-11-24T00:00:00Z', 5000)
    const b = at('2026-11-24T00:00:00Z', 5000)
    expect(compareSessions(a, b, NOW)).toBe(0)
    expect(isNewer(a, b, NOW)).toBe(false)
    expect(isNewer(b, a, NOW)).toBe(false)
    expect(isNewer(a, a, NOW)).toBe(false)
  })

  test('equal last_refresh: a token with exp beats one without', () => {
    const none = parseAuthJson(authText({ accessExp: null, lastRefresh: '2026-11-24T00:00:00Z' }))
    expect(isNewer(at('2026-11-24T00:00:00Z', 1), none, NOW)).toBe(true)
  })

  test('the future starts after now + the clock skew, to the nanosecond', () => {
    const skewEnd = new Date(NOW.getTime() + CLOCK_SKEW_MS).toISOString() // ...12:05:00.000Z
    expect(isFromTheFuture({ lastRefresh: skewEnd }, NOW)).toBe(false)
    expect(isFromTheFuture({ lastRefresh: '2026-11-24T12:05:00.000000001Z' }, NOW)).toBe(true)
    expect(CLOCK_SKEW_MS).toBe(5 * 60 * 1000)
  })

  test('a future-dated session ranks below an older believable one', () => {
    const future = at('2026-11-24T12:05:00.000000001Z', nowSeconds + 9999)
    const believable = at('2026-11-20T00:00:00Z')
    expect(compareSessions(future, believable, NOW)).toBe(-1)
    expect(compareSessions(believable, future, NOW)).toBe(1)
    // Two future-dated ones are still ordered by their timestamps.
    expect(isNewer(at('2027-01-02T00:00:00Z'), at('2027-01-01T00:00:00Z'), NOW)).toBe(true)
  })

  test('refreshedBefore: an older session is; a future-dated one on either side proves nothing', () => {
    expect(refreshedBefore(at('2026-11-24T00:00:00Z'), '2026-11-24T00:00:01Z', NOW)).toBe(true)
    expect(refreshedBefore(at('2026-11-24T00:00:01Z'), '2026-11-24T00:00:01Z', NOW)).toBe(false)
    expect(refreshedBefore(at('2026-11-24T00:00:00Z'), '2027-01-01T00:00:00Z', NOW)).toBe(false)
    expect(refreshedBefore(at('2027-01-01T00:00:00Z'), '2026-11-24T00:00:00Z', NOW)).toBe(false)
  })
})
