/**
 * Fan-out, end to end: one refresher holds the rotating session and publishes a consumer bundle;
 * consumers run the real Codex CLI on the bundle only, in parallel, against the rotating fakes.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { consumerBundle, parseAuthJson } from '../../src/auth/index.js'
import { deriveEntryKey, openEntry } from '../../src/storage/crypto.js'
import type { AuthJson } from './fakes/authority.js'
import { unpackArchive } from './harness/archives.js'
import { scratchDir } from './harness/paths.js'
import type { Job, JobOptions, StepResult } from './harness/runner.js'
import { codexHomeOf, errorsOf, readAuth, runJob, useScenario } from './harness/scenario.js'

const scenario = useScenario()
const ENCRYPTION_KEY = 'fan-out-encryption-key-0123456789abcdef'
const CONSUMERS = 5
const DAY_S = 24 * 60 * 60

// Refreshed access tokens last 10 days here, so that a bundle outlives a consumer's min-validity.
beforeAll(() => {
  scenario.world.authority.accessTtlSeconds = 10 * DAY_S
})
beforeEach(() => scenario.world.cache.reset())

const refreshCount = () => scenario.world.tokenEndpoint.requests.length
const createdEntries = () => scenario.world.cache.callCount('CreateCacheEntry')
/** Every refresh token the identity provider ever issued. */
const refreshTokens = () => scenario.world.authority.issued.filter(token => token.startsWith('rt_'))

interface Storage {
  readonly name: 'cache' | 'directory'
  /** A job on a new runner for this storage. */
  job(options?: JobOptions): Job
  inputs(extra?: Record<string, string>): Record<string, string>
}

function cacheStorage(): Storage {
  const { world } = scenario
  return {
    name: 'cache',
    job: (options = {}) =>
      scenario.freshJob({
        ...options,
        runner: { RUNNER_ENVIRONMENT: 'github-hosted', ...world.cacheRunner() }
      }),
    inputs: (extra = {}) => ({
      'encryption-key': ENCRYPTION_KEY,
      'codex-path': world.codexPath,
      ...extra
    })
  }
}

function directoryStorage(storePath = path.join(scratchDir('store'), 'codex-session')): Storage & {
  readonly path: string
} {
  return {
    name: 'directory',
    path: storePath,
    job: options => scenario.freshJob(options),
    inputs: (extra = {}) => ({
      storage: 'directory',
      'storage-path': storePath,
      'codex-path': scenario.world.codexPath,
      ...extra
    })
  }
}

const refresher = (storage: Storage, seed?: AuthJson, extra: Record<string, string> = {}) =>
  runJob(
    storage.job(),
    storage.inputs({
      role: 'refresher',
      ...(seed ? { 'auth-json': JSON.stringify(seed) } : {}),
      ...extra
    })
  )

/** Files under `dir`, recursively, as text. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(entry => entry.isFile())
    .map(entry => readFileSync(path.join(entry.parentPath, entry.name), 'latin1'))
}

/**
 * Everything a consumer job restored (its CODEX_HOME, workspace, RUNNER_TEMP), logged, output,
 * put in state or in the summary, and every Codex run's argv and environment: no refresh token.
 */
function expectNoRefreshToken(job: Job): void {
  const texts = [
    ...job.results.flatMap(step => [
      step.stdout,
      step.stderr,
      step.summary,
      ...Object.values(step.outputs),
      ...Object.values(step.state),
      ...Object.values(step.exportedEnv)
    ]),
    ...filesUnder(job.home),
    ...filesUnder(job.workspace),
    ...filesUnder(job.temp),
    ...scenario.world.codexInvocations()
  ]
  const tokens = refreshTokens()
  expect(tokens.length).toBeGreaterThan(0)
  const found = tokens.filter(token => texts.some(text => text.includes(token)))
  expect(found).toEqual([])
}

