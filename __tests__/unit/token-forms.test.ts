/** The forms of a session's tokens that are masked and blanked out of what Codex printed. */
import { parseAuthJson, redactForms, tokenForms } from '../../src/auth/index.js'
import { authObject, CANARY } from './fixtures.js'

const sessionWith = (tokens: Record<string, string>) => {
  const object = authObject()
  return parseAuthJson(JSON.stringify({ ...object, tokens: { ...object.tokens, ...tokens } }))
}
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')
const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url')

// Computed in each test, never while the tests are collected: mutation testing switches a
// mutant on only for the tests it runs.
let object: ReturnType<typeof authObject>
let forms: string[]
beforeEach(() => {
  object = authObject()
  forms = tokenForms(parseAuthJson(JSON.stringify(object)))
})

describe('tokenForms', () => {
  test('each token as it is, in base64 (with and without padding) and in base64url', () => {
    const { id_token, access_token, refresh_token } = object.tokens
    for (const token of [id_token, access_token, refresh_token]) {
      expect(forms).toContain(token)
      expect(forms).toContain(base64(token))
      expect(forms).toContain(base64(token).replace(/=+$/, ''))
      expect(forms).toContain(base64url(token))
    }
  })

  test('each segment of a JWT (all three: header, claims, signature)', () => {
    for (const token of [object.tokens.id_token, object.tokens.access_token]) {
      for (const segment of token.split('.')) expect(forms).toContain(segment)
    }
  })

  test('each form once, longest first (a token goes before its segments)', () => {
    expect(new Set(forms).size).toBe(forms.length)
    for (let i = 1; i < forms.length; i++) {
      expect(forms[i - 1]!.length).toBeGreaterThanOrEqual(forms[i]!.length)
    }
    const { access_token } = object.tokens
    expect(forms.indexOf(access_token)).toBeLessThan(forms.indexOf(access_token.split('.')[1]!))
  })

  test('a form of 12 characters is kept; one of 11 is too short to be a secret alone', () => {
    const short = tokenForms(
      sessionWith({ refresh_token: 'abcdefghijk', access_token: 'abcdefghijkl' })
    )
    expect(short).not.toContain('abcdefghijk')
    expect(short).toContain('abcdefghijkl')
    expect(short).toContain(base64('abcdefghijk')) // 16 characters
    expect(short.every(form => form.length >= 12)).toBe(true)
  })

  test('both padding characters are stripped', () => {
    const token = `rt_${CANARY}_xy` // 19 characters: its base64 ends in ==
    expect(base64(token)).toMatch(/[^=]==$/)
    const padded = tokenForms(sessionWith({ refresh_token: token }))
    expect(padded).toContain(base64(token).slice(0, -2))
    expect(padded).not.toContain(base64(token).slice(0, -1))
  })

  test('base64 without padding keeps the standard alphabet (+ and /), unlike base64url', () => {
    const token = `rt_${CANARY}_>>>??` // its base64 has + and /, and padding
    const encoded = base64(token)
    expect(encoded).toMatch(/[+/]/)
    expect(encoded).toMatch(/=$/)
    expect(tokenForms(sessionWith({ refresh_token: token }))).toContain(encoded.replace(/=+$/, ''))
  })

  test('the parts of a token that is not a JWT (two dots short) are not forms of their own', () => {
    const token = `aaaaaaaaaaaaaa.bbbbbbbbbbbbbb`
    const result = tokenForms(sessionWith({ refresh_token: token }))
    expect(result).toContain(token)
    expect(result).not.toContain('aaaaaaaaaaaaaa')
    expect(result).not.toContain('bbbbbbbbbbbbbb')
  })
})

describe('redactForms', () => {
  test('every occurrence of every form becomes ***, a whole token at once', () => {
    const { access_token, refresh_token } = object.tokens
    const text = `a ${access_token} b ${refresh_token} c ${access_token} d ${base64(refresh_token)}`
    expect(redactForms(text, forms)).toEqual({ text: 'a *** b *** c *** d ***', redacted: true })
  })

  test('a segment alone (a JWT claims part pasted on its own)', () => {
    const claims = object.tokens.access_token.split('.')[1]!
    expect(redactForms(`claims: ${claims}.`, forms)).toEqual({
      text: 'claims: ***.',
      redacted: true
    })
  })

  test('text without any form: unchanged, and not redacted', () => {
    expect(redactForms('Reply: OK', forms)).toEqual({ text: 'Reply: OK', redacted: false })
    expect(redactForms('', [])).toEqual({ text: '', redacted: false })
  })
})
