/**
 * The fault-injecting proxy in front of the cache-service fake: first its mechanics over plain
 * HTTP, then the real @actions/cache client through it, and how that client reacts to each fault.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import * as cache from '@actions/cache'
import { scratchDir } from './harness/paths.js'
import { branchRunToken, startCacheService, type FakeCacheService } from './fakes/cache-service.js'
import { on, startFaultProxy, type FaultProxy } from './fakes/fault-proxy.js'

const MAIN = 'refs/heads/main'
const REST_TOKEN = 'ghs_rest_write'
const TWIRP = '/twirp/github.actions.results.api.v1.CacheService/'
const CACHES = '/repos/octo-org/octo-repo/actions/caches'

let service: FakeCacheService
let proxy: FaultProxy
const savedCwd = process.cwd()
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
    restTokens: { [REST_TOKEN]: 'write' }
  })
})
afterAll(async () => {
  await service.close()
})
beforeEach(async () => {
  proxy = await startFaultProxy(service.resultsUrl)
})
afterEach(async () => {
  await proxy.close()
  service.reset()
})

/**
 * One client call as in a job step whose ACTIONS_RESULTS_URL is the proxy, in a fresh workspace
 * holding data/file.txt; the workflow commands it prints (stdout) are captured.
 */
async function inJob<T>(
  call: () => Promise<T>,
  content?: string
): Promise<{ result: T; output: string; workspace: string; ms: number }> {
  const workspace = scratchDir('fault-ws')
  if (content !== undefined) {
    mkdirSync(path.join(workspace, 'data'))
    writeFileSync(path.join(workspace, 'data', 'file.txt'), content)
  }
  setEnv({
    ACTIONS_CACHE_SERVICE_V2: 'true',
    ACTIONS_RESULTS_URL: proxy.url,
    ACTIONS_RUNTIME_TOKEN: branchRunToken(MAIN),
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: scratchDir('fault-temp')
  })
  process.chdir(workspace)
  const output: string[] = []
  const write = process.stdout.write
  process.stdout.write = ((chunk: string | Uint8Array) => {
    output.push(String(chunk))
    return true
  }) as typeof process.stdout.write
  const started = Date.now()
  try {
    const result = await call()
    return { result, output: output.join(''), workspace, ms: Date.now() - started }
  } finally {
    process.stdout.write = write
    process.chdir(savedCwd)
    setEnv(savedEnv)
  }
}

const save = (key: string, content = `content of ${key}`) =>
  inJob(() => cache.saveCache(['data'], key), content)

async function restore(key: string) {
  const job = await inJob(() => cache.restoreCache(['data'], key))
  const file = path.join(job.workspace, 'data', 'file.txt')
  const restored = job.result === undefined ? undefined : readFileSync(file, 'utf8')
  return { ...job, restored }
}

const warnings = (output: string) =>
  output
    .split('\n')
    .filter(line => line.startsWith('::warning::'))
    .map(line => line.slice('::warning::'.length))

/** Method, path without query, outcome and status of each logged request. */
const trace = () =>
  proxy.log.map(e => {
    const route = e.path.split('?')[0]!
    const short = route.startsWith(TWIRP)
      ? route.slice(TWIRP.length)
      : route.startsWith('/fakecacheaccount/')
        ? 'blob'
        : route
    return `${e.method} ${short} ${e.outcome} ${e.status ?? '-'}`
  })

