/**
 * storage: cache, end to end: the bundled action's real @actions/cache client against the local
 * cache service, the real Codex CLI against the fake identity provider.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { AuthJson } from './fakes/authority.js'
import { pullRequestRunToken, readOnlyToken } from './fakes/cache-service.js'
import { sealedArchive as sealedWith, unpackArchive } from './harness/archives.js'
import { scratchDir } from './harness/paths.js'
import type { Job, JobOptions, StepResult } from './harness/runner.js'
import {
  codexHomeOf,
  errorsOf,
  noticesOf,
  readAuth,
  runJob,
  useScenario,
  warningsOf
} from './harness/scenario.js'

const scenario = useScenario()
const ENCRYPTION_KEY = 'test-encryption-key-0123456789abcdef'

beforeEach(() => scenario.world.cache.reset())

/** A job on a fresh GitHub-hosted-like runner with the cache service. */
function cacheJob(
  run: Parameters<typeof scenario.world.cacheRunner>[0] = {},
  options: JobOptions = {}
): Job {
  const { world } = scenario
  return scenario.freshJob({
    ...options,
    runner: { RUNNER_ENVIRONMENT: 'github-hosted', ...world.cacheRunner(run), ...options.runner }
  })
}

function cacheInputs(seed?: AuthJson, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...(seed ? { 'auth-json': JSON.stringify(seed) } : {}),
    'encryption-key': ENCRYPTION_KEY,
    'codex-path': scenario.world.codexPath,
    ...extra
  }
}

const finalized = () => scenario.world.cache.entries().filter(entry => entry.state === 'finalized')
const refreshCount = () => scenario.world.tokenEndpoint.requests.length

/** Unpacks a stored entry's archive, which must be gzip (on every runner). */
function unpack(blob: Buffer): Map<string, Buffer> {
  expect([...blob.subarray(0, 2)]).toEqual([0x1f, 0x8b])
  return unpackArchive(blob)
}

const sealedArchive = (text: string, key: string, cacheKey = 'codex-auth') =>
  sealedWith(text, key, ENCRYPTION_KEY, cacheKey)

/**
 * Stores `session` as a new generation, as if a tool had refreshed it during a job: a setup-mode
 * job whose later step rewrites auth.json. Returns the post step.
 */
async function storeGeneration(
  session: AuthJson,
  inputs: Record<string, string> = {}
): Promise<StepResult> {
  const { world } = scenario
  const job = cacheJob()
  const seed = world.authority.signIn({
    accessExpiresInSeconds: 3600,
    lastRefresh: new Date(Date.now() - 60_000)
  })
  await job.runAction(cacheInputs(seed, { mode: 'setup', ...inputs }))
  writeFileSync(path.join(codexHomeOf(job), 'auth.json'), JSON.stringify(session, null, 2))
  const [post] = await job.finish()
  expect(post!.stdout).toMatch(/Stored the refreshed session/)
  return post!
}

