/**
 * Keeping Codex's credentials in auth.json: `cli_auth_credentials_store = "file"` at the top level
 * of config.toml (the keyring and auto stores move them where the action cannot persist them).
 * A line edit rather than a TOML round trip, so the user's comments and layout stay as they are.
 */

const KEY = 'cli_auth_credentials_store'
const KEY_LINE = new RegExp(`^\\s*(?:${KEY}|"${KEY}"|'${KEY}')\\s*=`)
const FILE_VALUE = new RegExp(
  `^\\s*(?:${KEY}|"${KEY}"|'${KEY}')\\s*=\\s*(?:"file"|'file')\\s*(?:#.*)?$`
)
// A table header: [a], [a.b], ["a b"], [[a]]; a line inside a multi-line array has a comma or a value.
const TABLE_HEADER = /^\s*\[\[?\s*[A-Za-z0-9_"'. -]+\s*\]\]?\s*(?:#.*)?$/
const SETTING = `${KEY} = "file" # set by codex-auth-action: the session must stay in auth.json`

/** The config with the credential store set to "file"; the same text when it already is. */
export function withFileCredentialStore(config: string): string {
  const lines = config.split('\n')
  const firstTable = lines.findIndex(line => TABLE_HEADER.test(line.replace(/\r$/, '')))
  const topLevelEnd = firstTable === -1 ? lines.length : firstTable
  const keyLines = lines
    .slice(0, topLevelEnd)
    .flatMap((line, index) => (KEY_LINE.test(line) ? [index] : []))

  if (keyLines.length === 1 && FILE_VALUE.test(lines[keyLines[0]!]!.replace(/\r$/, '')))
    return config
  if (keyLines.length === 0) {
    const eol = config.includes('\r\n') ? '\r\n' : '\n'
    return config === '' ? `${SETTING}\n` : `${SETTING}${eol}${config}`
  }
  // Replace the first occurrence and drop any duplicate: TOML forbids a key twice.
  const [first, ...duplicates] = keyLines
  const eolOf = (line: string) => (line.endsWith('\r') ? '\r' : '')
  lines[first!] = SETTING + eolOf(lines[first!]!)
  return lines.filter((_, index) => !duplicates.includes(index)).join('\n')
}
