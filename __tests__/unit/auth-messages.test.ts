/**
 * The refusals of an auth.json, word for word and field by field: the message is all a user sees
 * (it never quotes the input), so each part of it is a rule. Also the forms of the secret that get
 * masked, and the corners of the timestamp rules.
 */
import {
  AuthFileError,
  parseAuthJson,
  parseAuthSecret,
  secretInputForms,
  sessionSecrets
} from '../../src/auth/index.js'
import { instantOf } from '../../src/auth/session.js'
import { authObject, authText, CANARY } from './fixtures.js'

const SIGN_IN =
  'Sign in with `codex login` (ChatGPT) on a trusted machine and copy the whole ~/.codex/auth.json.'

function refusal(parse: () => unknown): AuthFileError {
  try {
    parse()
  } catch (error) {
    expect(error).toBeInstanceOf(AuthFileError)
    return error as AuthFileError
  }
  throw new Error('expected the auth.json to be refused')
}

const variant = (change: (auth: Record<string, any>) => void) => {
  const copy = structuredClone(authObject()) as Record<string, any>
  change(copy)
  return JSON.stringify(copy)
}

describe('each refusal names its field and says exactly what is wrong', () => {
  const cases: [string, () => unknown, string, string][] = [
    ['an empty secret', () => parseAuthSecret(' \r\n\t '), '(input)', `it is empty. ${SIGN_IN}`],
    [
      'a secret that is neither JSON nor base64',
      () => parseAuthSecret(`not json ${CANARY}`),
      '(input)',
      'it is neither JSON nor base64 of JSON. Paste the contents of auth.json, or `base64 -w0 auth.json`.'
    ],
    [
      'text with a brace later on is not JSON: only a leading { or [ is',
      () => parseAuthSecret(`not json {"a": "${CANARY}"}`),
      '(input)',
      'it is neither JSON nor base64 of JSON. Paste the contents of auth.json, or `base64 -w0 auth.json`.'
    ],
    [
      'invalid JSON, with the place of the error',
      () => parseAuthJson(`{\n  "tokens" "${CANARY}"\n}`),
      '(json)',
      `it is not valid JSON (at line 2, column 12). ${SIGN_IN}`
    ],
    [
      'JSON that ends too early',
      () => parseAuthJson('{"tokens": '),
      '(json)',
      `it is not valid JSON (it ends too early). ${SIGN_IN}`
    ],
    [
      'an error without a place: no place is made up',
      () => parseAuthJson(`${CANARY}`),
      '(json)',
      `it is not valid JSON. ${SIGN_IN}`
    ],
    [
      'a JSON array',
      () => parseAuthJson('[]'),
      '(json)',
      `it is JSON but not an object. ${SIGN_IN}`
    ],
    [
      'an API key login',
      () => parseAuthJson(JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: `sk-${CANARY}` })),
      'auth_mode',
      'auth_mode is not "chatgpt": this is not a ChatGPT sign-in, and this action only keeps ChatGPT ' +
        'sessions alive. For an API key, give Codex the key directly (CODEX_API_KEY) instead of this action.'
    ],
    [
      'an API key next to the tokens',
      () => parseAuthJson(variant(a => (a.OPENAI_API_KEY = `sk-${CANARY}`))),
      'OPENAI_API_KEY',
      'OPENAI_API_KEY is set: this auth.json holds an API key, not a ChatGPT session, and Codex would ' +
        'use the key. Give Codex an API key directly instead of this action, or sign in with ' +
        '`codex login` (ChatGPT) on a trusted machine and copy the whole ~/.codex/auth.json.'
    ],
    [
      'no tokens (and no OPENAI_API_KEY field at all: absent is not "set")',
      () =>
        parseAuthJson(
          variant(a => {
            delete a.tokens
            delete a.OPENAI_API_KEY
          })
        ),
      'tokens',
      `tokens is missing or not an object: this is not a ChatGPT sign-in. ${SIGN_IN}`
    ],
    [
      'an id_token Codex cannot read',
      () => parseAuthJson(variant(a => (a.tokens.id_token = CANARY))),
      'tokens.id_token',
      'tokens.id_token is missing or not a JWT that Codex can read (three base64url parts with a ' +
        'JSON payload); Codex would ignore the whole file and act logged out. ' +
        SIGN_IN
    ],
    [
      'no access token',
      () => parseAuthJson(variant(a => delete a.tokens.access_token)),
      'tokens.access_token',
      `tokens.access_token is missing or empty. ${SIGN_IN}`
    ],
    [
      'an empty refresh token',
      () => parseAuthJson(variant(a => (a.tokens.refresh_token = ''))),
      'tokens.refresh_token',
      `tokens.refresh_token is missing or empty. ${SIGN_IN}`
    ],
    [
      'a last_refresh that is not a timestamp',
      () => parseAuthJson(variant(a => (a.last_refresh = CANARY))),
      'last_refresh',
      'last_refresh is missing or not an RFC 3339 timestamp (like 2026-11-24T00:09:51Z); Codex ' +
        'needs it to use the tokens. ' +
        SIGN_IN
    ],
    [
      'an account_id of the wrong type',
      () => parseAuthJson(variant(a => (a.tokens.account_id = 42))),
      'tokens.account_id',
      `tokens.account_id must be a string. ${SIGN_IN}`
    ]
  ]

  test.each(cases)('%s', (_, parse, field, message) => {
    const problem = refusal(parse)
    expect(problem.name).toBe('AuthFileError')
    expect(problem.field).toBe(field)
    expect(problem.message).toBe(message)
    expect(problem.message).not.toContain(CANARY)
  })
})

