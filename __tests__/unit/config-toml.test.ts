import { withFileCredentialStore } from '../../src/codex/config-toml.js'

const SETTING = /^cli_auth_credentials_store = "file" # set by codex-auth-action/

describe('withFileCredentialStore', () => {
  test('an empty config gets the setting', () => {
    expect(withFileCredentialStore('')).toMatch(SETTING)
  })

  test('it is added at the top, before any table, and the rest is untouched', () => {
    const config = 'model = "o4"\n\n[features]\napps = false\n'
    const result = withFileCredentialStore(config)
    expect(result).toMatch(SETTING)
    expect(result.endsWith(config)).toBe(true)
  })

  test('already "file": unchanged, to the byte', () => {
    for (const config of [
      'cli_auth_credentials_store = "file"\n',
      "model = 'x'\ncli_auth_credentials_store='file' # mine\n[a]\nb = 1\n"
    ]) {
      expect(withFileCredentialStore(config)).toBe(config)
    }
  })

  test('another value is replaced in place, with no duplicate key', () => {
    const config = 'model = "o4"\ncli_auth_credentials_store = "keyring"\n[tui]\nx = 1\n'
    const result = withFileCredentialStore(config)
    expect(result.split('\n')).toEqual([
      'model = "o4"',
      expect.stringMatching(SETTING),
      '[tui]',
      'x = 1',
      ''
    ])
    expect(result.match(/cli_auth_credentials_store/g)).toHaveLength(1)
  })

  test('a key of the same name inside a table is not the top-level key', () => {
    const config = '[profiles.ci]\ncli_auth_credentials_store = "keyring"\n'
    const result = withFileCredentialStore(config)
    expect(result).toMatch(SETTING)
    expect(result).toContain('[profiles.ci]\ncli_auth_credentials_store = "keyring"\n')
  })

  test('a commented-out line is not the key', () => {
    const result = withFileCredentialStore('# cli_auth_credentials_store = "keyring"\n')
    expect(result.split('\n')[0]).toMatch(SETTING)
  })

  test('a multi-line array at top level is not mistaken for a table', () => {
    const config = 'notify = [\n  "a",\n  "b",\n]\ncli_auth_credentials_store = "auto"\n'
    const result = withFileCredentialStore(config)
    expect(result).toContain('notify = [\n  "a",\n  "b",\n]\n')
    expect(result.match(/cli_auth_credentials_store/g)).toHaveLength(1)
    expect(result).not.toContain('"auto"')
  })

  test('CRLF files keep their line endings', () => {
    expect(withFileCredentialStore('a = 1\r\n')).toMatch(/"file".*\r\na = 1\r\n$/)
    expect(withFileCredentialStore('cli_auth_credentials_store = "keyring"\r\nb = 2\r\n')).toMatch(
      /"file"[^\n]*\r\nb = 2\r\n$/
    )
  })

  test('an idempotent edit', () => {
    const once = withFileCredentialStore('[a]\nb = 1\n')
    expect(withFileCredentialStore(once)).toBe(once)
  })
})