describe('a stale seed: refreshed, stored encrypted, restored', () => {
  test('the entry is a gzip archive of a sealed file with no token inside; a fresh job restores it without refreshing', async () => {
    const { world } = scenario
    const seed = world.authority.signIn({ accessExpiresInSeconds: 60 })
    const first = cacheJob()
    const { main, post } = await runJob(first, cacheInputs(seed))
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({ 'auth-source': 'secret', refreshed: 'true' })
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toMatch(
      /Stored the refreshed session .* in the Actions cache \(key codex-auth-\d{13}-[0-9a-f]{8}\)/
    )

    const [entry] = finalized()
    expect(finalized()).toHaveLength(1)
    expect(entry!.key).toMatch(/^codex-auth-\d{13}-[0-9a-f]{8}$/)
    expect(entry!.scope).toBe('refs/heads/main')
    const files = unpack(entry!.blob!)
    expect([...files.keys()]).toEqual(['.codex-auth-action/codex-auth.session'])
    const sealed = files.get('.codex-auth-action/codex-auth.session')!
    expect(sealed.subarray(0, 3).toString()).toBe('CXA')
    for (const token of world.authority.issued) {
      expect(entry!.blob!.includes(Buffer.from(token))).toBe(false)
      expect(sealed.includes(Buffer.from(token))).toBe(false)
    }
    for (const marker of ['refresh_token', 'access_token', 'acct_test_0001']) {
      expect(sealed.includes(Buffer.from(marker))).toBe(false)
    }
    // Nothing left behind in the workspace.
    expect(existsSync(path.join(first.workspace, '.codex-auth-action'))).toBe(false)

    const before = refreshCount()
    const second = cacheJob()
    const restored = await runJob(second, cacheInputs(seed))
    expect(restored.main.exitCode).toBe(0)
    expect(restored.main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'false' })
    expect(restored.main.stdout).toMatch(
      /Restored the session stored \d+ minutes? ago \(cache key codex-auth-/
    )
    expect(refreshCount()).toBe(before)
    expect(readAuth(path.join(codexHomeOf(second), 'auth.json'))).toEqual(
      readAuth(path.join(codexHomeOf(first), 'auth.json'))
    )
    expect(restored.post.stdout).toMatch(/nothing to store/)
    expect(finalized()).toHaveLength(1)
  })

  test('the key can come from auth-json alone (HKDF), and nothing is saved when nothing changed', async () => {
    const { world } = scenario
    const seed = world.authority.signIn({ accessExpiresInSeconds: 3600 })
    const inputs = { 'auth-json': JSON.stringify(seed), 'codex-path': world.codexPath }
    const { main, post } = await runJob(cacheJob(), inputs)
    expect(main.exitCode).toBe(0)
    expect(main.outputs.refreshed).toBe('false')
    expect(post.exitCode).toBe(0)
    expect(world.cache.callCount('CreateCacheEntry')).toBe(0)
    expect(finalized()).toHaveLength(0)
  })
})

test('a newer secret beats an older stored entry', async () => {
  const { world } = scenario
  await runJob(cacheJob(), cacheInputs(world.authority.signIn({ accessExpiresInSeconds: 60 })))
  expect(finalized()).toHaveLength(1)
  // A new sign-in, put into the secret after the entry was stored.
  const reseeded = world.authority.signIn({ accessExpiresInSeconds: 3600 })
  const job = cacheJob()
  const { main } = await runJob(job, cacheInputs(reseeded))
  expect(main.outputs['auth-source']).toBe('secret')
  expect(readAuth(path.join(codexHomeOf(job), 'auth.json')).tokens.refresh_token).toBe(
    reseeded.tokens.refresh_token
  )
})

test('a wrong key: a warning naming the likely cause, and the secret is used', async () => {
  const { world } = scenario
  await runJob(cacheJob(), cacheInputs(world.authority.signIn({ accessExpiresInSeconds: 60 })))
  const seed = world.authority.signIn({
    accessExpiresInSeconds: 3600,
    lastRefresh: new Date(Date.now() - 3600_000)
  })
  const job = cacheJob()
  const { main } = await runJob(
    job,
    cacheInputs(seed, { 'encryption-key': 'another-encryption-key-0123456789abcdef' })
  )
  expect(main.exitCode).toBe(0)
  expect(main.outputs['auth-source']).toBe('secret')
  expect(warningsOf(main).join('\n')).toMatch(
    /Ignoring the stored session: cache entry codex-auth-\d+-\w+ cannot be used: it does not decrypt with this key[^:]*: 'encryption-key' most likely changed/
  )
  expect(readAuth(path.join(codexHomeOf(job), 'auth.json')).tokens.refresh_token).toBe(
    seed.tokens.refresh_token
  )
})

test('an entry changed by someone else (tampered) is ignored, never written to CODEX_HOME', async () => {
  const { world } = scenario
  await runJob(cacheJob(), cacheInputs(world.authority.signIn({ accessExpiresInSeconds: 60 })))
  // Someone with write access to the cache stores a newer generation that is not ours.
  const stored = finalized()[0]!
  const forged = Buffer.from(stored.blob!)
  const dir = scratchDir('forge')
  mkdirSync(path.join(dir, '.codex-auth-action'))
  writeFileSync(
    path.join(dir, '.codex-auth-action/codex-auth.session'),
    'CXA\u0001' + 'x'.repeat(64)
  )
  execFileSync('tar', ['-czf', 'forged.tgz', '.codex-auth-action'], { cwd: dir })
  world.cache.seed({
    key: `codex-auth-${Date.now()}-deadbeef`,
    version: stored.version,
    scope: 'refs/heads/main',
    blob: readFileSync(path.join(dir, 'forged.tgz'))
  })
  expect(forged.length).toBeGreaterThan(0)

  const seed = world.authority.signIn({
    accessExpiresInSeconds: 3600,
    lastRefresh: new Date(Date.now() - 3600_000)
  })
  const job = cacheJob()
  const { main } = await runJob(job, cacheInputs(seed))
  expect(main.exitCode).toBe(0)
  expect(main.outputs['auth-source']).toBe('secret')
  expect(warningsOf(main).join('\n')).toMatch(
    /cache entry codex-auth-\d+-deadbeef cannot be used: it does not decrypt/
  )
  expect(readFileSync(path.join(codexHomeOf(job), 'auth.json'), 'utf8')).not.toContain('xxxx')
})

