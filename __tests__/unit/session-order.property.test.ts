/**
 * Properties of the session order and of the auth.json parser, over generated inputs. The instant
 * a generated timestamp stands for is known before it is formatted, so the order is checked
 * against the truth, not against the parser.
 */
import fc from 'fast-check'

// A fixed seed keeps runs (and mutation testing) repeatable; FC_SEED=<n> explores other inputs.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261201) })
import {
  AuthFileError,
  CLOCK_SKEW_MS,
  compareSessions,
  isNewer,
  parseAuthJson,
  type Session
} from '../../src/auth/index.js'
import { instantOf } from '../../src/auth/session.js'
import { chooseSession, type Candidate } from '../../src/app/bootstrap.js'
import type { AuthSource } from '../../src/names.js'
import { makeJwt } from '../e2e/fakes/authority.js'

const NOW = new Date('2026-11-24T12:00:00Z')
const NS_PER_MS = 1_000_000n
const NOW_NS = BigInt(NOW.getTime()) * NS_PER_MS
const SKEW_NS = BigInt(CLOCK_SKEW_MS) * NS_PER_MS
const DAY_NS = 86_400n * 1_000_000_000n

interface Timestamp {
  /** The instant it stands for, in nanoseconds since the epoch. */
  readonly instant: bigint
  /** That instant in RFC 3339, in some time zone, with 0 to 9 fraction digits. */
  readonly text: string
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0')

/** Formats `instant` (a multiple of 10^(9 - digits) ns) at `offsetMinutes` east of UTC. */
function formatRfc3339(
  instant: bigint,
  offsetMinutes: number,
  digits: number,
  zone: 'Z' | 'z' | 'numeric',
  separator: string
): string {
  const local = instant + BigInt(offsetMinutes) * 60_000_000_000n
  const date = new Date(Number(local / NS_PER_MS))
  const fraction = digits === 0 ? '' : `.${pad(Number(local % 1_000_000_000n), 9).slice(0, digits)}`
  const sign = offsetMinutes < 0 ? '-' : '+'
  const offset =
    zone === 'numeric'
      ? `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`
      : zone
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `${separator}${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}` +
    `${fraction}${offset}`
  )
}

/** Instants around NOW: a month either side, the skew boundary itself, and repeats (for ties). */
const rawInstant = fc.oneof(
  fc.bigInt({ min: NOW_NS - 30n * DAY_NS, max: NOW_NS + 30n * DAY_NS }),
  fc.constantFrom(
    NOW_NS,
    NOW_NS + SKEW_NS,
    NOW_NS + SKEW_NS + 1n,
    NOW_NS - DAY_NS,
    NOW_NS - DAY_NS + 500_000_000n
  )
)

const offsetMinutes = fc.oneof(
  fc.constantFrom(0, 330, -570, 345, 60, -60, 840, -720, 30, -30),
  fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 })
)

const timestamp: fc.Arbitrary<Timestamp> = fc
  .record({
    raw: rawInstant,
    digits: fc.integer({ min: 0, max: 9 }),
    offset: offsetMinutes,
    zone: fc.constantFrom('Z', 'z', 'numeric', 'numeric', 'numeric'),
    separator: fc.constantFrom('T', 'T', 't', ' ')
  })
  .map(({ raw, digits, offset, zone, separator }) => {
    const unit = 10n ** BigInt(9 - digits)
    const instant = raw - (((raw % unit) + unit) % unit)
    const minutes = zone === 'numeric' ? offset : 0
    return { instant, text: formatRfc3339(instant, minutes, digits, zone, separator) }
  })

/** An access token expiry (seconds), or none: few values, so that ties happen. */
const accessExp = fc.constantFrom<number | null>(
  null,
  NOW.getTime() / 1000 - 60,
  NOW.getTime() / 1000 + 3600,
  NOW.getTime() / 1000 + 7200
)

interface Generated {
  readonly session: Session
  readonly at: Timestamp
  readonly exp: number | null
}

function sessionAt(at: Timestamp, exp: number | null): Session {
  return parseAuthJson(
    JSON.stringify({
      tokens: {
        id_token: makeJwt({ email: 'ci@example.com' }),
        access_token: makeJwt(exp === null ? { sub: 'x' } : { exp, sub: 'x' }),
        refresh_token: 'rt_property',
        account_id: 'acct_1'
      },
      last_refresh: at.text
    })
  )
}

