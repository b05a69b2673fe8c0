/**
 * What the tests of `storage: github-secret` and `storage: command` share: the loopback secrets API
 * (behind the fault-injecting proxy, so resets, stalls and cut bodies can be tried as well as
 * statuses), and a "secret manager" that real bash commands keep in a file.
 *
 * No jest globals at import time (the fault tables import this module); `useSecretsApi` registers
 * its hooks when a test file calls it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { AuthJson } from '../fakes/authority.js'
import { startFaultProxy, type FaultProxy } from '../fakes/fault-proxy.js'
import {
  githubTime,
  startSecretsApi,
  type FakeSecretsApi,
  type SecretScope
} from '../fakes/secrets-api.js'
import { scratchDir } from './paths.js'
import { JOB_TOKEN, type Job } from './runner.js'
import { codexHomeOf, type Scenario } from './scenario.js'

export const WRITE_TOKEN = 'github_pat_11WRITE0000000000000000_secretsWriteToken'
export const READ_TOKEN = 'github_pat_11READ00000000000000000_secretsReadOnlyToken'
export const UNKNOWN_TOKEN = 'github_pat_11REVOKED000000000000000_revokedToken'
export const SECRET = 'CODEX_AUTH_JSON'
export const REPO: SecretScope = { repository: 'acme/widgets' }
export const PROD: SecretScope = { repository: 'acme/widgets', environment: 'prod' }
export const ORG: SecretScope = { org: 'acme' }
const REPOSITORY_IDS = { 'acme/widgets': 101, 'acme/gadgets': 102, 'acme/tools': 103 }

/** The secrets API as a job sees it: through the proxy, which adds faults on request. */
export interface SecretsHarness {
  readonly api: FakeSecretsApi
  readonly proxy: FaultProxy
  /** A job on a new runner whose GITHUB_API_URL is the proxy. */
  job(): Job
  /** Inputs for storage: github-secret with a write token and this seed as auth-json. */
  inputs(seed: AuthJson | string, extra?: Record<string, string>): Record<string, string>
  /** The secret as the user set it an hour ago: what `auth-json` passes in. */
  storeSeed(
    scope: SecretScope,
    seed: AuthJson,
    extra?: Parameters<FakeSecretsApi['setSecret']>[2]
  ): void
  /** The PUTs that reached the API for secret `name`. */
  putsTo(name: string): FakeSecretsApi['requests']
}

/**
 * Starts the API and its proxy for a test file; after each test, checks that no secret-token was
 * shown by any step (the action masks it).
 */
export function useSecretsApi(scenario: Scenario): SecretsHarness {
  let api: FakeSecretsApi | undefined
  let proxy: FaultProxy | undefined
  const jobs: Job[] = []
  beforeAll(async () => {
    api = await startSecretsApi({
      tokens: { [WRITE_TOKEN]: 'write', [READ_TOKEN]: 'read', [JOB_TOKEN]: 'none' },
      environments: ['acme/widgets:prod'],
      orgs: ['acme'],
      repositoryIds: REPOSITORY_IDS
    })
    proxy = await startFaultProxy(api.url)
  })
  afterAll(async () => {
    await proxy?.close()
    await api?.close()
  })
  beforeEach(() => api?.reset())
  afterEach(() => {
    proxy?.clear()
    const shown = jobs.flatMap(job => job.results).map(result => result.visibleText)
    jobs.length = 0
    for (const token of [WRITE_TOKEN, READ_TOKEN, UNKNOWN_TOKEN])
      expect(shown.filter(text => text.includes(token))).toEqual([])
  })
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the secrets API starts in beforeAll')
    return value
  }
  return {
    get api() {
      return started(api)
    },
    get proxy() {
      return started(proxy)
    },
    job() {
      const job = scenario.freshJob({ runner: { GITHUB_API_URL: started(proxy).origin } })
      jobs.push(job)
      return job
    },
    inputs(seed, extra = {}) {
      return {
        storage: 'github-secret',
        'secret-token': WRITE_TOKEN,
        'auth-json': typeof seed === 'string' ? seed : JSON.stringify(seed),
        'codex-path': scenario.world.codexPath,
        ...extra
      }
    },
    storeSeed(scope, seed, extra = { value: '' }) {
      started(api).setSecret(scope, SECRET, {
        ...extra,
        value: JSON.stringify(seed),
        updatedAt: githubTime(Date.now() - 3600_000)
      })
    },
    putsTo(name) {
      return started(api).requests.filter(
        r => r.method === 'PUT' && r.path.endsWith(`/secrets/${name}`)
      )
    }
  }
}

/**
 * A "secret manager" for storage: command: a file that does not exist yet, and a log of the
 * environment and arguments each command saw (so a test can show the session was not there).
 */
export function commandVault() {
  const root = scratchDir('secret-manager')
  const file = path.join(root, 'vault', 'codex-auth.json')
  const log = path.join(root, 'log')
  mkdirSync(log)
  const record = (name: string) =>
    `env > "$LOG_DIR/${name}-$$.env"; printf '%s\\n' "$0" "$@" > "$LOG_DIR/${name}-$$.args"`
  return {
    file,
    env: { VAULT_FILE: file, LOG_DIR: log },
    inputs: {
      storage: 'command',
      'restore-command': `${record('restore')}; if [ -f "$VAULT_FILE" ]; then cat "$VAULT_FILE"; fi`,
      'persist-command': `${record('persist')}; mkdir -p "$(dirname "$VAULT_FILE")"; cat > "$VAULT_FILE"`
    },
    /** Records a call like the default commands do, for a command a test writes itself. */
    record,
    calls: (name: string) =>
      readdirSync(log).filter(f => f.startsWith(`${name}-`) && f.endsWith('.env')).length,
    seen: () =>
      readdirSync(log)
        .map(f => readFileSync(path.join(log, f), 'utf8'))
        .join('\n'),
    stored: () =>
      existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as AuthJson) : undefined
  }
}

export type CommandVault = ReturnType<typeof commandVault>

/** Inputs for storage: command with the vault's commands and this seed as auth-json. */
export function commandInputs(
  scenario: Scenario,
  vault: CommandVault,
  seed: AuthJson,
  extra: Record<string, string> = {}
): Record<string, string> {
  return {
    'auth-json': JSON.stringify(seed),
    'codex-path': scenario.world.codexPath,
    ...vault.inputs,
    ...extra
  }
}

export const refreshCount = (scenario: Scenario) => scenario.world.tokenEndpoint.requests.length
export const staleSeed = (scenario: Scenario) =>
  scenario.world.authority.signIn({ accessExpiresInSeconds: 60 })
export const freshSeed = (scenario: Scenario) =>
  scenario.world.authority.signIn({ accessExpiresInSeconds: 3600 })
/** The auth.json Codex left, parsed (the action stores it normalised). */
export const authOnDisk = (job: Job) =>
  JSON.parse(readFileSync(path.join(codexHomeOf(job), 'auth.json'), 'utf8')) as AuthJson