describe('two jobs that share one session', () => {
  /** A stored generation whose access token has expired: whoever restores it must refresh. */
  const storeStaleGeneration = () =>
    storeGeneration(scenario.world.authority.signIn({ accessExpiresInSeconds: -60 }))

  test('both start from one generation: the second refresh is rejected with the concurrent-use explanation; the newer entry survives', async () => {
    const { world } = scenario
    await storeStaleGeneration()
    const seed = world.authority.signIn({
      accessExpiresInSeconds: 3600,
      lastRefresh: new Date(Date.now() - 3600_000)
    })
    const a = cacheJob()
    const b = cacheJob()
    // Both restore the same stale generation; both ask Codex to refresh it.
    const [mainA, mainB] = await Promise.all([
      a.runAction(cacheInputs(seed)),
      b.runAction(cacheInputs(seed))
    ])
    expect([mainA.outputs['auth-source'], mainB.outputs['auth-source']]).toEqual([
      'storage',
      'storage'
    ])
    const [winner, loser, loserJob, winnerJob] =
      mainA.exitCode === 0 ? [mainA, mainB, b, a] : [mainB, mainA, a, b]
    expect(winner.exitCode).toBe(0)
    expect(winner.outputs.refreshed).toBe('true')
    expect(loser.exitCode).toBe(1)
    expect(errorsOf(loser).join('\n')).toMatch(/already used[\s\S]*another job[\s\S]*same session/)

    const [winnerPost] = await winnerJob.finish()
    expect(winnerPost!.exitCode).toBe(0)
    const [loserPost] = await loserJob.finish()
    expect(loserPost!.exitCode).toBe(0)
    expect(loserPost!.stdout).toMatch(/did not change/)
    const newest = finalized().at(-1)!
    expect(finalized()).toHaveLength(1) // the older generation was pruned
    // The surviving entry is the winner's refreshed session: a new job restores it and need not refresh.
    const before = refreshCount()
    const next = cacheJob()
    const { main } = await runJob(next, cacheInputs(seed))
    expect(main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'false' })
    expect(refreshCount()).toBe(before)
    expect(finalized().at(-1)!.key).toBe(newest.key)
  })

  test('a job whose refreshed session is older than one stored meanwhile does not overwrite it, and fails loudly', async () => {
    const { world } = scenario
    await storeStaleGeneration()
    const seed = world.authority.signIn({
      accessExpiresInSeconds: 3600,
      lastRefresh: new Date(Date.now() - 3600_000)
    })
    const slow = cacheJob()
    const main = await slow.runAction(cacheInputs(seed))
    expect(main.outputs.refreshed).toBe('true')

    // Meanwhile another job stores a newer session (a new sign-in refreshed later).
    const other = cacheJob()
    await other.runAction(
      cacheInputs(world.authority.signIn({ accessExpiresInSeconds: 3600 }), { mode: 'setup' })
    )
    const newer = world.authority.signIn({
      accessExpiresInSeconds: 3600,
      lastRefresh: new Date(Date.now() + 60_000)
    })
    writeFileSync(path.join(codexHomeOf(other), 'auth.json'), JSON.stringify(newer, null, 2))
    await other.finish()
    const newestKey = finalized().at(-1)!.key

    const [post] = await slow.finish()
    expect(post!.exitCode).toBe(1)
    expect(errorsOf(post!).join()).toMatch(
      /NOT stored: a newer one .* is already stored[\s\S]*same session at the same time/
    )
    expect(finalized().at(-1)!.key).toBe(newestKey)
  })
})