function expectConsumerRan(job: Job, main: StepResult, post: StepResult): void {
  expect({ exitCode: main.exitCode, errors: errorsOf(main) }).toEqual({ exitCode: 0, errors: [] })
  expect(main.outputs).toMatchObject({
    'codex-exit-code': '0',
    'final-message': 'OK',
    refreshed: 'false'
  })
  expect(post.exitCode).toBe(0)
  expect(post.stdout).toMatch(/role: consumer: nothing is stored/)
  expect(post.stdout).not.toMatch(/Stored|Published/)
  // What Codex ran on: the bundle, unchanged by the run.
  const onDisk = readAuth(path.join(codexHomeOf(job), 'auth.json'))
  expect(onDisk.auth_mode).toBe('chatgptAuthTokens')
  expect(onDisk.tokens.refresh_token).toBe('')
  expect(onDisk.last_refresh).toEqual(expect.any(String))
  expectNoRefreshToken(job)
}

/** The bundle the refresher published in the cache, decrypted, and its key. */
function publishedCacheBundle(): { key: string; bundle: AuthJson } {
  const entries = scenario.world.cache
    .entries()
    .filter(entry => entry.state === 'finalized' && /^codex-auth-consumer-/.test(entry.key))
  const entry = entries.at(-1)!
  const files = unpackArchive(entry.blob!)
  const sealed = files.get('.codex-auth-action/codex-auth.consumer')!
  const text = openEntry(sealed, deriveEntryKey(ENCRYPTION_KEY), 'codex-auth', entry.key)
  return { key: entry.key, bundle: JSON.parse(text) as AuthJson }
}

describe.each([
  ['cache', cacheStorage],
  ['directory', () => directoryStorage()]
] as const)('storage: %s', (_, makeStorage) => {
  test(`one refresher and ${CONSUMERS} consumers at once: every consumer runs, none calls the token endpoint or stores anything`, async () => {
    const storage = makeStorage()
    const { world } = scenario
    // The refresher's first run: the seed's token expires within refresh-ahead, so it refreshes.
    const first = await refresher(storage, world.authority.signIn({ accessExpiresInSeconds: 3600 }))
    expect(first.main.exitCode).toBe(0)
    expect(first.post.exitCode).toBe(0)
    expect(first.post.stdout).toMatch(/Published the consumer bundle/)

    const refreshesBefore = refreshCount()
    const entriesBefore = createdEntries()
    const turnsBefore = world.backend.turns.length
    // The refresher runs again beside the consumers, and rotates the session (refresh-ahead 11d).
    // A CODEX_ACCESS_TOKEN in the job would override the bundle: it must not reach Codex.
    const consumers = Array.from({ length: CONSUMERS }, () =>
      storage.job({ env: { CODEX_ACCESS_TOKEN: 'an-access-token-that-the-backend-rejects' } })
    )
    const [refresherRun, ...consumerRuns] = await Promise.all([
      refresher(storage, undefined, { 'refresh-ahead': '11d' }),
      ...consumers.map(job => runJob(job, storage.inputs({ role: 'consumer' })))
    ])
    expect(refresherRun.main.exitCode).toBe(0)
    expect(refresherRun.main.outputs.refreshed).toBe('true')
    expect(refresherRun.post.exitCode).toBe(0)
    consumerRuns.forEach(({ main, post }, index) => {
      expectConsumerRan(consumers[index]!, main, post)
      expect(main.outputs['auth-source']).toBe('storage')
    })
    const invocations = world.codexInvocations()
    expect(invocations.filter(text => text.includes('an-access-token-that'))).toEqual([])
    expect(world.backend.turns.length).toBe(turnsBefore + CONSUMERS + 1)
    // The only token call is the refresher's.
    expect(refreshCount()).toBe(refreshesBefore + 1)
    if (storage.name === 'cache') {
      // The refresher's session and bundle; nothing from any consumer.
      expect(createdEntries()).toBe(entriesBefore + 2)
      const { bundle } = publishedCacheBundle()
      expect(bundle.tokens.refresh_token).toBe('')
    } else {
      const dir = (storage as ReturnType<typeof directoryStorage>).path
      const stored = readAuth(path.join(dir, 'auth.json'))
      const bundle = readAuth(path.join(dir, 'consumer-auth.json'))
      expect(statSync(path.join(dir, 'consumer-auth.json')).mode & 0o777).toBe(0o600)
      // The bundle published last is the stored session's, and it holds no refresh token.
      expect(bundle).toEqual({
        auth_mode: 'chatgptAuthTokens',
        OPENAI_API_KEY: null,
        tokens: {
          id_token: stored.tokens.id_token,
          access_token: stored.tokens.access_token,
          refresh_token: '',
          account_id: stored.tokens.account_id
        },
        last_refresh: stored.last_refresh
      })
    }
  })
})

