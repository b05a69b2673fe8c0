/**
 * Registry credentials the usual npm way: `//host/path/:_authToken=...` (or `:_auth=`) in the
 * user's .npmrc (NPM_CONFIG_USERCONFIG, as actions/setup-node writes it, else ~/.npmrc) or the
 * project's .npmrc, with ${VAR} taken from the environment (NODE_AUTH_TOKEN). A credential is sent
 * only to URLs under the host and path it is written for. Pure: the files' text is passed in.
 */

export type Credential = { kind: 'bearer'; token: string } | { kind: 'basic'; auth: string }

/** `key=value` settings of one .npmrc, ${VAR} expanded; comments and blank lines skipped. */
export function parseNpmrc(text: string, env: NodeJS.ProcessEnv): Map<string, string> {
  const settings = new Map<string, string>()
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    const eq = line.indexOf('=')
    if (eq <= 0) continue
    const key = line.slice(0, eq).trim()
    const value = line
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .replace(/\$\{([^}]+)\}/g, (_, name: string) => env[name] ?? '')
    settings.set(key, value)
  }
  return settings
}

/** Several .npmrc files as npm layers them: later ones (the project's) override earlier ones. */
export function mergeNpmrcs(layers: readonly Map<string, string>[]): Map<string, string> {
  return new Map(layers.flatMap(layer => [...layer]))
}

/** The credential for `url`: the setting whose `//host/path/` is the longest prefix of the URL's. */
export function credentialFor(url: string, settings: Map<string, string>): Credential | undefined {
  const { host, pathname } = new URL(url)
  const segments = pathname.split('/').slice(1, -1) // the directories of the path
  for (let depth = segments.length; depth >= 0; depth--) {
    const prefix = `//${host}/${segments
      .slice(0, depth)
      .map(segment => `${segment}/`)
      .join('')}`
    const token = settings.get(`${prefix}:_authToken`)
    if (token) return { kind: 'bearer', token }
    const auth = settings.get(`${prefix}:_auth`)
    if (auth) return { kind: 'basic', auth }
  }
  return undefined
}

export function authorizationHeader(credential: Credential | undefined): Record<string, string> {
  if (!credential) return {}
  return {
    authorization:
      credential.kind === 'bearer' ? `Bearer ${credential.token}` : `Basic ${credential.auth}`
  }
}