describe('never start a refresh that cannot be stored', () => {
  test.each<[string, Parameters<typeof scenario.world.cacheRunner>[0], RegExp]>([
    [
      'a feature branch',
      { ref: 'refs/heads/feature' },
      /refs\/heads\/feature, not on the default branch[\s\S]*allow-any-branch: true/
    ],
    [
      'a pull request',
      {
        ref: 'refs/pull/7/merge',
        eventName: 'pull_request',
        runtimeToken: pullRequestRunToken(7, 'refs/heads/main')
      },
      /pull_request run/
    ],
    [
      'a read-only cache token',
      { runtimeToken: readOnlyToken('refs/heads/main') },
      /cache token is read-only/
    ]
  ])(
    '%s with a stale session fails before Codex runs, and stores nothing',
    async (_, run, reason) => {
      const { world } = scenario
      const before = refreshCount()
      const job = cacheJob(run)
      const { main, post } = await runJob(
        job,
        cacheInputs(world.authority.signIn({ accessExpiresInSeconds: 60 }))
      )
      expect(main.exitCode).toBe(1)
      const [error] = errorsOf(main)
      expect(error).toMatch(
        /Codex would refresh this session on this run[\s\S]*could not be stored/
      )
      expect(error).toMatch(reason)
      expect(refreshCount()).toBe(before)
      expect(main.outputs['codex-exit-code']).toBeUndefined()
      expect(post.exitCode).toBe(0)
      expect(world.cache.callCount('CreateCacheEntry')).toBe(0)
    }
  )

  test('ACTIONS_CACHE_MODE=read blocks it too', async () => {
    const job = cacheJob({}, { runner: { ACTIONS_CACHE_MODE: 'read' } })
    const { main } = await runJob(
      job,
      cacheInputs(scenario.world.authority.signIn({ accessExpiresInSeconds: 60 }))
    )
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main).join()).toMatch(/ACTIONS_CACHE_MODE=read/)
  })

  test('a fresh session on a feature branch runs, and post skips storing with a notice', async () => {
    const job = cacheJob({ ref: 'refs/heads/feature' })
    const { main, post } = await runJob(
      job,
      cacheInputs(scenario.world.authority.signIn({ accessExpiresInSeconds: 3600 }))
    )
    expect(main.exitCode).toBe(0)
    expect(main.outputs.refreshed).toBe('false')
    expect(post.exitCode).toBe(0)
    expect(noticesOf(post).join()).toMatch(
      /could not have stored a refreshed session: this run is on refs\/heads\/feature/
    )
  })

  test('allow-any-branch: a branch that owns its session refreshes and stores under its own ref', async () => {
    const { world } = scenario
    const job = cacheJob({ ref: 'refs/heads/feature' })
    const { main, post } = await runJob(
      job,
      cacheInputs(world.authority.signIn({ accessExpiresInSeconds: 60 }), {
        'allow-any-branch': 'true'
      })
    )
    expect(main.exitCode).toBe(0)
    expect(main.outputs.refreshed).toBe('true')
    expect(post.exitCode).toBe(0)
    expect(finalized().map(entry => entry.scope)).toEqual(['refs/heads/feature'])
    // The default branch does not see it.
    const onMain = cacheJob()
    const seed = world.authority.signIn({
      accessExpiresInSeconds: 3600,
      lastRefresh: new Date(Date.now() - 3600_000)
    })
    expect((await runJob(onMain, cacheInputs(seed))).main.outputs['auth-source']).toBe('secret')
  })
})