const generated: fc.Arbitrary<Generated> = fc
  .record({ at: timestamp, exp: accessExp })
  .map(({ at, exp }) => ({ at, exp, session: sessionAt(at, exp) }))

/** The order as it should be, from the true instants: distrusted first, then by instant, then by exp. */
function expectedOrder(a: Generated, b: Generated): number {
  const distrusted = (g: Generated) => g.at.instant > NOW_NS + SKEW_NS
  if (distrusted(a) !== distrusted(b)) return distrusted(a) ? -1 : 1
  if (a.at.instant !== b.at.instant) return a.at.instant < b.at.instant ? -1 : 1
  return Math.sign((a.exp ?? 0) - (b.exp ?? 0))
}

const sign = (n: number) => Math.sign(n) || 0
const cmp = (a: Generated, b: Generated) => sign(compareSessions(a.session, b.session, NOW))

describe('compareSessions', () => {
  test('a generated timestamp parses to the instant it was made from', () => {
    fc.assert(
      fc.property(timestamp, at => {
        expect(instantOf(at.text)).toBe(at.instant)
      }),
      { numRuns: 500 }
    )
  })

  test('equals the order of the true instants', () => {
    fc.assert(
      fc.property(generated, generated, (a, b) => {
        expect(cmp(a, b)).toBe(expectedOrder(a, b))
      }),
      { numRuns: 300 }
    )
  })

  test('is antisymmetric', () => {
    fc.assert(
      fc.property(generated, generated, (a, b) => {
        expect(cmp(a, b)).toBe(-cmp(b, a) || 0)
        expect(cmp(a, a)).toBe(0)
      }),
      { numRuns: 200 }
    )
  })

  test('is transitive', () => {
    fc.assert(
      fc.property(generated, generated, generated, (a, b, c) => {
        if (cmp(a, b) <= 0 && cmp(b, c) <= 0) expect(cmp(a, c)).toBeLessThanOrEqual(0)
        if (cmp(a, b) < 0 && cmp(b, c) <= 0) expect(cmp(a, c)).toBe(-1)
        if (cmp(a, b) === 0 && cmp(b, c) === 0) expect(cmp(a, c)).toBe(0)
      }),
      { numRuns: 200 }
    )
  })

  test('isNewer is exactly "compares above", and never true of equals', () => {
    fc.assert(
      fc.property(generated, generated, (a, b) => {
        expect(isNewer(a.session, b.session, NOW)).toBe(cmp(a, b) > 0)
        expect(isNewer(a.session, a.session, NOW)).toBe(false)
        expect(isNewer(a.session, b.session, NOW) && isNewer(b.session, a.session, NOW)).toBe(false)
      }),
      { numRuns: 200 }
    )
  })

  test('a future-dated session ranks below every believable one, whatever its tokens', () => {
    const future = fc
      .record({
        ahead: fc.bigInt({ min: SKEW_NS + 1n, max: 400n * DAY_NS }),
        offset: offsetMinutes,
        exp: accessExp
      })
      .map(({ ahead, offset, exp }) => {
        const instant = NOW_NS + ahead
        return { instant, text: formatRfc3339(instant, offset, 9, 'numeric', 'T'), exp }
      })
    const believable = fc
      .record({
        back: fc.bigInt({ min: -SKEW_NS, max: 400n * DAY_NS }),
        offset: offsetMinutes,
        exp: accessExp
      })
      .map(({ back, offset, exp }) => {
        const instant = NOW_NS - back
        return { instant, text: formatRfc3339(instant, offset, 9, 'numeric', 'T'), exp }
      })
    fc.assert(
      fc.property(future, believable, (f, b) => {
        const distrusted = sessionAt(f, f.exp)
        const trusted = sessionAt(b, b.exp)
        expect(compareSessions(distrusted, trusted, NOW)).toBeLessThan(0)
        expect(compareSessions(trusted, distrusted, NOW)).toBeGreaterThan(0)
        expect(isNewer(distrusted, trusted, NOW)).toBe(false)
      }),
      { numRuns: 200 }
    )
  })
})

