/**
 * The fault suite of `storage: cache`: the bundled action, the real Codex CLI and the real
 * @actions/cache client inside the bundle, against the local cache service with the
 * fault-injecting proxy in front of it. Every case checks the rules of the suites:
 * - a refreshed session is stored, or the step fails loudly (exit 1, an error that says it was not
 *   stored, and "To recover");
 * - an older session never overwrites a newer stored one; nothing is pruned after a failed lookup;
 * - a fault never makes Codex present a used refresh token (no 400 from the token endpoint);
 * - (the scenario's afterEach) no token in anything a step printed or wrote.
 *
 * Data only: this module calls no jest globals when imported (scripts render the table from it).
 */
import { unpackArchive } from '../harness/archives.js'
import { execFileSync } from 'node:child_process'
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { ACCOUNT_ID, type AuthJson } from '../fakes/authority.js'
import type { CacheEntryView } from '../fakes/cache-service.js'
import { on, type FaultAction, type FaultMatcher, type FaultProxy } from '../fakes/fault-proxy.js'
import { scratchDir } from '../harness/paths.js'
import type { Job, StepResult } from '../harness/runner.js'
import {
  codexHomeOf,
  errorsOf,
  readAuth,
  runJob,
  warningsOf,
  type Scenario
} from '../harness/scenario.js'
import type { World } from '../harness/world.js'
import type { SuiteCase, SuiteTable } from './case.js'

export interface Ctx {
  readonly scenario: Scenario
  /** In front of world.cache (twirp, blobs and REST); its rules are cleared after each case. */
  readonly proxy: FaultProxy
}

// ---------------------------------------------------------------------------------------------
// Entries as the action stores them, built here from what src/storage/crypto.ts documents (not
// with its code, so that a change there cannot hide from this suite).

const CACHE_KEY = 'codex-auth'
const ENCRYPTION_KEY = 'faults-cache-encryption-key-0123456789'
const ENTRY_DIR = '.codex-auth-action'
const SESSION_FILE = `${ENTRY_DIR}/${CACHE_KEY}.session`
const MAIN_REF = 'refs/heads/main'
/** @actions/cache's version: the path as given, the compression (always gzip), the salt 1.0. */
const CACHE_VERSION = createHash('sha256')
  .update([SESSION_FILE, 'gzip', '1.0'].join('|'))
  .digest('hex')
const LOOKUP = 'GetCacheEntryDownloadURL' as const

const HOUR = 3600_000
const ago = (ms: number) => new Date(Date.now() - ms)

/** HKDF-SHA256 over encryption-key; salt "codex-auth-action", info "cache-entry/v1/encryption-key". */
const aesKey = () =>
  Buffer.from(
    hkdfSync(
      'sha256',
      Buffer.from(ENCRYPTION_KEY, 'utf8'),
      'codex-auth-action',
      'cache-entry/v1/encryption-key',
      32
    )
  )

/**
 * The authenticated data: the header ("CXA" | version) and the cache-key namespace; format 2 adds
 * "\n" + the entry's own generation key, format 1 (older releases) does not.
 */
const aad = (header: Buffer, generation: string | undefined) =>
  Buffer.concat([
    header,
    Buffer.from(CACHE_KEY, 'utf8'),
    ...(generation === undefined ? [] : [Buffer.from(`\n${generation}`, 'utf8')])
  ])

/**
 * The format the action under test writes, in which the entries "another job stored" are sealed:
 * 2 (the generation bound) since this release. The release before it (ACTION_UNDER_TEST, to show
 * that a case fails there) wrote and read format 1 only, and would fail every case for that alone.
 */
function writtenFormat(): 1 | 2 {
  const root = process.env.ACTION_UNDER_TEST
  if (!root) return 2
  const crypto = readFileSync(path.join(root, 'src/storage/crypto.ts'), 'utf8')
  return /^const FORMAT_VERSION = 1\b/m.test(crypto) ? 1 : 2
}

/** "CXA" | version (1) | nonce (12) | AES-256-GCM ciphertext | tag (16). */
function seal(plaintext: string, generation: string, format: 1 | 2 = writtenFormat()): Buffer {
  const header = Buffer.from([...Buffer.from('CXA'), format])
  const nonce = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', aesKey(), nonce)
  cipher.setAAD(aad(header, format === 2 ? generation : undefined))
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return Buffer.concat([header, nonce, ciphertext, cipher.getAuthTag()])
}

/** Opens an entry stored under `generation` (format 2, or format 1 from an older release). */
function unseal(sealed: Buffer, generation: string): string {
  const decipher = createDecipheriv('aes-256-gcm', aesKey(), sealed.subarray(4, 16))
  decipher.setAAD(aad(sealed.subarray(0, 4), sealed[3] === 1 ? undefined : generation))
  decipher.setAuthTag(sealed.subarray(sealed.length - 16))
  return Buffer.concat([
    decipher.update(sealed.subarray(16, sealed.length - 16)),
    decipher.final()
  ]).toString('utf8')
}

/** A gzip tar archive of `files` (paths relative to the workspace), as the cache client makes. */
function archive(files: Record<string, Buffer | string>): Buffer {
  const dir = scratchDir('faults-entry')
  const root = path.join(dir, 'root')
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true })
    writeFileSync(path.join(root, name), content)
  }
  execFileSync('tar', ['-czf', path.join(dir, 'entry.tgz'), '-C', root, ENTRY_DIR])
  return readFileSync(path.join(dir, 'entry.tgz'))
}

