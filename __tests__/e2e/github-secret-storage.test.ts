/**
 * storage: github-secret, end to end: the bundled action's octokit and libsodium against the
 * loopback secrets API (real X25519 keys: what was PUT is opened and compared), the real Codex CLI
 * against the fake identity provider.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { AuthJson } from './fakes/authority.js'
import {
  githubTime,
  startSecretsApi,
  type FakeSecretsApi,
  type SecretScope
} from './fakes/secrets-api.js'
import { JOB_TOKEN, type Job, type StepResult } from './harness/runner.js'
import { codexHomeOf, errorsOf, noticesOf, useScenario, warningsOf } from './harness/scenario.js'

const scenario = useScenario()

const WRITE_TOKEN = 'github_pat_11WRITE0000000000000000_secretsWriteToken'
const READ_TOKEN = 'github_pat_11READ00000000000000000_secretsReadOnlyToken'
const UNKNOWN_TOKEN = 'github_pat_11REVOKED000000000000000_revokedToken'
const SECRET = 'CODEX_AUTH_JSON'
const REPO: SecretScope = { repository: 'acme/widgets' }
const PROD: SecretScope = { repository: 'acme/widgets', environment: 'prod' }
const ORG: SecretScope = { org: 'acme' }
const REPOSITORY_IDS = { 'acme/widgets': 101, 'acme/gadgets': 102, 'acme/tools': 103 }

let api: FakeSecretsApi
beforeAll(async () => {
  api = await startSecretsApi({
    tokens: { [WRITE_TOKEN]: 'write', [READ_TOKEN]: 'read', [JOB_TOKEN]: 'none' },
    environments: ['acme/widgets:prod'],
    orgs: ['acme'],
    repositoryIds: REPOSITORY_IDS
  })
})
afterAll(async () => {
  await api?.close()
})
beforeEach(() => api.reset())

// The secret-token is masked as well: it must never show in what a step printed or wrote.
const jobs: Job[] = []
afterEach(() => {
  const shown = jobs.flatMap(job => job.results).map(result => result.visibleText)
  jobs.length = 0
  for (const token of [WRITE_TOKEN, READ_TOKEN, UNKNOWN_TOKEN])
    expect(shown.filter(text => text.includes(token))).toEqual([])
})

function secretJob(): Job {
  const job = scenario.freshJob({ runner: { GITHUB_API_URL: api.url } })
  jobs.push(job)
  return job
}

function secretInputs(seed: AuthJson | string, extra: Record<string, string> = {}) {
  return {
    storage: 'github-secret',
    'secret-token': WRITE_TOKEN,
    'auth-json': typeof seed === 'string' ? seed : JSON.stringify(seed),
    'codex-path': scenario.world.codexPath,
    ...extra
  }
}

async function runJob(
  job: Job,
  inputs: Record<string, string>
): Promise<{ main: StepResult; post: StepResult }> {
  const main = await job.runAction(inputs)
  const [post] = await job.finish()
  return { main, post: post! }
}

/** The secret as the user set it an hour ago: what `auth-json` passes in. */
function storeSeed(
  scope: SecretScope,
  seed: AuthJson,
  extra: Parameters<FakeSecretsApi['setSecret']>[2] = { value: '' }
) {
  api.setSecret(scope, SECRET, {
    ...extra,
    value: JSON.stringify(seed),
    updatedAt: githubTime(Date.now() - 3600_000)
  })
}

const refreshCount = () => scenario.world.tokenEndpoint.requests.length
const stale = () => scenario.world.authority.signIn({ accessExpiresInSeconds: 60 })
const fresh = () => scenario.world.authority.signIn({ accessExpiresInSeconds: 3600 })
const putsTo = (name: string) =>
  api.requests.filter(r => r.method === 'PUT' && r.path.endsWith(`/secrets/${name}`))
/** The auth.json Codex left, parsed (the action stores it normalised: pretty-printed, a final newline). */
const authOnDisk = (job: Job) =>
  JSON.parse(readFileSync(path.join(codexHomeOf(job), 'auth.json'), 'utf8')) as AuthJson
const parsed = (text: string | undefined) => JSON.parse(text ?? 'null') as AuthJson