/** A consumer bundle file for `auth`, as the refresher writes it. */
const bundleText = (auth: AuthJson) => consumerBundle(parseAuthJson(JSON.stringify(auth))).text

describe('a consumer whose bundle does not last fails before Codex runs', () => {
  test.each([
    ['has expired', -60, '1h', /expired at/],
    ['expires within min-validity', 2 * 3600, '3h', /within min-validity \(3h\)/]
  ])('a bundle that %s', async (_, expiresIn, minValidity, says) => {
    const { world } = scenario
    const storage = directoryStorage()
    const auth = world.authority.signIn({ accessExpiresInSeconds: expiresIn })

    mkdirSync(storage.path, { recursive: true, mode: 0o700 })
    writeFileSync(path.join(storage.path, 'consumer-auth.json'), bundleText(auth), { mode: 0o600 })
    const refreshes = refreshCount()
    // Every Codex process, `codex --version` included: a refused run starts none.
    const codexRuns = () => world.codexInvocations().length
    const runs = codexRuns()
    const backendCalls = world.backend.requests.length
    const job = storage.job()
    const { main, post } = await runJob(
      job,
      storage.inputs({ role: 'consumer', 'min-validity': minValidity })
    )
    expect(main.exitCode).toBe(1)
    const [error] = errorsOf(main)
    expect(error).toMatch(says)
    expect(error).toMatch(/Codex was not run/)
    expect(error).toMatch(/role: refresher/)
    // No Codex process, no backend call, no token call.
    expect(codexRuns()).toBe(runs)
    expect(world.backend.requests.length).toBe(backendCalls)
    expect(refreshCount()).toBe(refreshes)
    expect(main.outputs['codex-exit-code']).toBeUndefined()
    expect(existsSync(path.join(codexHomeOf(job), 'auth.json'))).toBe(false)
    expect(post.exitCode).toBe(0)
  })
})

describe('refresh-ahead (directory storage)', () => {
  test('an access token that expires within it: exactly one refresh, through Codex, and the bundle is republished', async () => {
    const { world } = scenario
    const storage = directoryStorage()
    const seed = world.authority.signIn({ accessExpiresInSeconds: DAY_S })
    const refreshes = refreshCount()
    const { main, post } = await refresher(storage, seed)
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toMatch(/within refresh-ahead \(2d\): Codex refreshes the session/)
    expect(world.tokenEndpoint.requests.slice(refreshes)).toEqual([
      { refreshReason: expect.any(String), status: 200 }
    ])
    expect(main.outputs.refreshed).toBe('true')
    expect(post.exitCode).toBe(0)
    const stored = readAuth(path.join(storage.path, 'auth.json'))
    expect(stored.tokens.refresh_token).not.toBe(seed.tokens.refresh_token)
    expect(stored.tokens.access_token).not.toBe(seed.tokens.access_token)
    const bundle = readAuth(path.join(storage.path, 'consumer-auth.json'))
    expect(bundle.tokens.access_token).toBe(stored.tokens.access_token)
    expect(bundle.tokens.refresh_token).toBe('')

    // The next run: the refreshed token lasts 10 days, beyond refresh-ahead: no refresh.
    const again = await refresher(storage)
    expect(again.main.exitCode).toBe(0)
    expect(again.main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'false' })
    expect(refreshCount()).toBe(refreshes + 1)
    expect(again.post.stdout).toMatch(/The consumer bundle in .* is current/)
  })

  test('an access token valid beyond it: no refresh, and the bundle of the current session is published', async () => {
    const { world } = scenario
    const storage = directoryStorage()
    const seed = world.authority.signIn({ accessExpiresInSeconds: 3 * DAY_S })
    const refreshes = refreshCount()
    const { main, post } = await refresher(storage, seed)
    expect(main.exitCode).toBe(0)
    expect(main.outputs.refreshed).toBe('false')
    expect(refreshCount()).toBe(refreshes)
    expect(post.exitCode).toBe(0)
    expect(readAuth(path.join(storage.path, 'consumer-auth.json')).tokens).toEqual({
      ...seed.tokens,
      refresh_token: ''
    })
  })

  test('a forced refresh that fails: the original session stays stored and in CODEX_HOME, and the step fails loudly', async () => {
    const { world } = scenario
    const storage = directoryStorage()
    // A stored session, refreshed once by an earlier run.
    await refresher(storage, world.authority.signIn({ accessExpiresInSeconds: 3600 }))
    const storedFile = path.join(storage.path, 'auth.json')
    const storedBefore = readFileSync(storedFile, 'utf8')
    const bundleBefore = readFileSync(path.join(storage.path, 'consumer-auth.json'), 'utf8')

    world.authority.failRefreshWith = 'server-error' // transient: the refresh token stays valid
    const refreshes = refreshCount()
    const job = storage.job()
    const { main, post } = await runJob(
      job,
      storage.inputs({ role: 'refresher', 'refresh-ahead': '11d' })
    )
    world.authority.failRefreshWith = undefined
    expect(refreshCount()).toBeGreaterThan(refreshes)
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main).join('\n')).toMatch(
      /refresh-ahead: Codex was made to refresh the session .* but it did not refresh it .* The original session was put back/s
    )
    // What is stored is the original, byte for byte; CODEX_HOME holds it again, not the working copy.
    expect(readFileSync(storedFile, 'utf8')).toBe(storedBefore)
    expect(readAuth(path.join(codexHomeOf(job), 'auth.json'))).toEqual(JSON.parse(storedBefore))
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toMatch(/did not change during this job: nothing to store/)
    expect(readFileSync(path.join(storage.path, 'consumer-auth.json'), 'utf8')).toBe(bundleBefore)

    // The original still works: the next run refreshes it for real.
    const next = await refresher(storage, undefined, { 'refresh-ahead': '11d' })
    expect(next.main.exitCode).toBe(0)
    expect(next.main.outputs.refreshed).toBe('true')
    expect(readFileSync(storedFile, 'utf8')).not.toBe(storedBefore)
  })
})