describe('the cache service is down', () => {
  test('on restore: a warning, and the secret is used', async () => {
    const { world } = scenario
    await world.cache.down()
    const seed = world.authority.signIn({ accessExpiresInSeconds: 3600 })
    const job = cacheJob()
    const main = await job.runAction(cacheInputs(seed))
    expect(main.exitCode).toBe(0)
    expect(main.outputs['auth-source']).toBe('secret')
    expect(warningsOf(main).join('\n')).toMatch(/Failed to restore/)
    await job.finish()
  })

  test('on the lookup before saving: a loud failure, nothing written, the recovery steps', async () => {
    const { world } = scenario
    const job = cacheJob()
    const main = await job.runAction(
      cacheInputs(world.authority.signIn({ accessExpiresInSeconds: 60 }))
    )
    expect(main.outputs.refreshed).toBe('true')
    await world.cache.down()
    const [post] = await job.finish()
    expect(post!.exitCode).toBe(1)
    const [error] = errorsOf(post!)
    expect(error).toMatch(/could not be stored: could not check whether a newer session is stored/)
    expect(error).toMatch(/exists only in .*auth.json on this runner/)
    expect(error).toMatch(/codex login/)
    await world.cache.up()
    expect(finalized()).toHaveLength(0)
  })

  test('on save: retries, then a loud failure that says the session exists only on this runner', async () => {
    const { world } = scenario
    const job = cacheJob()
    const main = await job.runAction(
      cacheInputs(world.authority.signIn({ accessExpiresInSeconds: 60 }))
    )
    expect(main.outputs.refreshed).toBe('true')
    world.cache.failBlobWith = 403 // the lookup answers; every upload is refused
    const [post] = await job.finish()
    expect(post!.exitCode).toBe(1)
    expect(
      post!.stdout.match(/Saving to the Actions cache failed \(attempt \d of 4\)/g)
    ).toHaveLength(3)
    const [error] = errorsOf(post!)
    expect(error).toMatch(
      /could not be stored: the Actions cache did not accept it after 4 attempts/
    )
    expect(error).toMatch(/exists only in .*auth.json on this runner/)
    expect(error).toMatch(/codex login/)
    expect(finalized()).toHaveLength(0)
  })

  test('no cache service at all, and a stale session: the step fails before Codex runs', async () => {
    const before = refreshCount()
    const job = scenario.freshJob({ runner: { RUNNER_ENVIRONMENT: 'github-hosted' } })
    const main = await job.runAction(
      cacheInputs(scenario.world.authority.signIn({ accessExpiresInSeconds: 60 }))
    )
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main).join()).toMatch(
      /could not be stored: the Actions cache service is not available/
    )
    expect(refreshCount()).toBe(before)
    await job.finish()
  })

  test('no cache service at all: the restore is skipped with a warning', async () => {
    const job = scenario.freshJob({ runner: { RUNNER_ENVIRONMENT: 'github-hosted' } })
    const main = await job.runAction(
      cacheInputs(scenario.world.authority.signIn({ accessExpiresInSeconds: 3600 }))
    )
    expect(main.exitCode).toBe(0)
    expect(warningsOf(main).join()).toMatch(/cache service is not available/)
    await job.finish()
  })
})

describe('the same cache version on every runner', () => {
  /** A PATH with the tools the cache client needs (tar, gzip), and zstd only when asked. */
  function toolPath(withZstd: boolean): string {
    const dir = scratchDir(withZstd ? 'bin-zstd' : 'bin-no-zstd')
    for (const tool of ['tar', 'gzip', ...(withZstd ? ['zstd', 'unzstd', 'zstdmt'] : [])]) {
      const found = execFileSync('sh', ['-c', `command -v ${tool} || true`])
        .toString()
        .trim()
      if (found) symlinkSync(found, path.join(dir, tool))
    }
    return dir
  }

  test.each([
    ['saved with zstd on PATH, restored without', true, false],
    ['saved without zstd, restored with it', false, true]
  ])('%s', async (_, saveWithZstd, restoreWithZstd) => {
    const { world } = scenario
    const seed = world.authority.signIn({ accessExpiresInSeconds: 60 })
    const saver = cacheJob({}, { runner: { PATH: toolPath(saveWithZstd) } })
    const saved = await runJob(saver, cacheInputs(seed))
    expect(saved.post.exitCode).toBe(0)
    expect(finalized()).toHaveLength(1)
    unpack(finalized()[0]!.blob!) // gzip
    const restorer = cacheJob({}, { runner: { PATH: toolPath(restoreWithZstd) } })
    const restored = await runJob(restorer, cacheInputs(seed))
    expect(restored.main.outputs['auth-source']).toBe('storage')
  })
})

