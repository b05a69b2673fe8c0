/**
 * The cache-service fake, driven by the real @actions/cache client in-process (twirp, blob upload
 * and download, tar) and by plain HTTP for the REST endpoints and protocol corners.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import * as cache from '@actions/cache'
import { BlockBlobClient } from '@azure/storage-blob'
import { scratchDir } from './harness/paths.js'
import {
  Permission,
  branchRunToken,
  pullRequestRunToken,
  readOnlyToken,
  runtimeToken,
  startCacheService,
  type FakeCacheService
} from './fakes/cache-service.js'

const MAIN = 'refs/heads/main'
const FEATURE = 'refs/heads/feature'
const RELEASE = 'refs/heads/release'
const WRITE_TOKEN = 'ghs_rest_write'
const READ_TOKEN = 'ghs_rest_read'

let service: FakeCacheService
const savedCwd = process.cwd()
/** The env the client reads, set for each call and put back afterwards. */
const CLIENT_ENV = [
  'ACTIONS_CACHE_SERVICE_V2',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_RUNTIME_TOKEN',
  'GITHUB_SERVER_URL',
  'GITHUB_WORKSPACE',
  'RUNNER_TEMP',
  'ACTIONS_CACHE_URL',
  'ACTIONS_CACHE_MODE',
  'RUNNER_DEBUG'
] as const
const savedEnv = Object.fromEntries(CLIENT_ENV.map(name => [name, process.env[name]]))

function setEnv(values: Partial<Record<(typeof CLIENT_ENV)[number], string>>): void {
  for (const name of CLIENT_ENV) {
    const value = values[name]
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
}

beforeAll(async () => {
  service = await startCacheService({
    repository: 'octo-org/octo-repo',
    restTokens: { [WRITE_TOKEN]: 'write', [READ_TOKEN]: 'read' }
  })
})
afterAll(async () => {
  await service.close()
})
afterEach(async () => {
  await service.up()
  service.reset()
})

/** One job's machine: a workspace and a temp dir, and the runtime token of its run. */
interface Run {
  readonly workspace: string
  readonly token: string
}

function newRun(token: string): Run {
  return { workspace: scratchDir('cache-ws'), token }
}

/**
 * Run a client call as inside a step of `run`: the client reads env and cwd at call time. Its
 * workflow-command output (stdout) is captured rather than printed.
 */
async function inRun<T>(run: Run, call: () => Promise<T>): Promise<{ result: T; output: string }> {
  setEnv({
    ACTIONS_CACHE_SERVICE_V2: 'true',
    ACTIONS_RESULTS_URL: service.resultsUrl,
    ACTIONS_RUNTIME_TOKEN: run.token,
    // Anything but github.com (or *.ghe.com, *.localhost) silently selects the v1 protocol.
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKSPACE: run.workspace,
    RUNNER_TEMP: scratchDir('cache-temp')
  })
  // Relative paths are globbed from cwd, and tar runs with -C $GITHUB_WORKSPACE.
  process.chdir(run.workspace)
  const output: string[] = []
  const write = process.stdout.write
  process.stdout.write = ((chunk: string | Uint8Array) => {
    output.push(String(chunk))
    return true
  }) as typeof process.stdout.write
  try {
    return { result: await call(), output: output.join('') }
  } finally {
    process.stdout.write = write
    process.chdir(savedCwd)
    setEnv(savedEnv)
  }
}

function writeData(run: Run, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(run.workspace, 'data', name)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, content)
  }
}

/** Every file under data/, by relative path. */
function readData(run: Run): Record<string, string> {
  const root = path.join(run.workspace, 'data')
  const files: Record<string, string> = {}
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else files[path.relative(root, full)] = readFileSync(full, 'latin1')
    }
  }
  walk(root)
  return files
}

const save = async (run: Run, key: string, paths = ['data']) =>
  (await inRun(run, () => cache.saveCache(paths, key))).result

const restore = async (run: Run, key: string, restoreKeys: string[] = [], paths = ['data']) =>
  (await inRun(run, () => cache.restoreCache(paths, key, restoreKeys))).result

/** Save `content` as data/file.txt from a fresh workspace of a run with `token`. */
async function saveContent(token: string, key: string, content: string): Promise<number> {
  const run = newRun(token)
  writeData(run, { 'file.txt': content })
  return save(run, key)
}

