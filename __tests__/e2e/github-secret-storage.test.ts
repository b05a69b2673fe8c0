/**
 * storage: github-secret, end to end: the bundled action's octokit and libsodium against the
 * loopback secrets API (real X25519 keys: what was PUT is opened and compared), the real Codex CLI
 * against the fake identity provider.
 * Its faults (statuses, resets, stalls, cut bodies) are rows of the fault suite:
 * suites/faults-storages.cases.ts.
 */
import {
  ORG,
  PROD,
  READ_TOKEN,
  REPO,
  SECRET,
  UNKNOWN_TOKEN,
  WRITE_TOKEN,
  authOnDisk,
  freshSeed,
  refreshCount as refreshesOf,
  staleSeed,
  useSecretsApi
} from './harness/other-storages.js'
import { JOB_TOKEN } from './harness/runner.js'
import { errorsOf, noticesOf, runJob, useScenario } from './harness/scenario.js'
import type { AuthJson } from './fakes/authority.js'
import type { SecretScope } from './fakes/secrets-api.js'

const scenario = useScenario()
const secrets = useSecretsApi(scenario)
const refreshCount = () => refreshesOf(scenario)
const stale = () => staleSeed(scenario)
const fresh = () => freshSeed(scenario)
const parsed = (text: string | undefined) => JSON.parse(text ?? 'null') as AuthJson

describe('a stale seed: refreshed, sealed into the secret, restored', () => {
  test('the secret holds the refreshed auth.json, the PUT body no token; a fresh job starts from it without refreshing', async () => {
    const { world } = scenario
    const seed = stale()
    secrets.storeSeed(REPO, seed)
    const before = secrets.api.secret(REPO, SECRET)!.updatedAt

    const first = secrets.job()
    const { main, post } = await runJob(first, secrets.inputs(seed))
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'true' })
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toMatch(
      /Stored the refreshed session .* in GitHub secret CODEX_AUTH_JSON \(repository acme\/widgets\)/
    )
    // What GitHub would decrypt is exactly the auth.json Codex left.
    const stored = secrets.api.secret(REPO, SECRET)!
    expect(parsed(stored.value)).toEqual(authOnDisk(first))
    expect(JSON.parse(stored.value).tokens.refresh_token).not.toBe(seed.tokens.refresh_token)
    expect(stored.writes).toBe(1)
    expect(stored.updatedAt).not.toBe(before)
    // Sealed on the wire: no token, no field name, only the sealed box and the key id.
    const [put] = secrets.putsTo(SECRET)
    expect(secrets.putsTo(SECRET)).toHaveLength(1)
    expect(Object.keys(JSON.parse(put!.body)).sort()).toEqual(['encrypted_value', 'key_id'])
    for (const token of world.authority.issued) expect(put!.body).not.toContain(token)
    for (const marker of ['refresh_token', 'access_token', 'acct_test_0001', 'last_refresh'])
      expect(put!.body).not.toContain(marker)
    expect(put!.token).toBe(WRITE_TOKEN)
    // The preflight (main) and the check before writing (post) left no probe behind.
    const probes = secrets.api.requests.filter(
      r => r.method === 'PUT' && /_PROBE_[0-9A-F]{8}$/.test(r.path)
    )
    expect(probes.length).toBeGreaterThanOrEqual(1)
    expect(secrets.api.names(REPO)).toEqual([SECRET])

    // The next run gets the new secret value as its auth-json.
    const refreshes = refreshCount()
    const second = secrets.job()
    const restored = await runJob(second, secrets.inputs(stored.value))
    expect(restored.main.exitCode).toBe(0)
    expect(restored.main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'false' })
    expect(refreshCount()).toBe(refreshes)
    expect(authOnDisk(second)).toEqual(parsed(stored.value))
    expect(restored.post.exitCode).toBe(0)
    expect(restored.post.stdout).toMatch(/nothing to store/)
    expect(secrets.api.secret(REPO, SECRET)!.writes).toBe(1)
  })

  test('a fresh session: nothing is written, and no probe is left behind', async () => {
    const seed = fresh()
    secrets.storeSeed(REPO, seed)
    const { main, post } = await runJob(secrets.job(), secrets.inputs(seed))
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'false' })
    // No refresh coming: main does not probe.
    expect(main.stdout).not.toMatch(/PROBE/)
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toMatch(/did not change during this job: nothing to store/)
    // Only that nothing needed saving: no notice about writability (that would need a probe write).
    expect(noticesOf(post)).toEqual([
      'Nothing needed saving: the session did not change during this job.'
    ])
    expect(secrets.putsTo(SECRET)).toHaveLength(0)
    expect(secrets.api.secret(REPO, SECRET)!.value).toBe(JSON.stringify(seed))
    expect(secrets.api.names(REPO)).toEqual([SECRET])
  })

  test('no secret yet: the seed is used, and the refreshed session creates it', async () => {
    const job = secrets.job()
    const { main, post } = await runJob(job, secrets.inputs(stale()))
    expect(main.outputs).toMatchObject({ 'auth-source': 'secret', refreshed: 'true' })
    expect(post.exitCode).toBe(0)
    expect(parsed(secrets.api.value(REPO, SECRET))).toEqual(authOnDisk(job))
    expect(secrets.putsTo(SECRET).map(r => r.status)).toEqual([201])
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
      secrets.storeSeed(scope, seed)
      const refreshes = refreshCount()
      const { main, post } = await runJob(
        secrets.job(),
        secrets.inputs(seed, { 'secret-token': token, ...extra })
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
      expect(secrets.api.requests.filter(r => r.method === 'PUT' && r.status < 300)).toEqual([])
      expect(secrets.api.secret(scope, SECRET)!.value).toBe(JSON.stringify(seed))
    }
  )

  test('an environment that does not exist: named, before Codex runs', async () => {
    const refreshes = refreshCount()
    const { main } = await runJob(
      secrets.job(),
      secrets.inputs(stale(), { 'secret-environment': 'staging' })
    )
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main).join()).toMatch(
      /cannot write secrets in environment staging: .*404[^]*environment staging does not exist/
    )
    expect(refreshCount()).toBe(refreshes)
  })

  test("the job's GITHUB_TOKEN as secret-token is refused, naming it, before any call", async () => {
    const seed = stale()
    secrets.storeSeed(REPO, seed)
    const refreshes = refreshCount()
    const { main } = await runJob(
      secrets.job(),
      secrets.inputs(seed, { 'secret-token': JOB_TOKEN })
    )
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main).join()).toMatch(
      /'secret-token' is the job's GITHUB_TOKEN, which can never write secrets/
    )
    expect(refreshCount()).toBe(refreshes)
    expect(secrets.api.requests.filter(r => r.token === JOB_TOKEN)).toEqual([])
    expect(secrets.putsTo(SECRET)).toEqual([])
  })
})