describe('generations', () => {
  test('superseded entries are pruned through the REST API', async () => {
    const { world } = scenario
    for (let generation = 0; generation < 3; generation++) {
      await storeGeneration(
        world.authority.signIn({ lastRefresh: new Date(Date.now() + generation * 1000) })
      )
    }
    expect(finalized()).toHaveLength(1)
    expect(
      world.cache.restCalls.filter(call => call.method === 'DELETE' && call.status === 204)
    ).toHaveLength(2)
  })

  test('a token without actions: write: the save succeeds, the prune only warns', async () => {
    const { world } = scenario
    await storeGeneration(world.authority.signIn())
    const post = await storeGeneration(
      world.authority.signIn({ lastRefresh: new Date(Date.now() + 1000) }),
      {
        'github-token': 'ghs_unknownToken'
      }
    )
    expect(post.exitCode).toBe(0)
    expect(warningsOf(post).join()).toMatch(
      /Could not prune superseded cache entries: .*401[\s\S]*actions: write/
    )
    expect(finalized()).toHaveLength(2)
  })

  test('an entry stored more than 5 days ago: restored, with a warning about eviction', async () => {
    const { world } = scenario
    await runJob(cacheJob(), cacheInputs(world.authority.signIn({ accessExpiresInSeconds: 60 })))
    const stored = finalized()[0]!
    world.cache.reset()
    const key = `codex-auth-${Date.now() - 6 * 24 * 3600_000}-0badc0de`
    const session = world.authority.signIn({
      lastRefresh: new Date(Date.now() - 6 * 24 * 3600_000)
    })
    world.cache.seed({
      key,
      version: stored.version,
      scope: stored.scope,
      blob: sealedArchive(JSON.stringify(session, null, 2), key)
    })
    const seed = world.authority.signIn({
      accessExpiresInSeconds: 3600,
      lastRefresh: new Date(Date.now() - 7 * 24 * 3600_000)
    })
    const { main } = await runJob(cacheJob(), cacheInputs(seed))
    expect(main.outputs['auth-source']).toBe('storage')
    expect(warningsOf(main).join()).toMatch(/stored 6 days ago[\s\S]*evicted[\s\S]*every 3 days/)
  })

  test('an older generation re-uploaded under a newer key does not open (the key is bound)', async () => {
    const { world } = scenario
    await runJob(cacheJob(), cacheInputs(world.authority.signIn({ accessExpiresInSeconds: 60 })))
    const older = finalized()[0]!
    world.cache.seed({
      key: `codex-auth-${Date.now() + 1000}-feedf00d`,
      version: older.version,
      scope: older.scope,
      blob: older.blob!
    })
    const seed = world.authority.signIn({ accessExpiresInSeconds: 3600 })
    const { main } = await runJob(cacheJob(), cacheInputs(seed))
    expect(main.outputs['auth-source']).toBe('secret')
    expect(warningsOf(main).join()).toMatch(/cache entry codex-auth-\d+-feedf00d cannot be used/)
  })

  test('cache-key keeps sessions apart', async () => {
    const { world } = scenario
    await runJob(
      cacheJob(),
      cacheInputs(world.authority.signIn({ accessExpiresInSeconds: 60 }), {
        'cache-key': 'codex-auth-team2'
      })
    )
    const seed = world.authority.signIn({
      accessExpiresInSeconds: 3600,
      lastRefresh: new Date(Date.now() - 3600_000)
    })
    const { main } = await runJob(cacheJob(), cacheInputs(seed))
    expect(main.outputs['auth-source']).toBe('secret') // codex-auth-* does not see codex-auth-team2-*
  })
})

test('RUST_LOG=trace and RUNNER_DEBUG=1: refreshed, stored, restored; every token masked before it is shown', async () => {
  const { world } = scenario
  const env = { RUST_LOG: 'trace', RUNNER_DEBUG: '1' }
  const seed = world.authority.signIn({ accessExpiresInSeconds: 60 })
  const first = await runJob(cacheJob({}, { env }), cacheInputs(seed))
  expect(first.main.outputs.refreshed).toBe('true')
  expect(first.main.stdout).toMatch(/TRACE/)
  expect(first.main.stdout).toMatch(/::debug::/)
  expect(first.post.exitCode).toBe(0)
  const second = await runJob(cacheJob({}, { env }), cacheInputs(seed))
  expect(second.main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'false' })
  // The afterEach scan reads every step's log as the runner shows it, files and Codex's argv/env.
})