describe('chooseSession', () => {
  const candidate: fc.Arbitrary<Candidate> = fc
    .record({
      source: fc.constantFrom<AuthSource>('disk', 'storage', 'secret'),
      g: generated
    })
    .map(({ source, g }) => ({ source, session: g.session }))

  test('returns a candidate that no other candidate is newer than', () => {
    fc.assert(
      fc.property(fc.array(candidate, { minLength: 1, maxLength: 6 }), candidates => {
        const chosen = chooseSession(candidates, NOW)
        expect(candidates).toContain(chosen)
        for (const other of candidates)
          expect(isNewer(other.session, chosen!.session, NOW)).toBe(false)
      }),
      { numRuns: 200 }
    )
  })

  test('does not depend on the order of the candidates', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(candidate, { minLength: 1, maxLength: 6, selector: c => c.source }),
        fc.infiniteStream(fc.nat()),
        (candidates, seeds) => {
          const shuffled = [...candidates]
            .map(c => ({ c, key: seeds.next().value as number }))
            .sort((x, y) => x.key - y.key)
            .map(({ c }) => c)
          expect(chooseSession(shuffled, NOW)).toBe(chooseSession(candidates, NOW))
        }
      ),
      { numRuns: 200 }
    )
  })

  test('nothing to choose from: undefined', () => {
    expect(chooseSession([], NOW)).toBeUndefined()
  })
})