const generationKey = (ms = Date.now(), suffix = randomBytes(4).toString('hex')) =>
  `${CACHE_KEY}-${ms}-${suffix}`

const authText = (session: AuthJson) => JSON.stringify(session, null, 2)

interface StoreOptions {
  key?: string
  format?: 1 | 2
  /** The archive's files instead of the sealed session. */
  files?: Record<string, Buffer | string>
  scope?: string
}

/** An entry another job (or an older release) stored: finalized in the cache service at once. */
function storeEntry(
  world: World,
  session: AuthJson | undefined,
  { key = generationKey(), format = writtenFormat(), files, scope = MAIN_REF }: StoreOptions = {}
): CacheEntryView {
  const blob = archive(files ?? { [SESSION_FILE]: seal(authText(session!), key, format) })
  return world.cache.seed({ key, version: CACHE_VERSION, scope, blob })
}

/** The session inside a stored entry this action wrote. */
function storedSession(entry: CacheEntryView): AuthJson {
  const sealed = unpackArchive(entry.blob!).get(SESSION_FILE)
  if (!sealed) throw new Error(`entry ${entry.key} holds no ${SESSION_FILE}`)
  return JSON.parse(unseal(sealed, entry.key)) as AuthJson
}

// ---------------------------------------------------------------------------------------------
// Sessions.

/**
 * The refresh of `from` as the token endpoint would do it: `from`'s refresh token is used from
 * now on (presenting it again gets 400 refresh_token_reused), and the new session is returned.
 */
function rotate(
  world: World,
  from: AuthJson,
  { lastRefresh = new Date(), accessTtlSeconds = 3600 } = {}
): AuthJson {
  const authority = world.authority
  const ttl = authority.accessTtlSeconds
  authority.accessTtlSeconds = accessTtlSeconds
  try {
    const answer = authority.refresh(from.tokens.refresh_token)
    if (answer.status !== 200) throw new Error(`the fake refused the rotation: ${answer.status}`)
    const tokens = answer.body as Omit<AuthJson['tokens'], 'account_id'>
    return {
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: null,
      tokens: { ...tokens, account_id: ACCOUNT_ID },
      last_refresh: lastRefresh.toISOString()
    }
  } finally {
    authority.accessTtlSeconds = ttl
  }
}

/**
 * A seed in the auth-json secret (last refreshed 2 h ago) and the newer session stored from it
 * (its refresh, 1 h ago): the seed's refresh token is used. `seedRefreshes`: the seed's access
 * token expires within a minute, so Codex would refresh it (and be refused with 400).
 * `storedRefreshes`: the stored session's access token expires within a minute too.
 */
function seedAndStored(
  world: World,
  { seedRefreshes = true, storedRefreshes = false } = {}
): { seed: AuthJson; stored: AuthJson } {
  const seed = world.authority.signIn({
    accessExpiresInSeconds: seedRefreshes ? 60 : 3600,
    lastRefresh: ago(2 * HOUR)
  })
  const stored = rotate(world, seed, {
    lastRefresh: ago(HOUR),
    accessTtlSeconds: storedRefreshes ? 60 : 3600
  })
  return { seed, stored }
}

// ---------------------------------------------------------------------------------------------
// Jobs.

interface JobSetup {
  /** Talk to the cache service directly, not through the proxy (for "the service is down"). */
  direct?: boolean
  runner?: Record<string, string>
}

/** A job on a new GitHub-hosted-like runner with the cache service behind the proxy. */
function cacheJob({ scenario, proxy }: Ctx, { direct = false, runner = {} }: JobSetup = {}): Job {
  const { world } = scenario
  return scenario.freshJob({
    runner: {
      RUNNER_ENVIRONMENT: 'github-hosted',
      ...world.cacheRunner(),
      ...(direct ? {} : { ACTIONS_RESULTS_URL: proxy.url, GITHUB_API_URL: proxy.origin }),
      ...runner
    }
  })
}

function inputs(ctx: Ctx, seed: AuthJson, extra: Record<string, string> = {}) {
  return {
    'auth-json': JSON.stringify(seed),
    'encryption-key': ENCRYPTION_KEY,
    'codex-path': ctx.scenario.world.codexPath,
    ...extra
  }
}

/** storage-timeout: a stalled call gives up after 2 s (the input exists since this release). */
const STALL_BOUND = { 'storage-timeout': '2' }

const authFile = (job: Job) => path.join(codexHomeOf(job), 'auth.json')

/** The token endpoint's requests from now on. */
function tokenRequests(world: World): () => { refreshReason?: string; status: number }[] {
  const before = world.tokenEndpoint.requests.length
  return () => world.tokenEndpoint.requests.slice(before)
}

const finalized = (world: World) => world.cache.entries().filter(e => e.state === 'finalized')
const keys = (world: World) => finalized(world).map(e => e.key)
const deletes = (world: World) => world.cache.restCalls.filter(c => c.method === 'DELETE')
const proxied = (ctx: Ctx, match: FaultMatcher) => ctx.proxy.log.filter(entry => match(entry))

// ---------------------------------------------------------------------------------------------
// The rules, as assertions.

/** No refresh token was presented twice: the token endpoint never answered 400. */
function expectNoUsedTokenPresented(requests: { status: number }[]): void {
  expect(requests.filter(r => r.status === 400)).toEqual([])
}