describe('environment and organization secrets', () => {
  test('an environment secret: its own key, its own path; the repository secret is untouched', async () => {
    const seed = stale()
    secrets.storeSeed(PROD, seed)
    const job = secrets.job()
    const { main, post } = await runJob(job, secrets.inputs(seed, { 'secret-environment': 'prod' }))
    expect(main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'true' })
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toMatch(/in GitHub secret CODEX_AUTH_JSON \(environment prod\)/)
    expect(parsed(secrets.api.value(PROD, SECRET))).toEqual(authOnDisk(job))
    expect(secrets.api.value(REPO, SECRET)).toBeUndefined()
    expect(secrets.putsTo(SECRET).map(r => r.path)).toEqual([
      '/repos/acme/widgets/environments/prod/secrets/CODEX_AUTH_JSON'
    ])
    expect(secrets.api.names(PROD)).toEqual([SECRET])
  })

  test('an organization secret visible to selected repositories keeps its visibility and list (all pages of it)', async () => {
    const seed = stale()
    // More than one page (100) of repositories.
    const selected = [101, 103, ...Array.from({ length: 150 }, (_, i) => 1000 + i)]
    secrets.storeSeed(ORG, seed, {
      value: '',
      visibility: 'selected',
      selectedRepositoryIds: selected
    })
    const job = secrets.job()
    const { main, post } = await runJob(job, secrets.inputs(seed, { 'secret-org': 'acme' }))
    expect(main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'true' })
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toMatch(/in GitHub secret CODEX_AUTH_JSON \(organization acme\)/)
    const stored = secrets.api.secret(ORG, SECRET)!
    expect(parsed(stored.value)).toEqual(authOnDisk(job))
    expect(stored.visibility).toBe('selected')
    expect(stored.selectedRepositoryIds).toEqual(selected)
    const [put] = secrets.putsTo(SECRET)
    expect(JSON.parse(put!.body)).toMatchObject({
      visibility: 'selected',
      selected_repository_ids: selected
    })
    expect(
      secrets.api.requests
        .filter(r => r.path.startsWith('/orgs/acme/actions/secrets/CODEX_AUTH_JSON/repositories'))
        .map(r => r.path.replace(/^.*\?/, ''))
    ).toEqual(['per_page=100&page=1', 'per_page=100&page=2'])
    expect(secrets.api.names(ORG)).toEqual([SECRET])
  })

  test('a new organization secret is created private; one visible to all stays so', async () => {
    const job = secrets.job()
    const created = await runJob(job, secrets.inputs(stale(), { 'secret-org': 'acme' }))
    expect(created.post.exitCode).toBe(0)
    expect(secrets.api.secret(ORG, SECRET)!.visibility).toBe('private')
    expect(parsed(secrets.api.value(ORG, SECRET))).toEqual(authOnDisk(job))

    const seed = stale()
    secrets.storeSeed(ORG, seed, { value: '', visibility: 'all' })
    const again = await runJob(secrets.job(), secrets.inputs(seed, { 'secret-org': 'acme' }))
    expect(again.post.exitCode).toBe(0)
    expect(secrets.api.secret(ORG, SECRET)).toMatchObject({
      visibility: 'all',
      selectedRepositoryIds: undefined
    })
  })
})
