/**
 * The environment `codex exec` gets: an allowlist, not a filter. A prompt may carry text that others
 * wrote, and every command the model runs sees this environment, so only what Codex and ordinary
 * build tools need goes in: never the action's inputs, the runtime tokens, the runner's command
 * files or a variable whose name says it is a secret. Pure.
 */
import { BYPASS_ENV } from '../names.js'

const EXACT = new Set([
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'TZ', 'TMPDIR', 'TERM', 'CI',
  'SSL_CERT_FILE', 'SSL_CERT_DIR', 'NODE_EXTRA_CA_CERTS',
  'JAVA_HOME', 'GOROOT', 'GOPATH', 'pythonLocation', 'PKG_CONFIG_PATH', 'DOTNET_ROOT',
  'CARGO_HOME', 'RUSTUP_HOME', 'ANDROID_HOME', 'ANDROID_SDK_ROOT', 'CODEX_HOME', 'RUST_LOG',
  // What a Windows process needs to start at all.
  'Path', 'PATHEXT', 'SystemRoot', 'SystemDrive', 'windir', 'ComSpec', 'USERPROFILE', 'USERNAME',
  'APPDATA', 'LOCALAPPDATA', 'TEMP', 'TMP', 'HOMEDRIVE', 'HOMEPATH', 'ProgramData', 'ProgramFiles'
]) // prettier-ignore

const PROXY = /^(?:HTTP_PROXY|HTTPS_PROXY|ALL_PROXY|NO_PROXY)$/i
// Families of names: the runner's context, locales, toolchains that setup-* actions export, Codex's own.
const FAMILIES = [/^GITHUB_/, /^RUNNER_/, /^LC_/, /^JAVA_HOME_/, /^Python\w*_ROOT_DIR$/, /^CODEX_/]
// In a family, a name like these holds a credential (CODEX_GITHUB_PERSONAL_ACCESS_TOKEN, ...).
const SECRET_NAME = /(?:_TOKEN|_KEY|_SECRET|_PASSWORD)$/i
// The runner's command files: a command that can write them steers later steps and the post step.
const COMMAND_FILES = new Set([
  'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_OUTPUT', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'
]) // prettier-ignore

/** Names that `pass-through-env` may never name, and why. */
export function passThroughRefusal(name: string): string | undefined {
  if (/^INPUT_/i.test(name)) return "it is one of the action's inputs (secrets among them)"
  if (/^ACTIONS_/i.test(name)) return "it is one of the runner's own tokens or settings"
  if (COMMAND_FILES.has(name)) return "it is one of the runner's command files"
  if ((BYPASS_ENV as readonly string[]).includes(name))
    return 'it would make Codex bypass the ChatGPT session'
  return undefined
}

function allowed(name: string): boolean {
  if (EXACT.has(name) || PROXY.test(name)) return true
  if (COMMAND_FILES.has(name) || name === 'GITHUB_TOKEN') return false
  return FAMILIES.some(family => family.test(name)) && !SECRET_NAME.test(name)
}

export interface CodexEnvironment {
  readonly env: Record<string, string>
  /** Set variables that would have made Codex bypass the session: to warn about. */
  readonly removedBypass: string[]
}

/** The allowlisted part of `env`, plus `passThrough` names, with CODEX_HOME set. */
export function codexEnvironment(
  env: NodeJS.ProcessEnv,
  codexHome: string,
  passThrough: readonly string[] = []
): CodexEnvironment {
  const result: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (allowed(name) || passThrough.includes(name))) result[name] = value
  }
  result.CODEX_HOME = codexHome
  const removedBypass = BYPASS_ENV.filter(name => (env[name] ?? '').trim() !== '')
  return { env: result, removedBypass }
}