/** Main refused before Codex: it names the storage, calls it transient and says to re-run. */
function expectRefusedBeforeCodex(
  job: Job,
  main: StepResult,
  requests: { status: number }[]
): void {
  expect(main.exitCode).toBe(1)
  const error = errorsOf(main).join('\n')
  expect(error).toMatch(/Actions cache/)
  expect(error).toMatch(/transient/)
  expect(error).toMatch(/re-run/)
  // Codex never started: no refresh was asked for, no exit code reported.
  expect(requests).toEqual([])
  expect(main.outputs['codex-exit-code']).toBeUndefined()
  // Nothing written: a new runner's CODEX_HOME is not even created.
  expect(existsSync(authFile(job))).toBe(false)
  expect(existsSync(codexHomeOf(job))).toBe(false)
}

/** The post step after main stopped before a session was set up: nothing to store, nothing saved. */
function expectPostStoredNothing(ctx: Ctx, post: StepResult): void {
  expect(post.exitCode).toBe(0)
  expect(errorsOf(post)).toEqual([])
  expect(ctx.scenario.world.cache.callCount('CreateCacheEntry')).toBe(0)
  expect(deletes(ctx.scenario.world)).toEqual([])
}

/**
 * Post failed loudly: exit 1, an error saying the session was not stored, and how to recover; the
 * refreshed session is still in CODEX_HOME, where the recovery steps send the user.
 */
function expectLoud(job: Job, post: StepResult, restored: CacheEntryView, reason: RegExp): void {
  expect(post.exitCode).toBe(1)
  const error = errorsOf(post).join('\n')
  expect(error).toMatch(/could not be stored|was NOT stored/)
  expect(error).toMatch(/To recover/)
  expect(error).toMatch(reason)
  const left = readAuth(authFile(job))
  expect(left.tokens.refresh_token).not.toBe(storedSession(restored).tokens.refresh_token)
  expect(Date.parse(left.last_refresh)).toBeGreaterThan(Date.now() - 5 * 60_000)
}

/** Post stored the session now in CODEX_HOME as the newest entry; returns that entry. */
function expectStored(ctx: Ctx, job: Job, post: StepResult): CacheEntryView {
  const { world } = ctx.scenario
  expect(errorsOf(post)).toEqual([])
  expect(post.exitCode).toBe(0)
  const key = /Stored the refreshed session .* \(key (codex-auth-\d{13}-[0-9a-f]{8})\)/.exec(
    post.stdout
  )?.[1]
  expect(key).toBeDefined()
  const entry = finalized(world).find(e => e.key === key)
  expect(entry).toBeDefined()
  expect(storedSession(entry!)).toEqual(readAuth(authFile(job)))
  return entry!
}

// ---------------------------------------------------------------------------------------------
// restore in main

interface Fault {
  readonly name: string
  /** Rules for the proxy; `entry` is the stored entry the fault hits. */
  readonly rules?: (entry: CacheEntryView) => { match: FaultMatcher; action: FaultAction }[]
  /** Something done to the world instead (or as well). */
  readonly before?: (ctx: Ctx) => Promise<void>
  readonly direct?: boolean
  /** Needs storage-timeout (a call that never ends). */
  readonly stalls?: boolean
}

const status = (match: FaultMatcher, code: number, message?: string) => ({
  match,
  action: { kind: 'status' as const, status: code, ...(message ? { message } : {}) }
})

const RESTORE_FAULTS = {
  down: {
    name: 'the cache service is down (connection refused)',
    direct: true,
    before: ctx => ctx.scenario.world.cache.down()
  },
  lookup429: {
    name: '429 on the lookup',
    rules: () => [status(on.twirp(LOOKUP), 429)]
  },
  lookup403: {
    name: '403 read denied on the lookup',
    rules: () => [
      status(
        on.twirp(LOOKUP),
        403,
        'cache read denied: the runtime token grants no cache scope with read permission'
      )
    ]
  },
  blob503: {
    name: 'blob download 503 (retried by the client, ~10 s)',
    rules: () => [status(on.blobDownload(), 503)]
  },
  blobReset: {
    name: 'blob download reset',
    rules: () => [{ match: on.blobDownload(), action: { kind: 'reset' } }]
  },
  blobCut: {
    name: 'blob download cut half-way',
    rules: entry => [
      {
        match: on.blobDownload(),
        action: { kind: 'cut', afterBytes: Math.floor(entry.sizeBytes / 2) }
      }
    ]
  },
  blob404: {
    name: 'blob download 404',
    rules: () => [status(on.blobDownload(), 404)]
  },
  lookupStall: {
    name: 'the lookup stalls (storage-timeout 2)',
    stalls: true,
    rules: () => [{ match: on.twirp(LOOKUP), action: { kind: 'stall' } }]
  },
  blobStall: {
    name: 'the blob download stalls (storage-timeout 2)',
    stalls: true,
    rules: () => [{ match: on.blobDownload(), action: { kind: 'stall' } }]
  }
} satisfies Record<string, Fault>

async function applyFault(ctx: Ctx, fault: Fault, entry: CacheEntryView): Promise<void> {
  for (const rule of fault.rules?.(entry) ?? []) ctx.proxy.add(rule)
  await fault.before?.(ctx)
}

