/** The JWT shape Codex reads, one rule at a time: each case breaks exactly one of them. */
import { decodeJwtPayload, jwtExpiry } from '../../src/auth/jwt.js'

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const HEADER = part({ alg: 'none', typ: 'JWT' })
const PAYLOAD = part({ sub: 'x', exp: 1795478991 })

describe('decodeJwtPayload', () => {
  test('three non-empty base64url parts with a JSON object payload', () => {
    expect(decodeJwtPayload(`${HEADER}.${PAYLOAD}.sig`)).toEqual({ sub: 'x', exp: 1795478991 })
    expect(decodeJwtPayload('e30.e30.s')).toEqual({})
  })

  test('padding in the header, or in the payload, is refused', () => {
    // "{}" encodes as e30 with one '=' of padding in standard base64.
    expect(decodeJwtPayload('e30=.e30.sig')).toBeUndefined()
    expect(decodeJwtPayload('e30.e30=.sig')).toBeUndefined()
    const padded = Buffer.from('{"a":1}').toString('base64') // eyJhIjoxfQ==
    expect(padded.endsWith('==')).toBe(true)
    expect(decodeJwtPayload(`e30.${padded}.sig`)).toBeUndefined()
    expect(decodeJwtPayload(`e30.${padded.replace(/=+$/, '')}.sig`)).toEqual({ a: 1 })
  })

  test('the standard base64 alphabet (+ and /) is refused, in the header or the payload', () => {
    const claims = { a: '???>>>' } // its base64url has both _ and -
    const url = part(claims)
    expect(url).toMatch(/_/)
    expect(url).toMatch(/-/)
    expect(decodeJwtPayload(`e30.${url}.sig`)).toEqual(claims)
    const standard = url.replace(/_/g, '/').replace(/-/g, '+')
    expect(decodeJwtPayload(`e30.${standard}.sig`)).toBeUndefined()
    expect(decodeJwtPayload(`${standard}.e30.sig`)).toBeUndefined()
    expect(decodeJwtPayload(`${url}.e30.sig`)).toEqual({})
  })

  test('two parts, or four, are refused', () => {
    expect(decodeJwtPayload(`${HEADER}.${PAYLOAD}`)).toBeUndefined()
    expect(decodeJwtPayload(`${HEADER}.${PAYLOAD}.sig.more`)).toBeUndefined()
    expect(decodeJwtPayload(PAYLOAD)).toBeUndefined()
  })

  test.each([
    ['the header', `.${PAYLOAD}.sig`],
    ['the payload', `${HEADER}..sig`],
    ['the signature', `${HEADER}.${PAYLOAD}.`]
  ])('an empty part (%s) is refused', (_, token) => {
    expect(decodeJwtPayload(token)).toBeUndefined()
  })

  test.each([
    ['an array', [1, 2]],
    ['null', null],
    ['a number', 7],
    ['a string', 'claims'],
    ['a boolean', true]
  ])('a payload that is %s, not an object, is refused', (_, payload) => {
    expect(decodeJwtPayload(`${HEADER}.${part(payload)}.sig`)).toBeUndefined()
  })

  test('a payload that is not JSON is refused', () => {
    expect(
      decodeJwtPayload(`${HEADER}.${Buffer.from('{nope').toString('base64url')}.sig`)
    ).toBeUndefined()
  })

  test('the signature is not decoded or checked (Codex does not verify it)', () => {
    expect(decodeJwtPayload(`${HEADER}.${PAYLOAD}.not+base64/url=`)).toEqual({
      sub: 'x',
      exp: 1795478991
    })
  })
})

describe('jwtExpiry', () => {
  test.each([
    ['an integer', 1795478991, '2026-11-24T00:09:51.000Z'],
    ['zero', 0, '1970-01-01T00:00:00.000Z'],
    ['a negative integer', -1, '1969-12-31T23:59:59.000Z']
  ])('%s exp is an expiry', (_, exp, iso) => {
    expect(jwtExpiry(`e30.${part({ exp })}.s`)?.toISOString()).toBe(iso)
  })

  test.each([
    ['beyond the safe integers', 2 ** 53],
    ['fractional', 1.5],
    ['a string', '1795478991'],
    ['null', null]
  ])('an exp that is %s is none', (_, exp) => {
    expect(jwtExpiry(`e30.${part({ exp })}.s`)).toBeUndefined()
  })
})
