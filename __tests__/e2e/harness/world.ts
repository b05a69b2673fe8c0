/**
 * The world a test job runs in: the identity provider, its loopback token endpoint, the strict fake
 * ChatGPT backend over HTTPS, and the settings that point the real Codex CLI at them.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { Authority, type AuthJson } from '../fakes/authority.js'
import { startBackend, type FakeBackend } from '../fakes/backend.js'
import { branchRunToken, startCacheService, type FakeCacheService } from '../fakes/cache-service.js'
import { startTokenEndpoint, type FakeTokenEndpoint } from '../fakes/oauth.js'
import { makeTestTls, type TestTls } from '../fakes/tls.js'
import { codexBinary, scratchDir } from './paths.js'
import { JOB_TOKEN } from './runner.js'

export interface CacheRunOptions {
  /** GITHUB_REF of the run; refs/heads/main by default (the default branch). */
  readonly ref?: string
  readonly eventName?: string
  /** ACTIONS_RUNTIME_TOKEN; a branch-run token for `ref` by default. */
  readonly runtimeToken?: string
}

export interface World {
  readonly authority: Authority
  readonly tokenEndpoint: FakeTokenEndpoint
  readonly backend: FakeBackend
  readonly tls: TestTls
  /**
   * The Actions cache service and its REST endpoints (the job token may write), with the
   * collaborator permission endpoint of the action's actor check (cache.collaborators).
   */
  readonly cache: FakeCacheService
  /**
   * The real Codex CLI behind a recording shim: every run's argv and environment are kept, so the
   * leak scan covers what Codex received.
   */
  readonly codexPath: string
  /** What every Codex run received (argv, environment), as text, for the leak scan. */
  codexInvocations(): string[]
  /** Job-level environment that points Codex at the fakes (as a workflow's `env:` would). */
  readonly codexEnv: Record<string, string>
  /** The runner variables of a job that has the cache service (as on GitHub-hosted runners). */
  cacheRunner(options?: CacheRunOptions): Record<string, string>
  /** A user config.toml for CODEX_HOME that keeps Codex on loopback and quiet. */
  userConfig(extra?: string): string
  /**
   * The same settings as `-c key=value` arguments of codex exec: a new runner has no CODEX_HOME,
   * so tests point Codex at the fakes on its command line.
   */
  readonly codexArgs: readonly string[]
  close(): Promise<void>
}

export async function startWorld(): Promise<World> {
  const authority = new Authority()
  const tls = makeTestTls()
  // Steps may run as an unprivileged user (permission tests): it must read the CA.
  chmodSync(path.dirname(tls.caFile), 0o755)
  chmodSync(tls.caFile, 0o644)
  const tokenEndpoint = await startTokenEndpoint(authority)
  const backend = await startBackend(authority, tls)
  const recorder = recordingCodex(codexBinary())
  const cache = await startCacheService({
    repository: 'acme/widgets',
    restTokens: { [JOB_TOKEN]: 'write' }
  })
  return {
    authority,
    tokenEndpoint,
    backend,
    tls,
    cache,
    codexPath: recorder.shim,
    codexInvocations: recorder.invocations,
    codexEnv: {
      CODEX_CA_CERTIFICATE: tls.caFile,
      CODEX_REFRESH_TOKEN_URL_OVERRIDE: tokenEndpoint.url,
      RUST_LOG: 'warn'
    },
    cacheRunner: ({ ref = 'refs/heads/main', eventName = 'push', runtimeToken } = {}) => ({
      GITHUB_REF: ref,
      GITHUB_REF_NAME: ref.replace(/^refs\/(heads|tags)\//, ''),
      GITHUB_EVENT_NAME: eventName,
      GITHUB_API_URL: cache.apiUrl,
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: cache.resultsUrl,
      ACTIONS_RUNTIME_TOKEN: runtimeToken ?? branchRunToken(ref)
    }),
    codexArgs: [
      `chatgpt_base_url="${backend.baseUrl}"`,
      `openai_base_url="${backend.baseUrl}codex"`,
      'check_for_update_on_startup=false',
      'analytics.enabled=false',
      'feedback.enabled=false',
      'features.apps=false',
      'features.plugins=false',
      'features.remote_plugin=false',
      'features.tool_suggest=false'
    ].flatMap(setting => ['-c', setting]),
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
      await cache.close()
    }
  }
}

/**
 * A shell shim in front of the real binary that writes each run's argv and environment (NUL
 * separated) into a log directory, then execs the binary with the same arguments.
 */
function recordingCodex(binary: string): { shim: string; invocations: () => string[] } {
  const dir = scratchDir('codex-recorder')
  const log = path.join(dir, 'log')
  mkdirSync(log)
  chmodSync(dir, 0o755)
  chmodSync(log, 0o1777) // steps may run as an unprivileged user
  const shim = path.join(dir, 'codex')
  writeFileSync(
    shim,
    [
      '#!/bin/sh',
      `record="${log}/run-$$-$(date +%s%N)"`,
      'printf \'%s\\0\' "$@" > "$record.argv"',
      // The environment as the process got it: sh would drop names it cannot hold (INPUT_AUTH-JSON).
      'cat /proc/$$/environ > "$record.env"',
      `exec "${binary}" "$@"`,
      ''
    ].join('\n'),
    { mode: 0o755 }
  )
  return {
    shim,
    invocations: () =>
      readdirSync(log).map(name => readFileSync(path.join(log, name), 'utf8').replace(/\0/g, '\n'))
  }
}

/** Puts a config.toml (and optionally an auth.json) into a CODEX_HOME, as a user of the runner would. */
export function prepareCodexHome(codexHome: string, config: string, auth?: AuthJson): void {
  mkdirSync(codexHome, { recursive: true, mode: 0o700 })
  writeFileSync(path.join(codexHome, 'config.toml'), config)
  if (auth)
    writeFileSync(path.join(codexHome, 'auth.json'), JSON.stringify(auth, null, 2), { mode: 0o600 })
}