/** Restore into a fresh workspace; the key hit and data/file.txt (if restored). */
async function restoreContent(token: string, key: string, restoreKeys: string[] = []) {
  const run = newRun(token)
  const hit = await restore(run, key, restoreKeys)
  return { hit, content: hit === undefined ? undefined : readData(run)['file.txt'] }
}

async function twirpPost(method: string, body: unknown, token: string | undefined) {
  const response = await fetch(
    `${service.resultsUrl}twirp/github.actions.results.api.v1.CacheService/${method}`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` })
      },
      body: JSON.stringify(body)
    }
  )
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('the real client against the fake', () => {
  test('the client sees the v2 service only with github.com as server', async () => {
    const run = newRun(branchRunToken(MAIN))
    expect((await inRun(run, async () => cache.isFeatureAvailable())).result).toBe(true)
    const ghes = await inRun(run, async () => {
      process.env.GITHUB_SERVER_URL = 'https://ghes.example.com'
      return cache.isFeatureAvailable()
    })
    expect(ghes.result).toBe(false)
  })

  test('save then restore round-trips the files into another workspace', async () => {
    const saver = newRun(branchRunToken(MAIN))
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    writeData(saver, { 'a.txt': 'alpha\n', 'nested/deep/b.json': '{"b":2}', 'bin.dat': binary })
    const id = await save(saver, 'round-trip-1')
    expect(id).toBeGreaterThan(0)

    const restorer = newRun(branchRunToken(MAIN))
    expect(await restore(restorer, 'round-trip-1')).toBe('round-trip-1')
    expect(readData(restorer)).toEqual(readData(saver))

    const [entry] = service.entries()
    expect(entry).toMatchObject({
      id,
      key: 'round-trip-1',
      scope: MAIN,
      state: 'finalized',
      createdOrder: 1
    })
    expect(entry!.sizeBytes).toBe(entry!.blob!.length)
    expect(service.twirpCalls.map(c => [c.method, c.status])).toEqual([
      ['CreateCacheEntry', 200],
      ['FinalizeCacheEntryUpload', 200],
      ['GetCacheEntryDownloadURL', 200]
    ])
    expect(service.blobCalls.map(c => [c.operation, c.status])).toEqual([
      ['put-blob', 201],
      ['get', 200]
    ])
  })

  test('the JSON the client sends uses the proto field names', async () => {
    const run = newRun(branchRunToken(MAIN))
    writeData(run, { 'file.txt': 'x' })
    await save(run, 'fields-1')
    await restore(run, 'fields-2', ['fields-'])
    const [create, finalize, lookup] = service.twirpCalls.map(c => c.request)
    const version = (create as { version: string }).version
    expect(version).toMatch(/^[0-9a-f]{64}$/)
    expect(create).toEqual({ key: 'fields-1', version })
    const size = String(service.entries()[0]!.sizeBytes)
    expect(finalize).toEqual({ key: 'fields-1', version, size_bytes: size })
    expect(lookup).toEqual({ key: 'fields-2', restore_keys: ['fields-'], version })
    expect(service.twirpCalls[0]!.scopes).toEqual([{ scope: MAIN, permission: 3 }])
  })

  test('a prefix restores the newest generation; an exact key wins over a newer prefix match', async () => {
    const token = branchRunToken(MAIN)
    for (const n of [1, 2, 3])
      expect(await saveContent(token, `gen-${n}`, `g${n}`)).toBeGreaterThan(0)
    expect(await restoreContent(token, 'gen-')).toEqual({ hit: 'gen-3', content: 'g3' })
    expect(await restoreContent(token, 'gen-9', ['nothing-', 'gen-'])).toEqual({
      hit: 'gen-3',
      content: 'g3'
    })
    // gen-1 exists exactly, even though gen-10 is newer and also starts with "gen-1".
    await saveContent(token, 'gen-10', 'g10')
    expect(await restoreContent(token, 'gen-1')).toEqual({ hit: 'gen-1', content: 'g1' })
  })

  test('another version (other paths) is a miss', async () => {
    const token = branchRunToken(MAIN)
    await saveContent(token, 'versioned-1', 'v')
    const run = newRun(token)
    expect(await restore(run, 'versioned-1', [], ['data', 'other'])).toBeUndefined()
    expect(service.twirpCalls.at(-1)).toMatchObject({
      method: 'GetCacheEntryDownloadURL',
      status: 200
    })
    expect(await restore(run, 'versioned-1')).toBe('versioned-1')
  })

  test('a duplicate key is not saved again: -1, and the first entry stays', async () => {
    const token = branchRunToken(MAIN)
    expect(await saveContent(token, 'dup-1', 'first')).toBeGreaterThan(0)
    expect(await saveContent(token, 'dup-1', 'second')).toBe(-1)
    expect(service.twirpCalls.at(-1)).toMatchObject({ method: 'CreateCacheEntry', status: 409 })
    expect(service.entries()).toHaveLength(1)
    expect(await restoreContent(token, 'dup-1')).toEqual({ hit: 'dup-1', content: 'first' })
  })

  test('a feature branch reads main; main does not read the feature branch', async () => {
    const main = branchRunToken(MAIN)
    const feature = branchRunToken(FEATURE)
    await saveContent(feature, 'feat-1', 'from feature')
    await saveContent(main, 'shared-1', 'from main')
    expect(await restoreContent(main, 'feat-1')).toEqual({ hit: undefined, content: undefined })
    expect(await restoreContent(feature, 'feat-1')).toEqual({
      hit: 'feat-1',
      content: 'from feature'
    })
    expect(await restoreContent(feature, 'shared-1')).toEqual({
      hit: 'shared-1',
      content: 'from main'
    })
  })

  test("a run's own scope is searched before the default branch, even if older", async () => {
    const main = branchRunToken(MAIN)
    const feature = branchRunToken(FEATURE)
    await saveContent(feature, 'order-1', 'feature, older')
    await saveContent(main, 'order-2', 'main, newer')
    expect((await restoreContent(feature, 'order-')).hit).toBe('order-1')
    expect((await restoreContent(main, 'order-')).hit).toBe('order-2')
    // The same key may exist once per scope.
    expect(await saveContent(feature, 'order-2', 'feature copy')).toBeGreaterThan(0)
    expect(
      service
        .entries()
        .filter(e => e.key === 'order-2')
        .map(e => e.scope)
    ).toEqual([MAIN, FEATURE])
    expect(await restoreContent(feature, 'order-2')).toMatchObject({ content: 'feature copy' })
    expect(await restoreContent(main, 'order-2')).toMatchObject({ content: 'main, newer' })
  })

  test('a pull request reads its base and the default branch; its saves stay in refs/pull/N/merge', async () => {
    const pr = pullRequestRunToken(7, RELEASE, MAIN)
    await saveContent(branchRunToken(RELEASE), 'rel-1', 'release')
    await saveContent(branchRunToken(MAIN), 'main-1', 'main')
    expect(await restoreContent(pr, 'rel-')).toEqual({ hit: 'rel-1', content: 'release' })
    expect(await restoreContent(pr, 'main-')).toEqual({ hit: 'main-1', content: 'main' })

    expect(await saveContent(pr, 'pr-1', 'pull request')).toBeGreaterThan(0)
    expect(service.entries().find(e => e.key === 'pr-1')?.scope).toBe('refs/pull/7/merge')
    expect((await restoreContent(branchRunToken(RELEASE), 'pr-')).hit).toBeUndefined()
    expect((await restoreContent(branchRunToken(MAIN), 'pr-')).hit).toBeUndefined()
    expect((await restoreContent(pullRequestRunToken(8, RELEASE, MAIN), 'pr-')).hit).toBeUndefined()
    expect((await restoreContent(pullRequestRunToken(7, RELEASE, MAIN), 'pr-')).hit).toBe('pr-1')
  })

  test('a read-only token restores but cannot save: -1, "cache write denied", nothing stored', async () => {
    await saveContent(branchRunToken(MAIN), 'ro-1', 'main')
    const run = newRun(readOnlyToken(FEATURE, MAIN))
    writeData(run, { 'file.txt': 'fork' })
    const saved = await inRun(run, () => cache.saveCache(['data'], 'ro-2'))
    expect(saved.result).toBe(-1)
    expect(saved.output).toContain('cache write denied:')
    expect(service.entries().map(e => e.key)).toEqual(['ro-1'])
    expect(await restoreContent(readOnlyToken(FEATURE, MAIN), 'ro-')).toEqual({
      hit: 'ro-1',
      content: 'main'
    })
  })

  test('a token without read scopes gets "cache read denied"; a bad token gets 401', async () => {
    await saveContent(branchRunToken(MAIN), 'denied-1', 'x')
    const writeOnly = newRun(runtimeToken([{ scope: MAIN, permission: Permission.Write }]))
    const denied = await inRun(writeOnly, () => cache.restoreCache(['data'], 'denied-1'))
    expect(denied.result).toBeUndefined()
    expect(denied.output).toContain('cache read denied:')

    const garbage = newRun('not-a-jwt')
    writeData(garbage, { 'file.txt': 'x' })
    expect(await restore(garbage, 'denied-1')).toBeUndefined()
    expect(await save(garbage, 'denied-2')).toBe(-1)
    expect(service.twirpCalls.slice(-2).map(c => c.status)).toEqual([401, 401])
  })

  test('service down: restore misses and save fails at once; up again on the same port', async () => {
    const token = branchRunToken(MAIN)
    await saveContent(token, 'down-1', 'before')
    await service.down()
    const started = Date.now()
    expect(await restoreContent(token, 'down-1')).toEqual({ hit: undefined, content: undefined })
    const run = newRun(token)
    writeData(run, { 'file.txt': 'during' })
    const saved = await inRun(run, () => cache.saveCache(['data'], 'down-2'))
    expect(Date.now() - started).toBeLessThan(2000)
    expect(saved.result).toBe(-1)
    // The client reports any failed reservation at info level only, with a misleading reason.
    expect(saved.output).toContain('another job may be creating this cache')
    expect(saved.output).not.toContain('::warning::')
    await service.up()
    expect(await restoreContent(token, 'down-1')).toEqual({ hit: 'down-1', content: 'before' })
    expect(service.entries().map(e => e.key)).toEqual(['down-1'])
  })

  test('injected twirp and blob failures', async () => {
    const token = branchRunToken(MAIN)
    // 4xx: the client does not retry (5xx would cost 3 s+ of backoff per attempt).
    service.failTwirpWith = 429
    expect(await saveContent(token, 'fail-1', 'x')).toBe(-1)
    expect(service.callCount('CreateCacheEntry')).toBe(1)
    service.failTwirpWith = undefined

    // A failed upload leaves the reservation pending: invisible, and the key stays taken.
    service.failBlobWith = 403
    expect(await saveContent(token, 'fail-2', 'x')).toBe(-1)
    service.failBlobWith = undefined
    expect(service.entries()).toMatchObject([{ key: 'fail-2', state: 'pending', sizeBytes: 0 }])
    expect(service.callCount('FinalizeCacheEntryUpload')).toBe(0)
    expect((await restoreContent(token, 'fail-2')).hit).toBeUndefined()
    expect(await saveContent(token, 'fail-2', 'again')).toBe(-1)
    expect(service.twirpCalls.at(-1)?.status).toBe(409)
  })

  test('a restore updates the entry last access time', async () => {
    const token = branchRunToken(MAIN)
    await saveContent(token, 'access-1', 'x')
    const before = service.entries()[0]!.lastAccessedAt!
    await restoreContent(token, 'access-1')
    expect(service.entries()[0]!.lastAccessedAt!.getTime()).toBeGreaterThan(before.getTime())
  })
})

describe('protocol corners, over plain HTTP', () => {
  test('Put Block + Put Block List assemble the blob (the SDK above its single-shot size)', async () => {
    const token = branchRunToken(MAIN)
    const version = 'f'.repeat(64)
    const created = await twirpPost('CreateCacheEntry', { key: 'blocks-1', version }, token)
    expect(created.body).toMatchObject({ ok: true })
    const file = path.join(scratchDir('blocks'), 'archive.bin')
    const content = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 251))
    writeFileSync(file, content)
    // The client passes maxSingleShotSize 128 MiB; a smaller one exercises the same block path.
    await new BlockBlobClient(created.body.signed_upload_url as string).uploadFile(file, {
      maxSingleShotSize: 1024,
      blockSize: 1024,
      concurrency: 2
    })
    expect(service.blobCalls.map(c => c.operation)).toEqual([
      ...Array(5).fill('put-block'),
      'put-block-list'
    ])
    const finalized = await twirpPost(
      'FinalizeCacheEntryUpload',
      { key: 'blocks-1', version, size_bytes: String(content.length) },
      token
    )
    expect(finalized).toEqual({ status: 200, body: { ok: true, entry_id: expect.any(String) } })
    const found = await twirpPost('GetCacheEntryDownloadURL', { key: 'blocks-', version }, token)
    expect(found.body).toMatchObject({ ok: true, matched_key: 'blocks-1' })
    const download = await fetch(found.body.signed_download_url as string)
    expect(Buffer.from(await download.arrayBuffer()).equals(content)).toBe(true)
  })

  test('twirp errors and finalize refusals', async () => {
    const token = branchRunToken(MAIN)
    const version = 'e'.repeat(64)
    expect(await twirpPost('CreateCacheEntry', { key: 'k', version }, undefined)).toMatchObject({
      status: 401,
      body: { code: 'unauthenticated' }
    })
    expect(await twirpPost('NoSuchMethod', { key: 'k', version }, token)).toMatchObject({
      status: 404,
      body: { code: 'bad_route' }
    })
    expect(await twirpPost('CreateCacheEntry', { key: 'k' }, token)).toMatchObject({
      status: 400,
      body: { code: 'invalid_argument' }
    })
    const finalizeNothing = await twirpPost(
      'FinalizeCacheEntryUpload',
      { key: 'k', version, size_bytes: '1' },
      token
    )
    expect(finalizeNothing.body).toMatchObject({ ok: false, message: expect.any(String) })

    const created = await twirpPost('CreateCacheEntry', { key: 'k', version }, token)
    expect(await twirpPost('CreateCacheEntry', { key: 'k', version }, token)).toEqual({
      status: 409,
      body: {
        code: 'already_exists',
        msg: 'cache entry with the same key, version, and scope already exists'
      }
    })
    const finalizeEmpty = await twirpPost(
      'FinalizeCacheEntryUpload',
      { key: 'k', version, size_bytes: '3' },
      token
    )
    expect(finalizeEmpty.body).toMatchObject({ ok: false })
    const uploadUrl = created.body.signed_upload_url as string
    const put = await fetch(uploadUrl, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: 'abc'
    })
    expect(put.status).toBe(201)
    expect(put.headers.get('etag')).toBeTruthy()
    // The upload URL does not read.
    expect((await fetch(uploadUrl)).status).toBe(403)
    const wrongSize = await twirpPost(
      'FinalizeCacheEntryUpload',
      { key: 'k', version, size_bytes: '4' },
      token
    )
    expect(wrongSize.body).toMatchObject({ ok: false })
    expect(service.entries()[0]!.state).toBe('pending')
    const miss = await twirpPost('GetCacheEntryDownloadURL', { key: 'k', version }, token)
    expect(miss).toEqual({ status: 200, body: { ok: false } })
    const done = await twirpPost(
      'FinalizeCacheEntryUpload',
      { key: 'k', version, size_bytes: '3' },
      token
    )
    expect(done.body).toEqual({ ok: true, entry_id: String(service.entries()[0]!.id) })
    // Immutable: the upload URL no longer writes.
    const rewrite = await fetch(uploadUrl, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: 'xyz'
    })
    expect(rewrite.status).toBe(403)
    expect(service.entries()[0]!.blob!.toString()).toBe('abc')
    expect(service.callCount('CreateCacheEntry')).toBe(4)
  })
})

describe('REST endpoints for caches', () => {
  const repoPath = '/repos/octo-org/octo-repo/actions/caches'

  async function api(method: string, pathAndQuery: string, authorization?: string) {
    const response = await fetch(`${service.apiUrl}${pathAndQuery}`, {
      method,
      headers: authorization === undefined ? {} : { authorization }
    })
    const text = await response.text()
    return { status: response.status, body: text ? (JSON.parse(text) as any) : undefined }
  }
  const keysOf = (body: { actions_caches: { key: string }[] }) =>
    body.actions_caches.map(c => c.key)

  function seedThree() {
    const version = 'a'.repeat(64)
    service.seed({ key: 'deps-1', version, scope: MAIN, blob: Buffer.alloc(30) })
    service.seed({ key: 'deps-2', version, scope: FEATURE, blob: Buffer.alloc(10) })
    service.seed({ key: 'other-1', version, scope: MAIN, blob: Buffer.alloc(20) })
  }

  test('list: key prefix, ref, sort, direction, pagination', async () => {
    seedThree()
    const all = await api('GET', repoPath, `Bearer ${READ_TOKEN}`)
    expect(all.status).toBe(200)
    expect(all.body.total_count).toBe(3)
    // Default: last_accessed_at, newest first.
    expect(keysOf(all.body)).toEqual(['other-1', 'deps-2', 'deps-1'])
    expect(all.body.actions_caches[2]).toEqual({
      id: expect.any(Number),
      ref: MAIN,
      key: 'deps-1',
      version: 'a'.repeat(64),
      last_accessed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      size_in_bytes: 30
    })
    const deps = await api(
      'GET',
      `${repoPath}?key=deps-&sort=created_at&direction=asc`,
      `token ${READ_TOKEN}`
    )
    expect(keysOf(deps.body)).toEqual(['deps-1', 'deps-2'])
    const bySize = await api(
      'GET',
      `${repoPath}?sort=size_in_bytes&direction=desc`,
      `Bearer ${READ_TOKEN}`
    )
    expect(keysOf(bySize.body)).toEqual(['deps-1', 'other-1', 'deps-2'])
    const onMain = await api('GET', `${repoPath}?ref=${MAIN}`, `Bearer ${READ_TOKEN}`)
    expect(keysOf(onMain.body)).toEqual(['other-1', 'deps-1'])
    const page2 = await api(
      'GET',
      `${repoPath}?sort=created_at&direction=asc&per_page=2&page=2`,
      `Bearer ${READ_TOKEN}`
    )
    expect(page2.body).toMatchObject({ total_count: 3 })
    expect(keysOf(page2.body)).toEqual(['other-1'])
    expect((await api('GET', `${repoPath}?sort=name`, `Bearer ${READ_TOKEN}`)).status).toBe(422)
  })

  test('a restore moves an entry up in last_accessed_at order', async () => {
    const token = branchRunToken(MAIN)
    await saveContent(token, 'lru-1', 'x')
    await saveContent(token, 'lru-2', 'y')
    await restoreContent(token, 'lru-1')
    const list = await api('GET', repoPath, `Bearer ${READ_TOKEN}`)
    expect(keysOf(list.body)).toEqual(['lru-1', 'lru-2'])
    const created = await api('GET', `${repoPath}?sort=created_at`, `Bearer ${READ_TOKEN}`)
    expect(keysOf(created.body)).toEqual(['lru-2', 'lru-1'])
  })

  test('delete by id and by key (optionally per ref)', async () => {
    seedThree()
    service.seed({ key: 'deps-1', version: 'b'.repeat(64), scope: FEATURE })
    const [first] = service.entries()
    expect(await api('DELETE', `${repoPath}/${first!.id}`, `Bearer ${WRITE_TOKEN}`)).toEqual({
      status: 204,
      body: undefined
    })
    expect((await api('DELETE', `${repoPath}/${first!.id}`, `Bearer ${WRITE_TOKEN}`)).status).toBe(
      404
    )

    service.seed({ key: 'deps-2', version: 'c'.repeat(64), scope: MAIN })
    const onlyMain = await api(
      'DELETE',
      `${repoPath}?key=deps-2&ref=${MAIN}`,
      `Bearer ${WRITE_TOKEN}`
    )
    expect(onlyMain.status).toBe(200)
    expect(onlyMain.body.actions_caches.map((c: { ref: string }) => c.ref)).toEqual([MAIN])
    // The key is exact, not a prefix.
    expect((await api('DELETE', `${repoPath}?key=deps-`, `Bearer ${WRITE_TOKEN}`)).status).toBe(404)
    const everywhere = await api('DELETE', `${repoPath}?key=deps-1`, `token ${WRITE_TOKEN}`)
    expect(everywhere.body).toMatchObject({ total_count: 1, actions_caches: [{ ref: FEATURE }] })
    expect(service.entries().map(e => `${e.key}@${e.scope}`)).toEqual([
      `deps-2@${FEATURE}`,
      `other-1@${MAIN}`
    ])
    expect(service.restCalls.map(c => [c.method, c.status])).toEqual([
      ['DELETE', 204],
      ['DELETE', 404],
      ['DELETE', 200],
      ['DELETE', 404],
      ['DELETE', 200]
    ])
  })

  test('credentials, permissions and the repository', async () => {
    seedThree()
    const id = service.entries()[0]!.id
    expect(await api('GET', repoPath)).toEqual({
      status: 401,
      body: { message: 'Bad credentials' }
    })
    expect((await api('GET', repoPath, 'Bearer ghs_unknown')).status).toBe(401)
    expect(await api('DELETE', `${repoPath}/${id}`, `Bearer ${READ_TOKEN}`)).toEqual({
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    expect((await api('DELETE', `${repoPath}?key=deps-1`, `Bearer ${READ_TOKEN}`)).status).toBe(403)
    expect(
      (await api('GET', '/repos/someone/else/actions/caches', `Bearer ${WRITE_TOKEN}`)).status
    ).toBe(404)
    expect(service.entries()).toHaveLength(3)
  })
})