describe('a stale seed: refreshed, sealed into the secret, restored', () => {
  test('the secret holds the refreshed auth.json, the PUT body no token; a fresh job starts from it without refreshing', async () => {
    const { world } = scenario
    const seed = stale()
    storeSeed(REPO, seed)
    const before = api.secret(REPO, SECRET)!.updatedAt

    const first = secretJob()
    const { main, post } = await runJob(first, secretInputs(seed))
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'true' })
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toMatch(
      /Stored the refreshed session .* in GitHub secret CODEX_AUTH_JSON \(repository acme\/widgets\)/
    )
    // What GitHub would decrypt is exactly the auth.json Codex left.
    const stored = api.secret(REPO, SECRET)!
    expect(parsed(stored.value)).toEqual(authOnDisk(first))
    expect(JSON.parse(stored.value).tokens.refresh_token).not.toBe(seed.tokens.refresh_token)
    expect(stored.writes).toBe(1)
    expect(stored.updatedAt).not.toBe(before)
    // Sealed on the wire: no token, no field name, only the sealed box and the key id.
    const [put] = putsTo(SECRET)
    expect(putsTo(SECRET)).toHaveLength(1)
    expect(Object.keys(JSON.parse(put!.body)).sort()).toEqual(['encrypted_value', 'key_id'])
    for (const token of world.authority.issued) expect(put!.body).not.toContain(token)
    for (const marker of ['refresh_token', 'access_token', 'acct_test_0001', 'last_refresh'])
      expect(put!.body).not.toContain(marker)
    expect(put!.token).toBe(WRITE_TOKEN)
    // The preflight (main) and the check before writing (post) left no probe behind.
    const probes = api.requests.filter(
      r => r.method === 'PUT' && /_PROBE_[0-9A-F]{8}$/.test(r.path)
    )
    expect(probes.length).toBeGreaterThanOrEqual(1)
    expect(api.names(REPO)).toEqual([SECRET])

    // The next run gets the new secret value as its auth-json.
    const refreshes = refreshCount()
    const second = secretJob()
    const restored = await runJob(second, secretInputs(stored.value))
    expect(restored.main.exitCode).toBe(0)
    expect(restored.main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'false' })
    expect(refreshCount()).toBe(refreshes)
    expect(authOnDisk(second)).toEqual(parsed(stored.value))
    expect(restored.post.exitCode).toBe(0)
    expect(restored.post.stdout).toMatch(/nothing to store/)
    expect(api.secret(REPO, SECRET)!.writes).toBe(1)
  })

  test('a fresh session: nothing is written, and no probe is left behind', async () => {
    const seed = fresh()
    storeSeed(REPO, seed)
    const { main, post } = await runJob(secretJob(), secretInputs(seed))
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'false' })
    // No refresh coming: main does not probe.
    expect(main.stdout).not.toMatch(/PROBE/)
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toMatch(/did not change during this job: nothing to store/)
    expect(noticesOf(post)).toEqual([])
    expect(putsTo(SECRET)).toHaveLength(0)
    expect(api.secret(REPO, SECRET)!.value).toBe(JSON.stringify(seed))
    expect(api.names(REPO)).toEqual([SECRET])
  })

  test('no secret yet: the seed is used, and the refreshed session creates it', async () => {
    const job = secretJob()
    const { main, post } = await runJob(job, secretInputs(stale()))
    expect(main.outputs).toMatchObject({ 'auth-source': 'secret', refreshed: 'true' })
    expect(post.exitCode).toBe(0)
    expect(parsed(api.value(REPO, SECRET))).toEqual(authOnDisk(job))
    expect(putsTo(SECRET).map(r => r.status)).toEqual([201])
  })
})