/** The stored session is newer than the seed, and the seed would refresh: main must not fall back. */
function restoreRefusedCase(fault: Fault): SuiteCase<Ctx> {
  return {
    area: 'restore',
    name: `${fault.name}; the seed would refresh`,
    outcome:
      'main fails before Codex: names the Actions cache, transient, re-run; nothing written, seed not presented',
    run: async ctx => {
      const { world } = ctx.scenario
      const { seed, stored } = seedAndStored(world, { seedRefreshes: true })
      const entry = storeEntry(world, stored)
      await applyFault(ctx, fault, entry)
      const requests = tokenRequests(world)
      const job = cacheJob(ctx, { direct: fault.direct })
      const { main, post } = await runJob(job, inputs(ctx, seed, fault.stalls ? STALL_BOUND : {}))
      expectRefusedBeforeCodex(job, main, requests())
      expectPostStoredNothing(ctx, post)
      expect(keys(world)).toEqual([entry.key])
    }
  }
}

/** The same failures when the seed would not refresh: the seed is used, with a warning. */
function restoreFallbackCase(fault: Fault): SuiteCase<Ctx> {
  return {
    area: 'restore',
    name: `${fault.name}; the seed would not refresh`,
    outcome: 'the seed is used with a warning; Codex does not refresh; nothing stored or pruned',
    run: async ctx => {
      const { world } = ctx.scenario
      const { seed, stored } = seedAndStored(world, { seedRefreshes: false })
      const entry = storeEntry(world, stored)
      await applyFault(ctx, fault, entry)
      const requests = tokenRequests(world)
      const job = cacheJob(ctx, { direct: fault.direct })
      const { main, post } = await runJob(job, inputs(ctx, seed, fault.stalls ? STALL_BOUND : {}))
      expect(errorsOf(main)).toEqual([])
      expect(main.exitCode).toBe(0)
      expect(main.outputs).toMatchObject({ 'auth-source': 'secret', refreshed: 'false' })
      expect(warningsOf(main).join('\n')).toMatch(
        /Could not read the stored session from Actions cache[\s\S]*Using the 'auth-json' input instead/
      )
      expect(requests()).toEqual([])
      expect(readAuth(authFile(job)).tokens.refresh_token).toBe(seed.tokens.refresh_token)
      expect(post.exitCode).toBe(0)
      expect(errorsOf(post)).toEqual([])
      expect(world.cache.callCount('CreateCacheEntry')).toBe(0)
      expect(deletes(world)).toEqual([])
      expect(keys(world)).toEqual([entry.key])
    }
  }
}

const restoreRetriedCase: SuiteCase<Ctx> = {
  area: 'restore',
  name: 'one 500 on the lookup (the client retries after 3 s)',
  outcome: 'restored on the retry; Codex does not refresh',
  run: async ctx => {
    const { world } = ctx.scenario
    const { seed, stored } = seedAndStored(world, { seedRefreshes: true })
    storeEntry(world, stored)
    ctx.proxy.add({ ...status(on.twirp(LOOKUP), 500), times: 1 })
    const requests = tokenRequests(world)
    const job = cacheJob(ctx)
    const { main, post } = await runJob(job, inputs(ctx, seed))
    expect(proxied(ctx, on.twirp(LOOKUP)).map(e => e.outcome)).toEqual(['status', 'forwarded'])
    expect(errorsOf(main)).toEqual([])
    expect(main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'false' })
    expect(readAuth(authFile(job)).tokens.refresh_token).toBe(stored.tokens.refresh_token)
    expect(requests()).toEqual([])
    expect(post.exitCode).toBe(0)
    expect(world.cache.callCount('CreateCacheEntry')).toBe(0)
  }
}

// ---------------------------------------------------------------------------------------------
// lookup in post, save, prune: main restores a stale stored entry and Codex refreshes it.

interface Refreshed {
  readonly job: Job
  readonly main: StepResult
  /** The entry main restored (its session is now used). */
  readonly restored: CacheEntryView
  readonly requests: () => { status: number }[]
}

/** Main restores a stored session that Codex must refresh, and Codex refreshes it. */
async function refreshedByCodex(ctx: Ctx, extra: Record<string, string> = {}): Promise<Refreshed> {
  const { world } = ctx.scenario
  const { seed, stored } = seedAndStored(world, { seedRefreshes: true, storedRefreshes: true })
  const restored = storeEntry(world, stored, { key: generationKey(Date.now() - 60_000) })
  const requests = tokenRequests(world)
  const job = cacheJob(ctx)
  const main = await job.runAction(inputs(ctx, seed, extra))
  expect(errorsOf(main)).toEqual([])
  expect(main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'true' })
  expect(requests()).toEqual([{ refreshReason: expect.any(String), status: 200 }])
  ctx.proxy.clear() // the log from here on is post's
  return { job, main, restored, requests }
}

/** A newer session than `job`'s, stored by another job while this one ran. */
function newerFromAnotherJob(ctx: Ctx): { entry: CacheEntryView; session: AuthJson } {
  const { world } = ctx.scenario
  const session = world.authority.signIn({ lastRefresh: new Date(Date.now() + 2000) })
  return { entry: storeEntry(world, session), session }
}

function lookupCase(
  name: string,
  rule: { match: FaultMatcher; action: FaultAction },
  stalls = false
) {
  return {
    area: 'lookup',
    name: `${name} on post's lookup, after Codex refreshed`,
    outcome:
      'post fails loudly with recovery; nothing written, nothing pruned; the newer entry of another job survives',
    run: async (ctx: Ctx) => {
      const { world } = ctx.scenario
      const { job, restored, requests } = await refreshedByCodex(ctx, stalls ? STALL_BOUND : {})
      const newer = newerFromAnotherJob(ctx)
      ctx.proxy.add(rule)
      const [post] = await job.finish()
      expectLoud(job, post!, restored, /could not check whether a newer session is stored/)
      expect(world.cache.callCount('CreateCacheEntry')).toBe(0)
      expect(deletes(world)).toEqual([])
      expect(keys(world)).toEqual([restored.key, newer.entry.key])
      expect(storedSession(finalized(world).at(-1)!)).toEqual(newer.session)
      expectNoUsedTokenPresented(requests())
    }
  } satisfies SuiteCase<Ctx>
}