describe('parseAuthJson', () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const anyText = (minLength: number) =>
    fc.oneof(fc.string({ minLength }), fc.string({ minLength, unit: 'binary' }))
  const signature = fc.stringMatching(/^[A-Za-z0-9_-]{1,43}$/)
  const idToken = fc
    .record({
      header: fc.dictionary(fc.constantFrom('alg', 'typ', 'kid'), fc.string()),
      email: fc.option(fc.string(), { nil: undefined }),
      plan: fc.option(fc.constantFrom('plus', 'pro', 'team'), { nil: undefined }),
      extra: fc.dictionary(fc.stringMatching(/^x_[a-z]{1,8}$/), fc.jsonValue()),
      signature
    })
    .map(({ header, email, plan, extra, signature }) => {
      const claims: Record<string, unknown> = { ...extra }
      if (email !== undefined) claims.email = email
      if (plan !== undefined) claims['https://api.openai.com/auth'] = { chatgpt_plan_type: plan }
      return `${b64(header)}.${b64(claims)}.${signature}`
    })

  const validObject = fc
    .record({
      id_token: idToken,
      access_token: anyText(1),
      refresh_token: anyText(1),
      account_id: fc.option(fc.string(), { nil: undefined }),
      accountNull: fc.boolean(),
      last_refresh: timestamp,
      authMode: fc.boolean(),
      apiKeyNull: fc.boolean(),
      extra: fc.dictionary(fc.stringMatching(/^extra_[a-z]{1,8}$/), fc.jsonValue(), { maxKeys: 3 })
    })
    .map(r => {
      const tokens: Record<string, unknown> = {
        id_token: r.id_token,
        access_token: r.access_token,
        refresh_token: r.refresh_token
      }
      if (r.account_id !== undefined) tokens.account_id = r.account_id
      else if (r.accountNull) tokens.account_id = null
      return {
        ...(r.authMode ? { auth_mode: 'chatgpt' } : {}),
        ...(r.apiKeyNull ? { OPENAI_API_KEY: null } : {}),
        tokens,
        last_refresh: r.last_refresh.text,
        ...r.extra
      }
    })

  test('round-trips the tokens of every valid auth.json', () => {
    fc.assert(
      fc.property(validObject, fc.boolean(), (generatedObject, pretty) => {
        // As JSON holds it (a generated -0 is 0 in JSON).
        const object = JSON.parse(JSON.stringify(generatedObject))
        const session = parseAuthJson(JSON.stringify(object, null, pretty ? 2 : undefined))
        expect(session.file.tokens).toEqual(object.tokens)
        expect(session.lastRefresh).toBe(object.last_refresh)
        // What is written back is the same object, pretty-printed, and parses to the same session.
        expect(JSON.parse(session.text)).toEqual(object)
        expect(session.text).toBe(`${JSON.stringify(object, null, 2)}\n`)
        expect(parseAuthJson(session.text).fingerprint).toBe(session.fingerprint)
      }),
      { numRuns: 300 }
    )
  })

  /** Tokens that would be recognisable in a message. */
  const secret = fc.stringMatching(/^[A-Za-z0-9]{12,24}$/).map(s => `tok${s}`)

  type Breakage = (o: Record<string, any>, t: readonly [string, string, string]) => unknown
  const breakages: Record<string, Breakage> = {
    'no tokens': o => {
      delete o.tokens
    },
    'tokens a string': (o, [t1]) => {
      o.tokens = t1
    },
    'tokens an array': (o, [t1, t2]) => {
      o.tokens = [t1, t2]
    },
    'id_token not a JWT': (o, [t1]) => {
      o.tokens.id_token = t1
    },
    'id_token of two parts': (o, [t1, t2]) => {
      o.tokens.id_token = `${t1}.${t2}`
    },
    'id_token of four parts': (o, [t1, t2, t3]) => {
      o.tokens.id_token = `e30.${t1}.${t2}.${t3}`
    },
    'id_token with padding': (o, [t1]) => {
      o.tokens.id_token = `e30.${b64({ sub: t1 })}=.${t1}`
    },
    'id_token payload an array': (o, [t1, t2]) => {
      o.tokens.id_token = `e30.${b64([t1])}.${t2}`
    },
    'id_token with a numeric email': (o, [t1, t2]) => {
      o.tokens.id_token = `e30.${b64({ email: 7, sub: t1 })}.${t2}`
    },
    'access_token empty': o => {
      o.tokens.access_token = ''
    },
    'access_token a number': o => {
      o.tokens.access_token = 42
    },
    'refresh_token missing': o => {
      delete o.tokens.refresh_token
    },
    'refresh_token an object': (o, [t1]) => {
      o.tokens.refresh_token = { value: t1 }
    },
    'account_id a number': o => {
      o.tokens.account_id = 42
    },
    'last_refresh a token': (o, [t1]) => {
      o.last_refresh = t1
    },
    'last_refresh on 30 February': o => {
      o.last_refresh = '2026-02-30T00:00:00Z'
    },
    'last_refresh missing': o => {
      delete o.last_refresh
    },
    'auth_mode a token': (o, [t1]) => {
      o.auth_mode = t1
    },
    'auth_mode apikey': o => {
      o.auth_mode = 'apikey'
    },
    'an API key': (o, [t1]) => {
      o.OPENAI_API_KEY = t1
    }
  }
  const textLevel = {
    none: (text: string) => text,
    'an array around it': (text: string) => `[${text}]`,
    truncated: (text: string, cut: number) => text.slice(0, 1 + (cut % (text.length - 1))),
    'a token where a value belongs': (text: string, _: number, t1: string) =>
      text.replace(/"last_refresh":\s*"[^"]*"/, `"last_refresh": ${t1}`)
  }

  test('refuses every broken auth.json with AuthFileError, never quoting a token', () => {
    fc.assert(
      fc.property(
        fc.tuple(secret, secret, secret),
        fc.constantFrom(...Object.keys(breakages)),
        fc.constantFrom(...(Object.keys(textLevel) as (keyof typeof textLevel)[])),
        fc.nat(),
        fc.boolean(),
        (tokens, breakage, wrapping, cut, pretty) => {
          const [t1, t2, t3] = tokens
          const object: Record<string, any> = {
            auth_mode: 'chatgpt',
            OPENAI_API_KEY: null,
            tokens: {
              id_token: `${b64({ alg: 'none' })}.${b64({ sub: t1 })}.${t1}`,
              access_token: t2,
              refresh_token: t3,
              account_id: 'acct_1'
            },
            last_refresh: '2026-11-24T00:09:51Z',
            note: t1
          }
          const wrap = textLevel[wrapping]
          if (wrapping === 'none' || wrapping === 'an array around it')
            breakages[breakage]!(object, tokens)
          const text = wrap(JSON.stringify(object, null, pretty ? 2 : undefined), cut, t1)
          let thrown: unknown
          try {
            parseAuthJson(text)
          } catch (error) {
            thrown = error
          }
          expect(thrown).toBeInstanceOf(AuthFileError)
          const { message } = thrown as AuthFileError
          for (const token of tokens) expect(message).not.toContain(token)
        }
      ),
      { numRuns: 400 }
    )
  })
})