describe('never start a refresh that cannot be stored', () => {
  test.each<[string, string, Record<string, string>, SecretScope, RegExp]>([
    ['a read-only token (repository)', READ_TOKEN, {}, REPO, /"Secrets: write"/],
    [
      'a read-only token (environment)',
      READ_TOKEN,
      { 'secret-environment': 'prod' },
      PROD,
      /"Environments: write"/
    ],
    [
      'a read-only token (organization)',
      READ_TOKEN,
      { 'secret-org': 'acme' },
      ORG,
      /"Organization secrets: write" \(a classic token: admin:org\)/
    ],
    ['an unknown token', UNKNOWN_TOKEN, {}, REPO, /401 \(Bad credentials\)[^]*not valid/]
  ])(
    '%s: fails before Codex runs, naming secret-token and the permission',
    async (_, token, extra, scope, permission) => {
      const seed = stale()
      storeSeed(scope, seed)
      const refreshes = refreshCount()
      const { main, post } = await runJob(
        secretJob(),
        secretInputs(seed, { 'secret-token': token, ...extra })
      )
      expect(main.exitCode).toBe(1)
      const [error] = errorsOf(main)
      expect(error).toMatch(/Codex would refresh this session on this run[^]*could not be stored/)
      expect(error).toMatch(/'secret-token' cannot write secrets in/)
      expect(error).toMatch(permission)
      expect(error).toMatch(/To fix: give 'secret-token' a fine-grained token/)
      expect(refreshCount()).toBe(refreshes)
      expect(main.outputs['codex-exit-code']).toBeUndefined()
      expect(post.exitCode).toBe(0)
      expect(api.requests.filter(r => r.method === 'PUT' && r.status < 300)).toEqual([])
      expect(api.secret(scope, SECRET)!.value).toBe(JSON.stringify(seed))
    }
  )

  test('an environment that does not exist: named, before Codex runs', async () => {
    const refreshes = refreshCount()
    const { main } = await runJob(
      secretJob(),
      secretInputs(stale(), { 'secret-environment': 'staging' })
    )
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main).join()).toMatch(
      /cannot write secrets in environment staging: .*404[^]*environment staging does not exist/
    )
    expect(refreshCount()).toBe(refreshes)
  })

  test("the job's GITHUB_TOKEN as secret-token is refused, naming it, before any call", async () => {
    const seed = stale()
    storeSeed(REPO, seed)
    const refreshes = refreshCount()
    const { main } = await runJob(secretJob(), secretInputs(seed, { 'secret-token': JOB_TOKEN }))
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main).join()).toMatch(
      /'secret-token' is the job's GITHUB_TOKEN, which can never write secrets/
    )
    expect(refreshCount()).toBe(refreshes)
    expect(api.requests.filter(r => r.token === JOB_TOKEN)).toEqual([])
    expect(putsTo(SECRET)).toEqual([])
  })
})

describe('environment and organization secrets', () => {
  test('an environment secret: its own key, its own path; the repository secret is untouched', async () => {
    const seed = stale()
    storeSeed(PROD, seed)
    const job = secretJob()
    const { main, post } = await runJob(job, secretInputs(seed, { 'secret-environment': 'prod' }))
    expect(main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'true' })
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toMatch(/in GitHub secret CODEX_AUTH_JSON \(environment prod\)/)
    expect(parsed(api.value(PROD, SECRET))).toEqual(authOnDisk(job))
    expect(api.value(REPO, SECRET)).toBeUndefined()
    expect(putsTo(SECRET).map(r => r.path)).toEqual([
      '/repos/acme/widgets/environments/prod/secrets/CODEX_AUTH_JSON'
    ])
    expect(api.names(PROD)).toEqual([SECRET])
  })

  test('an organization secret visible to selected repositories keeps its visibility and list (all pages of it)', async () => {
    const seed = stale()
    // More than one page (100) of repositories.
    const selected = [101, 103, ...Array.from({ length: 150 }, (_, i) => 1000 + i)]
    storeSeed(ORG, seed, { value: '', visibility: 'selected', selectedRepositoryIds: selected })
    const job = secretJob()
    const { main, post } = await runJob(job, secretInputs(seed, { 'secret-org': 'acme' }))
    expect(main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'true' })
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toMatch(/in GitHub secret CODEX_AUTH_JSON \(organization acme\)/)
    const stored = api.secret(ORG, SECRET)!
    expect(parsed(stored.value)).toEqual(authOnDisk(job))
    expect(stored.visibility).toBe('selected')
    expect(stored.selectedRepositoryIds).toEqual(selected)
    const [put] = putsTo(SECRET)
    expect(JSON.parse(put!.body)).toMatchObject({
      visibility: 'selected',
      selected_repository_ids: selected
    })
    expect(
      api.requests
        .filter(r => r.path.startsWith('/orgs/acme/actions/secrets/CODEX_AUTH_JSON/repositories'))
        .map(r => r.path.replace(/^.*\?/, ''))
    ).toEqual(['per_page=100&page=1', 'per_page=100&page=2'])
    expect(api.names(ORG)).toEqual([SECRET])
  })

  test('a new organization secret is created private; one visible to all stays so', async () => {
    const job = secretJob()
    const created = await runJob(job, secretInputs(stale(), { 'secret-org': 'acme' }))
    expect(created.post.exitCode).toBe(0)
    expect(api.secret(ORG, SECRET)!.visibility).toBe('private')
    expect(parsed(api.value(ORG, SECRET))).toEqual(authOnDisk(job))

    const seed = stale()
    storeSeed(ORG, seed, { value: '', visibility: 'all' })
    const again = await runJob(secretJob(), secretInputs(seed, { 'secret-org': 'acme' }))
    expect(again.post.exitCode).toBe(0)
    expect(api.secret(ORG, SECRET)).toMatchObject({
      visibility: 'all',
      selectedRepositoryIds: undefined
    })
  })
})