function saveFailsCase(
  name: string,
  rule: { match: FaultMatcher; action: FaultAction },
  stalls = false
): SuiteCase<Ctx> {
  return {
    area: 'save',
    name: `${name} on every attempt`,
    outcome: 'retried (4 attempts), then post fails loudly with recovery; nothing stored or pruned',
    run: async ctx => {
      const { world } = ctx.scenario
      const { job, restored, requests } = await refreshedByCodex(ctx, stalls ? STALL_BOUND : {})
      ctx.proxy.add(rule)
      const [post] = await job.finish()
      expectLoud(job, post!, restored, /did not accept it after 4 attempts/)
      expect(post!.stdout.match(/Saving to the Actions cache failed \(attempt \d of 4\)/g)).toEqual(
        [
          'Saving to the Actions cache failed (attempt 1 of 4)',
          'Saving to the Actions cache failed (attempt 2 of 4)',
          'Saving to the Actions cache failed (attempt 3 of 4)'
        ]
      )
      expect(proxied(ctx, on.twirp('CreateCacheEntry'))).toHaveLength(4)
      expect(keys(world)).toEqual([restored.key])
      expect(deletes(world)).toEqual([])
      expectNoUsedTokenPresented(requests())
    }
  }
}

const saveRecoversCase: SuiteCase<Ctx> = {
  area: 'save',
  name: '403 on the blob upload of the first two attempts only',
  outcome: 'stored on the third attempt; the restored generation pruned',
  run: async ctx => {
    const { world } = ctx.scenario
    const { job, restored, requests } = await refreshedByCodex(ctx)
    ctx.proxy.add({ ...status(on.blobUpload(), 403), times: 2 })
    const [post] = await job.finish()
    const entry = expectStored(ctx, job, post!)
    expect(post!.stdout.match(/attempt \d of 4/g)).toEqual(['attempt 1 of 4', 'attempt 2 of 4'])
    expect(keys(world)).toEqual([entry.key])
    expect(deletes(world).map(c => c.path)).toEqual([expect.stringMatching(`/${restored.id}$`)])
    expectNoUsedTokenPresented(requests())
  }
}

function pruneWarnsCase(
  name: string,
  rule: { match: FaultMatcher; action: FaultAction }
): SuiteCase<Ctx> {
  return {
    area: 'prune',
    name,
    outcome: 'stored; the prune only warns',
    run: async ctx => {
      const { world } = ctx.scenario
      const { job, restored, requests } = await refreshedByCodex(ctx)
      ctx.proxy.add(rule)
      const [post] = await job.finish()
      const entry = expectStored(ctx, job, post!)
      expect(warningsOf(post!).join('\n')).toMatch(/Could not prune superseded cache entries/)
      expect(keys(world)).toEqual([restored.key, entry.key])
      expectNoUsedTokenPresented(requests())
    }
  }
}

/**
 * A rule that never matches but, on the first CreateCacheEntry of post (after its lookup, before
 * its prune), stores an entry as another job would: the race with the prune.
 */
function seedDuringSave(ctx: Ctx, make: () => CacheEntryView): { entry?: CacheEntryView } {
  const seeded: { entry?: CacheEntryView } = {}
  ctx.proxy.add({
    match: request => {
      if (seeded.entry === undefined && on.twirp('CreateCacheEntry')(request)) seeded.entry = make()
      return false
    },
    action: { kind: 'reset' }
  })
  return seeded
}

const pruneRaceCase: SuiteCase<Ctx> = {
  area: 'prune',
  name: 'another job stores an entry between post’s lookup and its prune',
  outcome: 'stored; the prune deletes only what the lookup saw: the new entry survives',
  run: async ctx => {
    const { world } = ctx.scenario
    const { job, restored, requests } = await refreshedByCodex(ctx)
    const raced = seedDuringSave(ctx, () =>
      storeEntry(world, world.authority.signIn({ lastRefresh: new Date() }))
    )
    const [post] = await job.finish()
    const entry = expectStored(ctx, job, post!)
    expect(raced.entry).toBeDefined()
    expect(keys(world)).toEqual([raced.entry!.key, entry.key])
    expect(deletes(world).map(c => c.path)).toEqual([expect.stringMatching(`/${restored.id}$`)])
    expectNoUsedTokenPresented(requests())
  }
}

const pruneMainSawNoneCase: SuiteCase<Ctx> = {
  area: 'prune',
  name: 'main saw no entry; post’s lookup shows an older one, and another arrives during the save',
  outcome:
    'stored; only entries up to the checked version are pruned (the older one); the later one survives',
  run: async ctx => {
    const { world } = ctx.scenario
    const seed = world.authority.signIn({ accessExpiresInSeconds: 60, lastRefresh: ago(HOUR) })
    const requests = tokenRequests(world)
    const job = cacheJob(ctx)
    const main = await job.runAction(inputs(ctx, seed))
    expect(main.outputs).toMatchObject({ 'auth-source': 'secret', refreshed: 'true' })
    expect(keys(world)).toEqual([])
    // Another job stored an older session meanwhile (refreshed before ours).
    const older = storeEntry(world, world.authority.signIn({ lastRefresh: ago(30 * 60_000) }))
    const raced = seedDuringSave(ctx, () =>
      storeEntry(world, world.authority.signIn({ lastRefresh: new Date() }))
    )
    const [post] = await job.finish()
    const entry = expectStored(ctx, job, post!)
    expect(keys(world)).toEqual([raced.entry!.key, entry.key])
    expect(deletes(world).map(c => c.path)).toEqual([expect.stringMatching(`/${older.id}$`)])
    expectNoUsedTokenPresented(requests())
  }
}