describe('the forms a secret arrives in', () => {
  const text = authText()
  const base64 = Buffer.from(text).toString('base64')

  test('base64 must be the whole value: a stray character before or after it is refused', () => {
    for (const input of [
      `*${base64}`,
      `${base64}*`,
      `${base64.slice(0, 40)}!${base64.slice(40)}`
    ]) {
      expect(refusal(() => parseAuthSecret(input)).message).toMatch(
        /^it is neither JSON nor base64/
      )
    }
  })

  test('base64 of JSON with whitespace around it (as `echo` or an editor leaves it)', () => {
    const padded = Buffer.from(`\n  ${text}\n\n`).toString('base64')
    expect(parseAuthSecret(padded).text).toBe(`${text}\n`)
  })

  test('an auth.json read from disk may start with a byte order mark', () => {
    expect(parseAuthJson(`\ufeff${text}`).text).toBe(`${text}\n`)
  })
})

describe('secretInputForms: exactly the forms, no more', () => {
  test('one line of base64: as given, trimmed and its base64 (no lines: there is one)', () => {
    const input = ` ${Buffer.from(authText()).toString('base64')}\n`
    expect(secretInputForms(input)).toEqual([
      input,
      input.trim(),
      Buffer.from(input.trim()).toString('base64')
    ])
  })

  test('wrapped lines: the joined value and each line of at least 8 characters', () => {
    // A line of 8 characters is masked; one of 7 is too common a string to mask on its own.
    const input = 'abcdefghij\r\nABCDEFGH\r\nabcdefg\r\nxy\r\n'
    expect(secretInputForms(input)).toEqual([
      input,
      input.trim(),
      Buffer.from(input.trim()).toString('base64'),
      'abcdefghijABCDEFGHabcdefgxy',
      'abcdefghij',
      'ABCDEFGH'
    ])
  })
})

describe('the session helpers', () => {
  test('sessionSecrets: the three tokens, in the order of the file', () => {
    const object = authObject()
    const session = parseAuthJson(JSON.stringify(object))
    expect(sessionSecrets(session)).toEqual([
      object.tokens.id_token,
      object.tokens.access_token,
      object.tokens.refresh_token
    ])
  })

  test('instantOf refuses a timestamp that is not RFC 3339, in words, without quoting it', () => {
    expect(() => instantOf(`yesterday ${CANARY}`)).toThrow(/^last_refresh is not RFC 3339$/)
  })
})

describe('last_refresh: minutes and seconds, as Codex 0.169.0 reads them', () => {
  const withLastRefresh = (lastRefresh: string) =>
    JSON.stringify({ ...authObject(), last_refresh: lastRefresh })

  // Each seen refused by the real Codex 0.169.0 (`codex login status`: "failed to deserialize").
  test.each(['2026-11-24T10:60:00Z', '2026-11-24T10:00:61Z', '2026-11-24T10:00:99Z'])(
    '%s is refused, as Codex refuses it (within the hour and the day: no roll-over catches it)',
    lastRefresh => {
      expect(() => parseAuthJson(withLastRefresh(lastRefresh))).toThrow(
        /last_refresh is missing or not an RFC 3339 timestamp/
      )
    }
  )

  test('10:59:59 is accepted', () => {
    expect(parseAuthJson(withLastRefresh('2026-11-24T10:59:59Z')).lastRefresh).toBe(
      '2026-11-24T10:59:59Z'
    )
  })

  // Fixed (src/auth/schema.ts isRfc3339: `s! < 60` at line 51, and the roll-over of Date.UTC at :41): Codex 0.169.0 accepts a leap second,
  // second 60, at any minute (seen: `codex login status` says "Logged in using ChatGPT" for each
  // of these), but isRfc3339 refuses it, so the action refuses a file Codex would use.
  test.each([
    '2026-11-24T10:00:60Z',
    '2026-11-24T10:00:60.5Z',
    '2026-11-30T23:59:60Z',
    '2026-11-24T00:00:60+01:00'
  ])('%s (a leap second) is accepted, as Codex accepts it', lastRefresh => {
    expect(parseAuthJson(withLastRefresh(lastRefresh)).lastRefresh).toBe(lastRefresh)
  })
})