describe('storage: cache keeps the bundle apart from the full session', () => {
  test('the bundle, published after the session, is never restored as the newest full session', async () => {
    const { world } = scenario
    const storage = cacheStorage()
    const { post } = await refresher(
      storage,
      world.authority.signIn({ accessExpiresInSeconds: 3600 })
    )
    expect(post.exitCode).toBe(0)
    const keys = world.cache
      .entries()
      .filter(entry => entry.state === 'finalized')
      .map(entry => entry.key)
    // Session first, bundle second: the bundle is the newest entry under the prefix codex-auth-.
    expect(keys).toEqual([
      expect.stringMatching(/^codex-auth-\d{13}-[0-9a-f]{8}$/),
      expect.stringMatching(/^codex-auth-consumer-\d{13}-[0-9a-f]{8}$/)
    ])
    const [sessionKey] = keys

    // An owner (and the refresher) restore the full session, never the bundle.
    const owner = storage.job()
    const { main } = await runJob(owner, storage.inputs())
    expect({ exitCode: main.exitCode, errors: errorsOf(main) }).toEqual({ exitCode: 0, errors: [] })
    expect(main.outputs['auth-source']).toBe('storage')
    expect(main.stdout).toContain(`(cache key ${sessionKey})`)
    const restored = readAuth(path.join(codexHomeOf(owner), 'auth.json'))
    expect(restored.auth_mode).toBe('chatgpt')
    expect(restored.tokens.refresh_token).toMatch(/^rt_/)

    // And a consumer restores the bundle, never the session.
    const consumer = storage.job()
    const run = await runJob(consumer, storage.inputs({ role: 'consumer' }))
    expectConsumerRan(consumer, run.main, run.post)
    expect(run.main.stdout).toContain(`(cache key ${keys[1]})`)
  })
})