// ---------------------------------------------------------------------------------------------
// entries

const missingFileCase: SuiteCase<Ctx> = {
  area: 'entries',
  name: "the newest entry's archive lacks the session file",
  outcome: 'a warning, the seed used (main does not crash); the refreshed session stored',
  run: async ctx => {
    const { world } = ctx.scenario
    const { job, main, post, bad, requests } = await restoreEntryWithoutSession(ctx)
    expect(errorsOf(main)).toEqual([])
    expect(main.outputs).toMatchObject({ 'auth-source': 'secret', refreshed: 'true' })
    expect(warningsOf(main).join('\n')).toMatch(
      new RegExp(`Ignoring the stored session: cache entry ${bad.key} holds no session file`)
    )
    const entry = expectStored(ctx, job, post)
    // Never pruned on account of a version it could not read (it may be another workflow's).
    expect(keys(world)).toEqual([bad.key, entry.key])
    expect(deletes(world)).toEqual([])
    expectNoUsedTokenPresented(requests())
  }
}

/** The newest entry holds `.codex-auth-action/README.txt` but no session file; a stale seed. */
async function restoreEntryWithoutSession(ctx: Ctx) {
  const { world } = ctx.scenario
  const seed = world.authority.signIn({ accessExpiresInSeconds: 60, lastRefresh: ago(HOUR) })
  const bad = storeEntry(world, undefined, {
    files: { [`${ENTRY_DIR}/README.txt`]: 'not a session' }
  })
  const requests = tokenRequests(world)
  const job = cacheJob(ctx)
  const { main, post } = await runJob(job, inputs(ctx, seed))
  return { job, main, post, bad, requests }
}

const foreignKeyCase: SuiteCase<Ctx> = {
  area: 'entries',
  name: 'the newest entry was not written by this action (key codex-auth-latest)',
  outcome:
    'ignored with a warning; the seed used; ours stored beside it, the foreign one not pruned',
  run: async ctx => {
    const { world } = ctx.scenario
    const seed = world.authority.signIn({ accessExpiresInSeconds: 60, lastRefresh: ago(HOUR) })
    // Same path, so the same cache version; the session inside is even newer than the seed.
    const key = `${CACHE_KEY}-latest`
    const foreign = storeEntry(world, world.authority.signIn({ lastRefresh: new Date() }), {
      key
    })
    const requests = tokenRequests(world)
    const job = cacheJob(ctx)
    const { main, post } = await runJob(job, inputs(ctx, seed))
    expect(main.outputs).toMatchObject({ 'auth-source': 'secret', refreshed: 'true' })
    expect(warningsOf(main).join('\n')).toMatch(/codex-auth-latest is not a key this action writes/)
    expect(readAuth(authFile(job)).tokens.refresh_token).not.toBe(
      storedSession({ ...foreign, key }).tokens.refresh_token
    )
    const entry = expectStored(ctx, job, post)
    expect(keys(world)).toEqual([foreign.key, entry.key])
    expect(deletes(world)).toEqual([])
    expectNoUsedTokenPresented(requests())
  }
}

const formatOneCase: SuiteCase<Ctx> = {
  area: 'entries',
  name: 'a format-1 entry (sealed by an older release, without the generation in the authenticated data)',
  outcome: 'still restored; Codex does not refresh',
  run: async ctx => {
    const { world } = ctx.scenario
    const { seed, stored } = seedAndStored(world, { seedRefreshes: true })
    storeEntry(world, stored, { format: 1 })
    const requests = tokenRequests(world)
    const job = cacheJob(ctx)
    const { main, post } = await runJob(job, inputs(ctx, seed))
    expect(errorsOf(main)).toEqual([])
    expect(main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'false' })
    expect(readAuth(authFile(job))).toEqual(stored)
    expect(requests()).toEqual([])
    expect(post.exitCode).toBe(0)
  }
}

const replayCase: SuiteCase<Ctx> = {
  area: 'entries',
  name: "an older generation's archive re-uploaded under a newer key",
  outcome: 'ignored with a warning: the older session is not restored as newer',
  run: async ctx => {
    const { world } = ctx.scenario
    // The seed: valid, last refreshed 3 h ago. An older generation (1 h ago) whose refresh token
    // is used, replayed under a newer key.
    const seed = world.authority.signIn({
      accessExpiresInSeconds: 3600,
      lastRefresh: ago(3 * HOUR)
    })
    const old = world.authority.signIn({ accessExpiresInSeconds: 60, lastRefresh: ago(HOUR) })
    rotate(world, old)
    const genuine = storeEntry(world, old, { key: generationKey(Date.now() - HOUR) })
    const replayKey = generationKey(Date.now() + 1000)
    world.cache.seed({
      key: replayKey,
      version: CACHE_VERSION,
      scope: MAIN_REF,
      blob: genuine.blob
    })
    const requests = tokenRequests(world)
    const job = cacheJob(ctx)
    const { main, post } = await runJob(job, inputs(ctx, seed))
    expect(errorsOf(main)).toEqual([])
    expect(main.outputs).toMatchObject({ 'auth-source': 'secret', refreshed: 'false' })
    expect(warningsOf(main).join('\n')).toMatch(
      new RegExp(`cache entry ${replayKey} cannot be used`)
    )
    expect(readAuth(authFile(job)).tokens.refresh_token).toBe(seed.tokens.refresh_token)
    expect(requests()).toEqual([])
    expect(post.exitCode).toBe(0)
  }
}