describe('failures are loud', () => {
  test('a failed PUT (500): post fails with the recovery steps, and the secret is unchanged', async () => {
    const seed = stale()
    storeSeed(REPO, seed)
    const job = secretJob()
    const main = await job.runAction(secretInputs(seed))
    expect(main.outputs.refreshed).toBe('true')
    api.failNext({ status: 500, method: 'PUT', path: /\/secrets\/CODEX_AUTH_JSON$/ })
    const [post] = await job.finish()
    expect(post!.exitCode).toBe(1)
    const [error] = errorsOf(post!)
    expect(error).toMatch(
      /could not be stored: writing secret CODEX_AUTH_JSON: the API answered 500 \(Injected failure\)/
    )
    expect(error).toMatch(/exists only in .*auth.json on this runner/)
    expect(error).toMatch(/To recover/)
    expect(api.secret(REPO, SECRET)!.value).toBe(JSON.stringify(seed))
  })

  test('the secret updated by another job between main and post: post refuses, and that value survives', async () => {
    const { world } = scenario
    const seed = stale()
    storeSeed(REPO, seed)
    const job = secretJob()
    const main = await job.runAction(secretInputs(seed))
    expect(main.outputs.refreshed).toBe('true')
    // Another job stores its refreshed session meanwhile.
    const other = JSON.stringify(world.authority.signIn({ accessExpiresInSeconds: 3600 }))
    api.setSecret(REPO, SECRET, { value: other, updatedAt: githubTime(Date.now() + 1000) })
    const [post] = await job.finish()
    expect(post!.exitCode).toBe(1)
    const [error] = errorsOf(post!)
    expect(error).toMatch(
      /GitHub secret CODEX_AUTH_JSON \(repository acme\/widgets\) was updated since this job started[^]*another job stored a session[^]*cannot be read back/
    )
    expect(error).toMatch(/To recover/)
    expect(api.value(REPO, SECRET)).toBe(other)
    expect(putsTo(SECRET)).toEqual([])
  })

  test('a failed metadata read (500) before a refresh: main fails before Codex, saying re-run', async () => {
    const seed = stale()
    storeSeed(REPO, seed)
    api.failNext({ status: 500, method: 'GET', path: /\/secrets\/CODEX_AUTH_JSON$/ })
    const refreshes = refreshCount()
    const { main, post } = await runJob(secretJob(), secretInputs(seed))
    expect(main.exitCode).toBe(1)
    const [error] = errorsOf(main)
    expect(error).toMatch(
      /Could not read the stored session from GitHub secret CODEX_AUTH_JSON \(repository acme\/widgets\): reading secret CODEX_AUTH_JSON: the API answered 500[^]*re-run the job/
    )
    expect(refreshCount()).toBe(refreshes)
    expect(post.exitCode).toBe(0)
    expect(putsTo(SECRET)).toEqual([])
  })

  test('a failed metadata read with a fresh session: a warning, and the run goes on', async () => {
    const seed = fresh()
    storeSeed(REPO, seed)
    api.failNext({ status: 502, method: 'GET', path: /\/secrets\/CODEX_AUTH_JSON$/ })
    const { main } = await runJob(secretJob(), secretInputs(seed))
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({ 'auth-source': 'secret', refreshed: 'false' })
    expect(warningsOf(main).join()).toMatch(/Could not read the stored session[^]*502/)
  })

  test('a stalled API: every call is bounded by storage-timeout', async () => {
    const seed = stale()
    storeSeed(REPO, seed)
    api.failNext({ status: 'stall', method: 'GET', path: /\/secrets\/CODEX_AUTH_JSON$/ })
    const started = Date.now()
    const { main } = await runJob(secretJob(), secretInputs(seed, { 'storage-timeout': '2' }))
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main).join()).toMatch(
      /reading secret CODEX_AUTH_JSON: .* gave no answer within 2 s[^]*re-run/
    )
    expect(Date.now() - started).toBeLessThan(30_000)
  })
})