describe('storage: command and storage: github-secret: the bundle in its own, documented place', () => {
  test('command: the commands are told which item by $CODEX_AUTH_ITEM; the consumer only ever asks for the bundle', async () => {
    const { world } = scenario
    const vault = scratchDir('vault')
    const log = path.join(scratchDir('vault-log'), 'items')
    const env = { VAULT_DIR: vault, ITEM_LOG: log }
    const commands = {
      storage: 'command',
      'restore-command':
        'echo "restore $CODEX_AUTH_ITEM" >> "$ITEM_LOG"; f="$VAULT_DIR/$CODEX_AUTH_ITEM.json"; if [ -f "$f" ]; then cat "$f"; fi',
      'persist-command':
        'echo "persist $CODEX_AUTH_ITEM" >> "$ITEM_LOG"; cat > "$VAULT_DIR/$CODEX_AUTH_ITEM.json"'
    }
    const first = scenario.freshJob({ env })
    const seed = world.authority.signIn({ accessExpiresInSeconds: 60 })
    const { main, post } = await runJob(first, {
      ...commands,
      role: 'refresher',
      'auth-json': JSON.stringify(seed),
      'codex-path': world.codexPath
    })
    expect(main.exitCode).toBe(0)
    expect(main.outputs.refreshed).toBe('true')
    expect(post.exitCode).toBe(0)
    const stored = readAuth(path.join(vault, 'session.json'))
    expect(readAuth(path.join(vault, 'consumer.json'))).toEqual({
      auth_mode: 'chatgptAuthTokens',
      OPENAI_API_KEY: null,
      tokens: { ...stored.tokens, refresh_token: '' },
      last_refresh: stored.last_refresh
    })
    // The session was persisted first, then the bundle.
    const persisted = readFileSync(log, 'utf8')
      .split('\n')
      .filter(line => line.startsWith('persist'))
    expect(persisted).toEqual(['persist session', 'persist consumer'])

    writeFileSync(log, '')
    const consumer = scenario.freshJob({ env })
    const run = await runJob(consumer, {
      storage: 'command',
      'restore-command': commands['restore-command'],
      role: 'consumer',
      'codex-path': world.codexPath
    })
    expectConsumerRan(consumer, run.main, run.post)
    expect(readFileSync(log, 'utf8')).toBe('restore consumer\n')
  })

  test('github-secret: the refresher writes <secret-name>_CONSUMER; a consumer runs on it as auth-json, with no secret-token', async () => {
    const { startSecretsApi } = await import('./fakes/secrets-api.js')
    const WRITE_TOKEN = 'github_pat_11WRITE0000000000000000_fanOutWriterToken'
    const api = await startSecretsApi({ tokens: { [WRITE_TOKEN]: 'write' } })
    try {
      const { world } = scenario
      const scope = { repository: 'acme/widgets' }
      const seed = world.authority.signIn({ accessExpiresInSeconds: 3600 })
      api.setSecret(scope, 'CODEX_AUTH_JSON', { value: JSON.stringify(seed) })
      const secretRunner = { runner: { GITHUB_API_URL: api.url } }
      const { main, post } = await runJob(scenario.freshJob(secretRunner), {
        storage: 'github-secret',
        role: 'refresher',
        'auth-json': JSON.stringify(seed),
        'secret-token': WRITE_TOKEN,
        'codex-path': world.codexPath
      })
      expect(main.exitCode).toBe(0)
      expect(main.outputs.refreshed).toBe('true') // 1h is within refresh-ahead
      expect(post.exitCode).toBe(0)
      const session = JSON.parse(api.value(scope, 'CODEX_AUTH_JSON')!) as AuthJson
      const bundle = api.value(scope, 'CODEX_AUTH_JSON_CONSUMER')!
      expect(JSON.parse(bundle)).toEqual({
        auth_mode: 'chatgptAuthTokens',
        OPENAI_API_KEY: null,
        tokens: { ...session.tokens, refresh_token: '' },
        last_refresh: session.last_refresh
      })
      expect(post.stdout).toMatch(/Published the consumer bundle .* CODEX_AUTH_JSON_CONSUMER/)

      const consumer = scenario.freshJob(secretRunner)
      const requests = api.requests.length
      const run = await runJob(consumer, {
        storage: 'github-secret',
        role: 'consumer',
        'auth-json': bundle,
        'codex-path': world.codexPath
      })
      expectConsumerRan(consumer, run.main, run.post)
      expect(run.main.outputs['auth-source']).toBe('secret')
      expect(api.requests.length).toBe(requests) // a consumer never calls the API
    } finally {
      await api.close()
    }
  })
})