/** base64 of the pretty-printed JSON, wrapped at 60 columns with CRLF and indented. */
function reencoded(seed: AuthJson): string {
  const b64 = Buffer.from(JSON.stringify(seed, null, 4) + '\n').toString('base64')
  return '\n  ' + (b64.match(/.{1,60}/g) ?? []).join('\r\n  ') + '\r\n'
}

const reencodedSecretCase: SuiteCase<Ctx> = {
  area: 'entries',
  name: 'no encryption-key: the same secret as raw JSON, then as base64 with other whitespace',
  outcome: 'the stored entry is still readable (key from the parsed session): restored, no refresh',
  run: async ctx => {
    const { world } = ctx.scenario
    const seed = world.authority.signIn({ accessExpiresInSeconds: 60, lastRefresh: ago(HOUR) })
    const requests = tokenRequests(world)
    const plain = { 'auth-json': JSON.stringify(seed), 'codex-path': world.codexPath }
    const first = cacheJob(ctx)
    const saved = await runJob(first, plain)
    expect(saved.main.outputs.refreshed).toBe('true')
    expect(saved.post.exitCode).toBe(0)
    expect(keys(world)).toHaveLength(1)

    const second = cacheJob(ctx)
    const { main, post } = await runJob(second, { ...plain, 'auth-json': reencoded(seed) })
    expect(errorsOf(main)).toEqual([])
    expect(warningsOf(main)).toEqual([])
    expect(main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'false' })
    expect(readAuth(authFile(second))).toEqual(readAuth(authFile(first)))
    expect(requests().map(r => r.status)).toEqual([200])
    expect(post.exitCode).toBe(0)
  }
}

// ---------------------------------------------------------------------------------------------
// hygiene

/** What RUNNER_TEMP may hold after the job: only what the runner made. */
function expectRunnerTempClean(temp: string): void {
  const left = readdirSync(temp).filter(
    name => !name.startsWith('_runner_file_commands-') && name !== 'event.json'
  )
  expect(left).toEqual([])
}

const hygieneCase: SuiteCase<Ctx> = {
  area: 'hygiene',
  name: 'a cache job that restores and saves (main + post)',
  outcome:
    'RUNNER_TEMP holds only what the runner made; no .codex-auth-action left in the workspace',
  run: async ctx => {
    const { world } = ctx.scenario
    const { seed, stored } = seedAndStored(world, { seedRefreshes: true, storedRefreshes: true })
    storeEntry(world, stored)
    const temp = scratchDir('faults-runner-temp')
    const job = cacheJob(ctx, { runner: { RUNNER_TEMP: temp } })
    const { main, post } = await runJob(job, inputs(ctx, seed))
    expect(main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'true' })
    expectStored(ctx, job, post)
    expectRunnerTempClean(temp)
    expect(readdirSync(job.workspace)).not.toContain(ENTRY_DIR)
  }
}

const hygieneAbandonedCase: SuiteCase<Ctx> = {
  area: 'hygiene',
  name: 'a restore abandoned at its deadline (stalled download, storage-timeout 2)',
  outcome: 'main fails before Codex; RUNNER_TEMP and the workspace hold nothing of the action',
  run: async ctx => {
    const { world } = ctx.scenario
    const { seed, stored } = seedAndStored(world, { seedRefreshes: true })
    storeEntry(world, stored)
    ctx.proxy.add({ match: on.blobDownload(), action: { kind: 'stall' } })
    const temp = scratchDir('faults-runner-temp')
    const requests = tokenRequests(world)
    const job = cacheJob(ctx, { runner: { RUNNER_TEMP: temp } })
    const { main, post } = await runJob(job, inputs(ctx, seed, STALL_BOUND))
    expectRefusedBeforeCodex(job, main, requests())
    expectPostStoredNothing(ctx, post)
    expectRunnerTempClean(temp)
    expect(readdirSync(job.workspace)).not.toContain(ENTRY_DIR)
  }
}

const hygieneBadEntryCase: SuiteCase<Ctx> = {
  area: 'hygiene',
  name: 'a restored entry whose archive holds another file instead of the session',
  outcome: 'nothing the archive held is left in the workspace (.codex-auth-action removed)',
  run: async ctx => {
    const { job, main, post } = await restoreEntryWithoutSession(ctx)
    expect(main.exitCode).toBe(0)
    expect(post.exitCode).toBe(0)
    expect(readdirSync(job.workspace)).not.toContain(ENTRY_DIR)
  }
}

// ---------------------------------------------------------------------------------------------
// clocks

const YEAR = 365 * 24 * HOUR