async function twirpPost(method: string, body: unknown) {
  const response = await fetch(
    `${proxy.url}twirp/github.actions.results.api.v1.CacheService/${method}`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${branchRunToken(MAIN)}`
      },
      body: JSON.stringify(body)
    }
  )
  const text = await response.text()
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) }
}

/** A GET by node:http, keeping what arrived before the connection ended, however it ended. */
function rawGet(url: string) {
  return new Promise<{ status?: number; length?: string; received: number; error?: string }>(
    resolve => {
      const result: { status?: number; length?: string; received: number; error?: string } = {
        received: 0
      }
      const req = http.get(url, { agent: false }, res => {
        result.status = res.statusCode
        result.length = res.headers['content-length']
        res.on('data', (chunk: Buffer) => (result.received += chunk.length))
        res.on('error', error => (result.error = error.message))
        res.on('close', () => resolve(result))
      })
      req.on('error', error => {
        result.error = (error as NodeJS.ErrnoException).code ?? error.message
        resolve(result)
      })
    }
  )
}

describe('the proxy over plain HTTP', () => {
  test('twirp bodies get its own origin with a fixed content-length; blobs stream both ways', async () => {
    const version = 'a'.repeat(64)
    const created = await twirpPost('CreateCacheEntry', { key: 'plain-1', version })
    const uploadUrl = created.body.signed_upload_url as string
    expect(uploadUrl.startsWith(`${proxy.origin}/fakecacheaccount/actions-cache/`)).toBe(true)
    // Recomputed: the two ports need not have as many digits.
    expect(created.headers.get('content-length')).toBe(String(Buffer.byteLength(created.text)))

    // 3 MiB, sent chunked (no content-length), arrives whole.
    const blob = Buffer.alloc(3 * 1024 * 1024, 'x')
    const chunks = [blob.subarray(0, 1024 * 1024), blob.subarray(1024 * 1024)]
    const put = await fetch(uploadUrl, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: new ReadableStream({
        pull(controller) {
          const next = chunks.shift()
          if (next) controller.enqueue(next)
          else controller.close()
        }
      }),
      duplex: 'half'
    } as RequestInit)
    expect(put.status).toBe(201)
    expect(service.entries()[0]!.blob!.equals(blob)).toBe(true)

    await twirpPost('FinalizeCacheEntryUpload', {
      key: 'plain-1',
      version,
      size_bytes: String(blob.length)
    })
    const found = await twirpPost('GetCacheEntryDownloadURL', { key: 'plain-', version })
    const download = await fetch(found.body.signed_download_url as string)
    expect(download.headers.get('content-length')).toBe(String(blob.length))
    expect(Buffer.from(await download.arrayBuffer()).equals(blob)).toBe(true)

    const rest = await fetch(`${proxy.origin}${CACHES}?key=plain-`, {
      headers: { authorization: `Bearer ${REST_TOKEN}` }
    })
    expect(await rest.json()).toMatchObject({
      total_count: 1,
      actions_caches: [{ key: 'plain-1' }]
    })
    expect(trace()).toEqual([
      'POST CreateCacheEntry forwarded 200',
      'PUT blob forwarded 201',
      'POST FinalizeCacheEntryUpload forwarded 200',
      'POST GetCacheEntryDownloadURL forwarded 200',
      'GET blob forwarded 200',
      `GET ${CACHES} forwarded 200`
    ])
    expect(proxy.log[4]!.bytes).toBe(blob.length)
  })

  test('an injected status comes in the shape of the protocol, and upstream never sees it', async () => {
    proxy.add({ match: on.twirp(), action: { kind: 'status', status: 429 } })
    proxy.add({ match: on.blobDownload(), action: { kind: 'status', status: 404 } })
    proxy.add({ match: on.restList(), action: { kind: 'status', status: 403 } })
    proxy.add({
      match: on.restDelete(),
      action: {
        kind: 'status',
        status: 503,
        message: 'down for maintenance',
        headers: { 'retry-after': '7' }
      }
    })
    proxy.add({ match: on.blobUpload(), action: { kind: 'status', status: 400, body: 'not xml' } })

    expect(await twirpPost('CreateCacheEntry', { key: 'k', version: 'v' })).toMatchObject({
      status: 429,
      body: { code: 'resource_exhausted', msg: 'injected fault: Too Many Requests' }
    })
    const blob = await fetch(`${proxy.origin}/fakecacheaccount/actions-cache/abc?sp=r`)
    expect(blob.status).toBe(404)
    expect(blob.headers.get('x-ms-error-code')).toBe('BlobNotFound')
    expect(await blob.text()).toContain('<Error><Code>BlobNotFound</Code>')
    const list = await fetch(`${proxy.origin}${CACHES}?key=x`)
    expect([list.status, await list.json()]).toEqual([403, { message: 'Forbidden' }])
    const del = await fetch(`${proxy.origin}${CACHES}/12`, { method: 'DELETE' })
    expect([del.status, del.headers.get('retry-after'), await del.json()]).toEqual([
      503,
      '7',
      { message: 'down for maintenance' }
    ])
    const put = await fetch(`${proxy.origin}/fakecacheaccount/actions-cache/abc`, {
      method: 'PUT',
      body: Buffer.alloc(1024 * 1024)
    })
    expect([put.status, await put.text()]).toEqual([400, 'not xml'])

    expect(proxy.log.map(e => [e.outcome, e.status])).toEqual(
      Array(5).fill(['status', expect.any(Number)])
    )
    expect([service.twirpCalls, service.blobCalls, service.restCalls]).toEqual([[], [], []])
  })

  test('cut keeps the full content-length, sends N bytes and closes', async () => {
    const seeded = service.seed({
      key: 'cut-1',
      version: 'b'.repeat(64),
      scope: MAIN,
      blob: Buffer.alloc(50_000, 1)
    })
    const found = await twirpPost('GetCacheEntryDownloadURL', {
      key: 'cut-1',
      version: seeded.version
    })
    proxy.add({ match: on.blobDownload(), action: { kind: 'cut', afterBytes: 1000 } })
    const got = await rawGet(found.body.signed_download_url as string)
    expect(got).toEqual({ status: 200, length: '50000', received: 1000, error: 'aborted' })
    // A cut of a twirp body: the client gets a JSON fragment.
    proxy.add({ match: on.twirp(), action: { kind: 'cut', afterBytes: 0 } })
    const lookup = await fetch(
      `${proxy.url}twirp/github.actions.results.api.v1.CacheService/GetCacheEntryDownloadURL`,
      {
        method: 'POST'
      }
    )
    expect(lookup.headers.get('content-length')).not.toBe('0')
    await expect(lookup.text()).rejects.toThrow('terminated')
    expect(proxy.log.map(e => [e.outcome, e.status, e.bytes])).toEqual([
      ['forwarded', 200, expect.any(Number)],
      ['cut', 200, 1000],
      ['cut', 401, 0]
    ])
  })

  test('reset, delay, stall with ms, and a failing upstream', async () => {
    proxy.add({ match: r => r.path === '/reset', action: { kind: 'reset' } })
    proxy.add({ match: r => r.path === '/delay', action: { kind: 'delay', ms: 300 } })
    proxy.add({ match: r => r.path === '/stall', action: { kind: 'stall', ms: 300 } })
    expect(await rawGet(`${proxy.origin}/reset`)).toEqual({ received: 0, error: 'ECONNRESET' })
    for (const route of ['/delay', '/stall']) {
      const started = Date.now()
      expect(await rawGet(`${proxy.origin}${route}`)).toMatchObject({ status: 404 })
      expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    }
    await service.down()
    try {
      expect(await rawGet(`${proxy.origin}${CACHES}`)).toEqual({ received: 0, error: 'ECONNRESET' })
    } finally {
      await service.up()
    }
    expect(proxy.log.map(e => [e.path, e.outcome, e.status])).toEqual([
      ['/reset', 'reset', undefined],
      ['/delay', 'delay', 404],
      ['/stall', 'stall', 404],
      [CACHES, 'forwarded', undefined]
    ])
    expect(proxy.log[3]!.upstreamError).toBe('ECONNREFUSED')
  })
})

describe('the real client through the proxy', () => {
  test('a save and restore round trip, blobs included, all through the proxy', async () => {
    const saved = await save('trip-1', 'through the proxy')
    expect(saved.result).toBeGreaterThan(0)
    const restored = await restore('trip-1')
    expect(restored).toMatchObject({ result: 'trip-1', restored: 'through the proxy' })
    expect(trace()).toEqual([
      'POST CreateCacheEntry forwarded 200',
      'PUT blob forwarded 201',
      'POST FinalizeCacheEntryUpload forwarded 200',
      'POST GetCacheEntryDownloadURL forwarded 200',
      'GET blob forwarded 200'
    ])
    expect(service.blobCalls.map(c => c.operation)).toEqual(['put-blob', 'get'])
  })

  test('429 on the lookup: a miss with a "Failed to restore" warning, not retried', async () => {
    await save('limited-1')
    proxy.clear()
    proxy.add({
      match: on.twirp('GetCacheEntryDownloadURL'),
      action: { kind: 'status', status: 429 }
    })
    const restored = await restore('limited-1')
    expect(restored.result).toBeUndefined()
    expect(warnings(restored.output)).toEqual([
      'Failed to restore: Failed to GetCacheEntryDownloadURL: Rate limited: Failed request: (429) Too Many Requests: injected fault: Too Many Requests'
    ])
    expect(trace()).toEqual(['POST GetCacheEntryDownloadURL status 429'])
  })

  test('429 with retry-after on CreateCacheEntry: -1, a rate-limit warning, an info with another reason', async () => {
    proxy.add({
      match: on.twirp('CreateCacheEntry'),
      action: { kind: 'status', status: 429, headers: { 'retry-after': '30' } }
    })
    const saved = await save('limited-2')
    expect(saved.result).toBe(-1)
    expect(warnings(saved.output)).toEqual([
      "You've hit a rate limit, your rate limit will reset in 30 seconds"
    ])
    expect(saved.output).toContain(
      'Failed to save: Unable to reserve cache with key limited-2, another job may be creating this cache.'
    )
    expect(trace()).toEqual(['POST CreateCacheEntry status 429'])
  })

  test('a cut blob download: a miss with the warning "aborted", not retried', async () => {
    await save('cut-2', 'x'.repeat(10_000))
    proxy.clear()
    proxy.add({ match: on.blobDownload(), action: { kind: 'cut', afterBytes: 20 } })
    const restored = await restore('cut-2')
    expect(restored.result).toBeUndefined()
    expect(restored.restored).toBeUndefined()
    // The stream error comes before the client's own "Incomplete download" length check.
    expect(warnings(restored.output)).toEqual(['Failed to restore: aborted'])
    expect(trace()).toEqual(['POST GetCacheEntryDownloadURL forwarded 200', 'GET blob cut 200'])
    expect(proxy.log[1]!.bytes).toBe(20)
  })

  test('a reset on CreateCacheEntry: save returns -1 at once, at info level only', async () => {
    proxy.add({ match: on.twirp('CreateCacheEntry'), action: { kind: 'reset' } })
    const saved = await save('reset-1')
    expect(saved.result).toBe(-1)
    expect(saved.ms).toBeLessThan(2000)
    expect(warnings(saved.output)).toEqual([])
    expect(saved.output).toContain(
      'Failed to save: Unable to reserve cache with key reset-1, another job may be creating this cache.'
    )
    // The real reason is at debug level only.
    expect(saved.output).toContain(
      '::debug::Failed to reserve cache: Error: Failed to CreateCacheEntry: Unable to make request: ECONNRESET'
    )
    expect(service.entries()).toEqual([])
    expect(trace()).toEqual(['POST CreateCacheEntry reset -'])
  })

  test('a stalled lookup hangs the client (no timeout) until close() drops the connection', async () => {
    await save('stall-1')
    proxy.clear()
    proxy.add({ match: on.twirp('GetCacheEntryDownloadURL'), action: { kind: 'stall' } })
    let settled = false
    const pending = restore('stall-1').finally(() => (settled = true))
    await proxy.waitFor(e => e.outcome === 'stall')
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(settled).toBe(false)
    const closing = Date.now()
    await proxy.close()
    const restored = await pending
    expect(Date.now() - closing).toBeLessThan(1000)
    expect(restored.result).toBeUndefined()
    expect(warnings(restored.output)).toEqual([
      expect.stringMatching(
        /^Failed to restore: Failed to GetCacheEntryDownloadURL: Unable to make request: ECONNRESET%0AIf you are using self-hosted runners/
      )
    ])
    await expect(proxy.waitFor(() => false)).rejects.toThrow('the fault proxy is closed')
  })

  test('times: 1 faults the first matching request only', async () => {
    await save('once-1')
    proxy.clear()
    proxy.add({
      match: on.twirp('GetCacheEntryDownloadURL'),
      action: { kind: 'status', status: 429 },
      times: 1
    })
    expect((await restore('once-1')).result).toBeUndefined()
    expect(await restore('once-1')).toMatchObject({
      result: 'once-1',
      restored: 'content of once-1'
    })
    expect(trace()).toEqual([
      'POST GetCacheEntryDownloadURL status 429',
      'POST GetCacheEntryDownloadURL forwarded 200',
      'GET blob forwarded 200'
    ])
  })

  test('a 403 on the blob upload: -1 with two warnings, and the reservation stays pending', async () => {
    proxy.add({ match: on.blobUpload(), action: { kind: 'status', status: 403 } })
    const saved = await save('upload-1')
    expect(saved.result).toBe(-1)
    // The Azure SDK takes the message out of the XML error; it does not retry a 403.
    expect(warnings(saved.output)).toEqual([
      'uploadCacheArchiveSDK: internal error uploading cache archive: injected fault: Forbidden',
      'Failed to save: injected fault: Forbidden'
    ])
    expect(trace()).toEqual(['POST CreateCacheEntry forwarded 200', 'PUT blob status 403'])
    expect(service.entries()).toMatchObject([{ key: 'upload-1', state: 'pending' }])
  })

  test('one 500 on the lookup is retried after 3 s, then succeeds', async () => {
    await save('retry-1')
    proxy.clear()
    proxy.add({
      match: on.twirp('GetCacheEntryDownloadURL'),
      action: { kind: 'status', status: 500 },
      times: 1
    })
    const restored = await restore('retry-1')
    expect(restored.result).toBe('retry-1')
    expect(restored.output).toContain(
      'Attempt 1 of 5 failed with error: Failed request: (500) Internal Server Error: injected fault: Internal Server Error. Retrying request in 3000 ms...'
    )
    expect(warnings(restored.output)).toEqual([])
    const [first, second] = proxy.log
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(3000)
  })
})
