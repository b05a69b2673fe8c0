/**
 * The world a test job runs in: the identity provider, its loopback token endpoint, the strict fake
 * ChatGPT backend over HTTPS, and the settings that point the real Codex CLI at them.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { Authority, type AuthJson } from '../fakes/authority.js'
import { startBackend, type FakeBackend } from '../fakes/backend.js'
import { startTokenEndpoint, type FakeTokenEndpoint } from '../fakes/oauth.js'
import { makeTestTls, type TestTls } from '../fakes/tls.js'
import { codexBinary } from './paths.js'

export interface World {
  readonly authority: Authority
  readonly tokenEndpoint: FakeTokenEndpoint
  readonly backend: FakeBackend
  readonly tls: TestTls
  readonly codexPath: string
  /** Job-level environment that points Codex at the fakes (as a workflow's `env:` would). */
  readonly codexEnv: Record<string, string>
  /** A user config.toml for CODEX_HOME that keeps Codex on loopback and quiet. */
  userConfig(extra?: string): string
  close(): Promise<void>
}

export async function startWorld(): Promise<World> {
  const authority = new Authority()
  const tls = makeTestTls()
  const tokenEndpoint = await startTokenEndpoint(authority)
  const backend = await startBackend(authority, tls)
  return {
    authority,
    tokenEndpoint,
    backend,
    tls,
    codexPath: codexBinary(),
    codexEnv: {
      CODEX_CA_CERTIFICATE: tls.caFile,
      CODEX_REFRESH_TOKEN_URL_OVERRIDE: tokenEndpoint.url,
      RUST_LOG: 'warn'
    },
    userConfig: (extra = '') =>
      [
        '# the user config of this runner',
        `chatgpt_base_url = "${backend.baseUrl}"`,
        `openai_base_url = "${backend.baseUrl}codex"`,
        'check_for_update_on_startup = false',
        extra,
        '',
        '[analytics]',
        'enabled = false',
        '',
        '[feedback]',
        'enabled = false',
        '',
        '[features]',
        'apps = false',
        'plugins = false',
        'remote_plugin = false',
        'tool_suggest = false',
        ''
      ].join('\n'),
    close: async () => {
      await tokenEndpoint.close()
      await backend.close()
    }
  }
}

/** Puts a config.toml (and optionally an auth.json) into a CODEX_HOME, as a user of the runner would. */
export function prepareCodexHome(codexHome: string, config: string, auth?: AuthJson): void {
  mkdirSync(codexHome, { recursive: true, mode: 0o700 })
  writeFileSync(path.join(codexHome, 'config.toml'), config)
  if (auth)
    writeFileSync(path.join(codexHome, 'auth.json'), JSON.stringify(auth, null, 2), { mode: 0o600 })
}