const futureStoredCase: SuiteCase<Ctx> = {
  area: 'clocks',
  name: 'the stored session says last_refresh is a year in the future; the seed is valid',
  outcome: 'the seed wins, with a warning naming the future timestamp; Codex does not refresh',
  run: async ctx => {
    const { world } = ctx.scenario
    const seed = world.authority.signIn({ accessExpiresInSeconds: 3600, lastRefresh: ago(HOUR) })
    const future = world.authority.signIn({
      accessExpiresInSeconds: 60,
      lastRefresh: new Date(Date.now() + YEAR)
    })
    storeEntry(world, future)
    const requests = tokenRequests(world)
    const job = cacheJob(ctx)
    const { main, post } = await runJob(job, inputs(ctx, seed))
    expect(errorsOf(main)).toEqual([])
    expect(main.outputs).toMatchObject({ 'auth-source': 'secret', refreshed: 'false' })
    const warning = warningsOf(main).join('\n')
    expect(warning).toContain(future.last_refresh)
    expect(warning).toMatch(/in the future/)
    expect(readAuth(authFile(job)).tokens.refresh_token).toBe(seed.tokens.refresh_token)
    expect(requests()).toEqual([])
    expect(post.exitCode).toBe(0)
  }
}

const futureSeenByMainCase: SuiteCase<Ctx> = {
  area: 'clocks',
  name: 'the entry main saw claims a future last_refresh; Codex refreshes the seed',
  outcome: 'the refreshed session is stored (the future one does not count as newer)',
  run: async ctx => {
    const { world } = ctx.scenario
    const seed = world.authority.signIn({ accessExpiresInSeconds: 60, lastRefresh: ago(HOUR) })
    storeEntry(world, world.authority.signIn({ lastRefresh: new Date(Date.now() + YEAR) }))
    const requests = tokenRequests(world)
    const job = cacheJob(ctx)
    const { main, post } = await runJob(job, inputs(ctx, seed))
    expect(main.outputs).toMatchObject({ 'auth-source': 'secret', refreshed: 'true' })
    const entry = expectStored(ctx, job, post)
    expect(finalized(world).at(-1)!.key).toBe(entry.key)
    expectNoUsedTokenPresented(requests())
  }
}

const skewedRaceCase: SuiteCase<Ctx> = {
  area: 'clocks',
  name: 'an entry stored during the save by a runner whose clock is 2 minutes behind',
  outcome: 'stored; the prune leaves it (created after the lookup, whatever its key says)',
  run: async ctx => {
    const { world } = ctx.scenario
    const { job, requests } = await refreshedByCodex(ctx)
    const raced = seedDuringSave(ctx, () =>
      storeEntry(world, world.authority.signIn({ lastRefresh: ago(2 * 60_000) }), {
        key: generationKey(Date.now() - 2 * 60_000)
      })
    )
    const [post] = await job.finish()
    const entry = expectStored(ctx, job, post!)
    expect(raced.entry).toBeDefined()
    expect(keys(world)).toContain(raced.entry!.key)
    expect(keys(world)).toContain(entry.key)
    expectNoUsedTokenPresented(requests())
  }
}

// ---------------------------------------------------------------------------------------------

const F = RESTORE_FAULTS

export const table: SuiteTable<Ctx> = {
  title: 'storage: cache under faults',
  cases: [
    ...[
      F.down,
      F.lookup429,
      F.lookup403,
      F.blob503,
      F.blobReset,
      F.blobCut,
      F.blob404,
      F.lookupStall,
      F.blobStall
    ].map(restoreRefusedCase),
    restoreRetriedCase,
    // 503 is left out here: the client retries it for ~10 s, and one such case is enough.
    ...[
      F.down,
      F.lookup429,
      F.lookup403,
      F.blobReset,
      F.blobCut,
      F.blob404,
      F.lookupStall,
      F.blobStall
    ].map(restoreFallbackCase),

    lookupCase('429', status(on.twirp(LOOKUP), 429)),
    lookupCase('a reset', { match: on.twirp(LOOKUP), action: { kind: 'reset' } }),
    lookupCase(
      'a stall (storage-timeout 2)',
      { match: on.twirp(LOOKUP), action: { kind: 'stall' } },
      true
    ),
    lookupCase(
      'a response cut after 10 bytes (storage-timeout 2)',
      { match: on.twirp(LOOKUP), action: { kind: 'cut', afterBytes: 10 } },
      true
    ),

    saveFailsCase('a reset on CreateCacheEntry', {
      match: on.twirp('CreateCacheEntry'),
      action: { kind: 'reset' }
    }),
    saveFailsCase('429 on CreateCacheEntry', status(on.twirp('CreateCacheEntry'), 429)),
    saveFailsCase('403 on the blob upload', status(on.blobUpload(), 403)),
    saveFailsCase('a reset on FinalizeCacheEntryUpload', {
      match: on.twirp('FinalizeCacheEntryUpload'),
      action: { kind: 'reset' }
    }),
    saveFailsCase(
      'the blob upload stalls (storage-timeout 2)',
      { match: on.blobUpload(), action: { kind: 'stall' } },
      true
    ),
    saveRecoversCase,

    pruneWarnsCase('500 on the REST list', status(on.restList(), 500)),
    pruneWarnsCase(
      '403 on the REST list',
      status(on.restList(), 403, 'Resource not accessible by integration')
    ),
    pruneWarnsCase('404 on the REST delete', status(on.restDelete(), 404)),
    pruneWarnsCase('500 on the REST delete', status(on.restDelete(), 500)),
    pruneRaceCase,
    pruneMainSawNoneCase,

    missingFileCase,
    foreignKeyCase,
    formatOneCase,
    replayCase,
    reencodedSecretCase,

    hygieneCase,
    hygieneAbandonedCase,
    hygieneBadEntryCase,

    futureStoredCase,
    futureSeenByMainCase,
    skewedRaceCase
  ]
}
