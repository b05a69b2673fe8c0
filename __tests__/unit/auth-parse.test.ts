import {
  AuthFileError,
  parseAuthJson,
  parseAuthSecret,
  secretInputForms
} from '../../src/auth/index.js'
import { authObject, authText, CANARY } from './fixtures.js'

function problemOf(input: string): AuthFileError {
  try {
    parseAuthSecret(input)
  } catch (error) {
    expect(error).toBeInstanceOf(AuthFileError)
    return error as AuthFileError
  }
  throw new Error('expected the input to be refused')
}

describe('parseAuthSecret accepts the forms a secret arrives in', () => {
  const object = authObject()
  const text = JSON.stringify(object, null, 2)
  test.each([
    ['raw JSON', text],
    ['compact JSON', JSON.stringify(object)],
    ['surrounding whitespace and CRLF', `\r\n  ${text.replace(/\n/g, '\r\n')}  \r\n`],
    ['a byte order mark', `\ufeff${text}`],
    ['base64', Buffer.from(text).toString('base64')],
    [
      'wrapped base64 with CRLF',
      Buffer.from(text)
        .toString('base64')
        .replace(/(.{76})/g, '$1\r\n') + '\r\n'
    ],
    ['base64url', Buffer.from(text).toString('base64url')]
  ])('%s', (_, input) => {
    const session = parseAuthSecret(input)
    expect(session.file.tokens.refresh_token).toBe(`rt_${CANARY}_refresh`)
    expect(session.lastRefresh).toBe('2026-11-24T00:09:51.137314582Z')
    // Written to disk pretty-printed, as Codex writes it.
    expect(session.text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`)
  })

  test('a session without auth_mode (older Codex) is a ChatGPT session', () => {
    const { auth_mode: _, ...rest } = authObject()
    expect(parseAuthJson(JSON.stringify(rest)).file.auth_mode).toBeUndefined()
  })

  test('unknown fields are kept', () => {
    expect(parseAuthJson(JSON.stringify({ ...authObject(), extra: 1 })).text).toContain(
      '"extra": 1'
    )
  })
})

describe('parseAuthSecret refuses what Codex cannot use, naming the field and never a value', () => {
  const base = authObject()
  const variant = (change: (auth: Record<string, any>) => void) => {
    const copy = structuredClone(base) as Record<string, any>
    change(copy)
    return JSON.stringify(copy)
  }
  const cases: [string, string, string | RegExp][] = [
    ['empty', '   \r\n', 'empty'],
    ['not JSON nor base64', `not json ${CANARY}`, 'neither JSON nor base64'],
    ['invalid JSON', `{"tokens": ${CANARY}}`, 'not valid JSON'],
    [
      'a trailing comma',
      `{\n  "tokens": "${CANARY}",\n}`,
      /not valid JSON \(at line 3, column 1\)/
    ],
    ['truncated JSON', `{"tokens": "${CANARY}`, 'not valid JSON'],
    ['a JSON array', `[1]`, 'not an object'],
    [
      'base64 of garbage',
      Buffer.from(`garbage ${CANARY}`).toString('base64'),
      'neither JSON nor base64'
    ],
    [
      'API key auth',
      JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: `sk-${CANARY}` }),
      'auth_mode is not "chatgpt"'
    ],
    [
      'an API key without auth_mode',
      JSON.stringify({ OPENAI_API_KEY: `sk-${CANARY}` }),
      'OPENAI_API_KEY is set'
    ],
    [
      'an API key next to tokens',
      variant(a => (a.OPENAI_API_KEY = `sk-${CANARY}`)),
      'OPENAI_API_KEY is set'
    ],
    [
      'external tokens mode',
      variant(a => (a.auth_mode = 'chatgptAuthTokens')),
      'auth_mode is not "chatgpt"'
    ],
    ['no tokens', variant(a => delete a.tokens), 'tokens is missing'],
    ['tokens as a string', variant(a => (a.tokens = CANARY)), 'tokens is missing or not an object'],
    [
      'no refresh token',
      variant(a => delete a.tokens.refresh_token),
      'tokens.refresh_token is missing or empty'
    ],
    [
      'an empty refresh token',
      variant(a => (a.tokens.refresh_token = '')),
      'tokens.refresh_token is missing or empty'
    ],
    [
      'a numeric refresh token',
      variant(a => (a.tokens.refresh_token = 12345)),
      'tokens.refresh_token'
    ],
    [
      'no access token',
      variant(a => delete a.tokens.access_token),
      'tokens.access_token is missing or empty'
    ],
    [
      'an id_token that is not a JWT',
      variant(a => (a.tokens.id_token = CANARY)),
      'tokens.id_token is missing or not a JWT'
    ],
    [
      'an id_token with two parts',
      variant(a => (a.tokens.id_token = `a.${CANARY}`)),
      'tokens.id_token'
    ],
    [
      'an id_token with padding',
      variant(a => (a.tokens.id_token = 'eyJhbGciOiJub25lIn0=.eyJ9.sig')),
      'tokens.id_token'
    ],
    [
      'an id_token whose payload is not JSON',
      variant(a => (a.tokens.id_token = `e30.${Buffer.from(CANARY).toString('base64url')}.sig`)),
      'tokens.id_token'
    ],
    [
      'an id_token with an empty signature',
      variant(a => (a.tokens.id_token = 'e30.e30.')),
      'tokens.id_token'
    ],
    [
      'an id_token with a numeric email claim',
      variant(
        a => (a.tokens.id_token = `e30.${Buffer.from('{"email":7}').toString('base64url')}.sig`)
      ),
      'tokens.id_token'
    ],
    [
      'account_id of the wrong type',
      variant(a => (a.tokens.account_id = 42)),
      'tokens.account_id must be a string'
    ],
    [
      'no last_refresh',
      variant(a => delete a.last_refresh),
      'last_refresh is missing or not an RFC 3339'
    ],
    ['a last_refresh that is not a date', variant(a => (a.last_refresh = CANARY)), 'last_refresh'],
    [
      'a last_refresh in month 13',
      variant(a => (a.last_refresh = '2026-13-01T00:00:00Z')),
      'last_refresh'
    ]
  ]
  test.each(cases)('%s', (_, input, expected) => {
    const problem = problemOf(input)
    expect(problem.message).toMatch(expected)
    expect(problem.message).not.toContain(CANARY)
    expect(problem.message).not.toContain('sk-')
    // Every refusal says how to fix it.
    expect(problem.message).toMatch(/codex login|CODEX_API_KEY|base64 -w0|API key directly/)
  })
})

describe('secretInputForms lists what must be masked', () => {
  test('raw JSON: as given, trimmed, and its base64', () => {
    const input = `  ${authText()}\n`
    expect(secretInputForms(input)).toEqual([
      input,
      input.trim(),
      Buffer.from(input.trim()).toString('base64')
    ])
  })
  test('wrapped base64: the whole value and every line', () => {
    const encoded = Buffer.from(authText()).toString('base64')
    const wrapped = encoded.replace(/(.{76})/g, '$1\n')
    const forms = secretInputForms(wrapped)
    expect(forms).toContain(encoded)
    for (const line of wrapped.split('\n').filter(l => l.length >= 8)) expect(forms).toContain(line)
  })
  test('an empty input masks nothing', () => {
    expect(secretInputForms('  ')).toEqual([])
  })
})

describe('last_refresh is accepted exactly when Codex accepts it', () => {
  const withLastRefresh = (lastRefresh: string) =>
    JSON.stringify({ ...authObject(), last_refresh: lastRefresh })

  // Each seen accepted by the real Codex 0.169.0 (`codex login status`: "Logged in using ChatGPT").
  test.each([
    '2026-11-24T00:00:00Z',
    '2026-11-24t00:00:00z',
    '2026-11-24 00:00:00Z',
    '2026-11-24T00:00:00-00:00',
    '2026-11-24T00:00:00+23:59',
    '2026-11-24T00:00:00-23:59',
    '2026-11-24T00:00:00.5Z',
    '2028-02-29T00:00:00Z',
    '1969-12-31T23:59:59.5Z'
  ])('%s is accepted', lastRefresh => {
    expect(parseAuthJson(withLastRefresh(lastRefresh)).lastRefresh).toBe(lastRefresh)
  })

  // Each seen refused by the real Codex 0.169.0 ("failed to deserialize CLI auth from file"): it
  // would then ignore the whole file and act logged out, so the action must refuse it first.
  test.each([
    '2026-02-29T00:00:00Z',
    '2026-11-24T24:00:00Z',
    '2026-11-24T00:00:00.Z',
    '2026-11-24T00:00:00+24:00',
    '2026-11-24T00:00:00+00:60',
    '2026-11-24T00:00:00+23:60',
    '2026-11-24T00:00:00+99:99'
  ])('%s is refused, as Codex refuses it', lastRefresh => {
    expect(() => parseAuthJson(withLastRefresh(lastRefresh))).toThrow(
      /last_refresh is missing or not an RFC 3339 timestamp/
    )
  })
})
