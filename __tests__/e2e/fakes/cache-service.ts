/**
 * A loopback fake of the GitHub Actions cache service as the real @actions/cache 6 client talks to
 * it (v2: twirp JSON, then Azure Blob uploads and plain downloads at signed URLs), and of the REST
 * endpoints for caches, on one plain-HTTP server over the same store. The REST endpoints (caches,
 * and the collaborator permission of fakes/collaborators.ts) answer on a second listener as well,
 * `apiUrl`: on GitHub the REST API is another host than the results service, and stays up when the
 * service is down(). See actions-runtime-facts.md for what the real service does and how the client
 * reacts to it.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { makeJwt } from './authority.js'
import { fakeCollaborators, type FakeCollaborators } from './collaborators.js'

/** Permission bits of a scope in the runtime token's `ac` claim. */
export const Permission = { Read: 1, Write: 2 } as const

export interface ScopePermission {
  /** A ref, e.g. refs/heads/main or refs/pull/7/merge. */
  readonly scope: string
  readonly permission: number
}

/** An ACTIONS_RUNTIME_TOKEN as the runner gets it, unsigned: the cache scopes are in `ac`. */
export function runtimeToken(scopes: readonly ScopePermission[]): string {
  const ac = scopes.map(s => ({ Scope: s.scope, Permission: s.permission }))
  // `ac` is a JSON string inside the JWT, not an array.
  return makeJwt({ ac: JSON.stringify(ac), iss: 'vstoken.actions.githubusercontent.com' })
}

const readWrite = Permission.Read | Permission.Write

/** A push (or dispatch) run on `ref`: writes its own branch, also reads the default branch. */
export function branchRunToken(ref: string, defaultBranch = 'refs/heads/main'): string {
  return runtimeToken(
    ref === defaultBranch
      ? [{ scope: ref, permission: readWrite }]
      : [
          { scope: ref, permission: readWrite },
          { scope: defaultBranch, permission: Permission.Read }
        ]
  )
}

/** A pull-request run: writes refs/pull/N/merge, reads its base and the default branch. */
export function pullRequestRunToken(
  prNumber: number,
  baseRef: string,
  defaultBranch = 'refs/heads/main'
): string {
  return runtimeToken([
    { scope: `refs/pull/${prNumber}/merge`, permission: readWrite },
    { scope: baseRef, permission: Permission.Read },
    { scope: defaultBranch, permission: Permission.Read }
  ])
}

/** A lower-trust run (e.g. from a fork): may restore, may not save. */
export function readOnlyToken(ref: string, defaultBranch = 'refs/heads/main'): string {
  const refs = ref === defaultBranch ? [ref] : [ref, defaultBranch]
  return runtimeToken(refs.map(scope => ({ scope, permission: Permission.Read })))
}

/** What the tests see of an entry: a snapshot. */
export interface CacheEntryView {
  readonly id: number
  readonly key: string
  readonly version: string
  /** The ref that owns the entry: the write scope of the run that created it. */
  readonly scope: string
  readonly state: 'pending' | 'finalized'
  /** Bytes uploaded so far (pending) or the finalized size. */
  readonly sizeBytes: number
  /** 1, 2, ... in order of finalization; undefined while pending. */
  readonly createdOrder: number | undefined
  readonly createdAt: Date | undefined
  readonly lastAccessedAt: Date | undefined
  readonly blob: Buffer | undefined
}

export interface TwirpCall {
  readonly method: string
  readonly status: number
  /** The JSON body as the client sent it (snake_case proto names). */
  readonly request: unknown
  /** The decoded `ac` claim of the bearer token, when there was one. */
  readonly scopes: readonly ScopePermission[] | undefined
}

export type BlobOperation = 'put-blob' | 'put-block' | 'put-block-list' | 'get' | 'head' | 'unknown'

export interface BlobCall {
  readonly operation: BlobOperation
  readonly status: number
  /** Request body size for writes, response body size for reads. */
  readonly bytes: number
}

export interface RestCall {
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  readonly status: number
}

export type RestPermission = 'read' | 'write'

export interface CacheServiceOptions {
  /** The `owner/repo` the REST paths must name. */
  repository?: string
  /** REST tokens (the GITHUB_TOKEN of a run) and their `actions` permission. */
  restTokens?: Readonly<Record<string, RestPermission>>
  /** Who has which permission on the repository; JOB_ACTOR is an admin by default. */
  collaborators?: FakeCollaborators
}

export interface SeedEntry {
  key: string
  version: string
  scope: string
  blob?: Buffer
}

export interface FakeCacheService {
  /** For ACTIONS_RESULTS_URL: http://127.0.0.1:PORT/ (the client drops any path of it). */
  readonly resultsUrl: string
  /** For GITHUB_API_URL: http://127.0.0.1:PORT of the REST listener (not closed by down()). */
  readonly apiUrl: string
  /** The collaborator permission endpoint: its roles, faults and requests. */
  readonly collaborators: FakeCollaborators
  readonly repository: string
  readonly twirpCalls: TwirpCall[]
  readonly blobCalls: BlobCall[]
  readonly restCalls: RestCall[]
  /**
   * When set, every twirp call is answered with this HTTP status and a twirp error. The client
   * retries 500/502/503/504 with 3 s+ backoff: prefer 4xx, or down(), in fast tests.
   */
  failTwirpWith: number | undefined
  /** When set, every blob request gets this HTTP status and an Azure error (the SDK retries 5xx). */
  failBlobWith: number | undefined
  /** How many twirp calls of this method arrived (whatever the answer). */
  callCount(method: string): number
  /** Every entry, pending ones included, in order of reservation. */
  entries(): CacheEntryView[]
  /** A finalized entry put straight into the store, as if a run had saved it. */
  seed(entry: SeedEntry): CacheEntryView
  /** Forget entries, logs and failure injection. */
  reset(): void
  /**
   * Close the results service's listener and every connection: clients get ECONNREFUSED. The REST
   * listener (apiUrl) stays up, as api.github.com does when the cache service fails.
   */
  down(): Promise<void>
  /** Listen again on the same port. */
  up(): Promise<void>
  close(): Promise<void>
}

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.CacheService/'
// Path-style blob URLs on an IP host, as Azurite serves them, so the Azure SDK parses them.
const BLOB_PREFIX = '/fakecacheaccount/actions-cache/'
const REST_PATH = /^\/repos\/([^/]+\/[^/]+)\/actions\/caches(?:\/([^/]+))?$/
const MAX_KEY_LENGTH = 512

interface StoredEntry {
  readonly id: number
  readonly key: string
  readonly version: string
  readonly scope: string
  /** Names the blob in the signed URLs. */
  readonly blobName: string
  readonly uploadSig: string
  readonly downloadSig: string
  blob: Buffer | undefined
  /** Put Block stages here until Put Block List commits. */
  readonly blocks: Map<string, Buffer>
  blobModifiedAt: Date | undefined
  finalized: { order: number; createdAt: Date; sizeBytes: number } | undefined
  lastAccessedAt: Date | undefined
}

interface Reply {
  status: number
  headers: Record<string, string>
  body: string | Buffer
}

const json = (status: number, body: unknown): Reply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body)
})

/** Twirp error codes by HTTP status (twirp's own mapping). */
export const TWIRP_CODES: Record<number, string> = {
  400: 'invalid_argument',
  401: 'unauthenticated',
  403: 'permission_denied',
  404: 'not_found',
  408: 'canceled',
  409: 'already_exists',
  412: 'failed_precondition',
  429: 'resource_exhausted',
  500: 'internal',
  501: 'unimplemented',
  503: 'unavailable',
  504: 'deadline_exceeded'
}

const twirpError = (status: number, msg: string, code = TWIRP_CODES[status] ?? 'unknown'): Reply =>
  json(status, { code, msg })

/** The `ac` claim of a bearer token, or undefined when there is no decodable one. */
export function decodeCacheScopes(
  authorization: string | undefined
): ScopePermission[] | undefined {
  const parts = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1]?.split('.')
  if (parts?.length !== 3 || parts.some(part => part === '')) return undefined
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as {
      ac?: unknown
    }
    if (typeof claims.ac !== 'string') return undefined
    const ac: unknown = JSON.parse(claims.ac)
    if (!Array.isArray(ac)) return undefined
    return ac.flatMap((item: { Scope?: unknown; Permission?: unknown }) =>
      typeof item?.Scope === 'string' && typeof item.Permission === 'number'
        ? [{ scope: item.Scope, permission: item.Permission }]
        : []
    )
  } catch {
    return undefined
  }
}

/** Where a run may write (the first writable scope) and read (own scope first, then as listed). */
function accessOf(scopes: readonly ScopePermission[]): {
  writeScope: string | undefined
  readScopes: string[]
} {
  const writeScope = scopes.find(s => (s.permission & Permission.Write) !== 0)?.scope
  const readable = scopes.filter(s => (s.permission & Permission.Read) !== 0).map(s => s.scope)
  const readScopes =
    writeScope !== undefined && readable.includes(writeScope)
      ? [writeScope, ...readable.filter(s => s !== writeScope)]
      : readable
  return { writeScope, readScopes: [...new Set(readScopes)] }
}

export async function startCacheService(
  options: CacheServiceOptions = {}
): Promise<FakeCacheService> {
  const repository = options.repository ?? 'octo-org/octo-repo'
  const restTokens = options.restTokens ?? {}
  const collaborators = options.collaborators ?? fakeCollaborators()
  const store: StoredEntry[] = []
  const twirpCalls: TwirpCall[] = []
  const blobCalls: BlobCall[] = []
  const restCalls: RestCall[] = []
  const failures: { twirp: number | undefined; blob: number | undefined } = {
    twirp: undefined,
    blob: undefined
  }
  let nextId = 1
  let finalizedCount = 0
  // Timestamps strictly increase, so "newest" and the REST sorts never tie.
  let lastTime = 0
  const tick = () => {
    lastTime = Math.max(Date.now(), lastTime + 1)
    return new Date(lastTime)
  }
  let port = 0
  const origin = () => `http://127.0.0.1:${port}`

  const reserve = (key: string, version: string, scope: string): StoredEntry => {
    const entry: StoredEntry = {
      id: nextId++,
      key,
      version,
      scope,
      blobName: randomBytes(16).toString('hex'),
      uploadSig: randomBytes(16).toString('base64url'),
      downloadSig: randomBytes(16).toString('base64url'),
      blob: undefined,
      blocks: new Map(),
      blobModifiedAt: undefined,
      finalized: undefined,
      lastAccessedAt: undefined
    }
    store.push(entry)
    return entry
  }
  const finalize = (entry: StoredEntry, sizeBytes: number) => {
    const createdAt = tick()
    entry.finalized = { order: ++finalizedCount, createdAt, sizeBytes }
    entry.lastAccessedAt = createdAt
  }
  const blobUrl = (entry: StoredEntry, sp: 'cw' | 'r') =>
    `${origin()}${BLOB_PREFIX}${entry.blobName}?sv=2025-01-05&sr=b&sp=${sp}` +
    `&sig=${sp === 'r' ? entry.downloadSig : entry.uploadSig}`

  // ---- twirp ----

  const twirp = (method: string, request: unknown, scopes: ScopePermission[]): Reply => {
    const body = (request ?? {}) as Record<string, unknown>
    const key = typeof body.key === 'string' ? body.key : ''
    const version = typeof body.version === 'string' ? body.version : ''
    if (!key || !version) return twirpError(400, 'key and version are required')
    if (key.length > MAX_KEY_LENGTH) return twirpError(400, 'key is too long')
    const { writeScope, readScopes } = accessOf(scopes)
    const denied = {
      ok: false,
      message: 'cache write denied: the runtime token grants no cache scope with write permission'
    }
    const pendingOrDone = (e: StoredEntry) =>
      e.scope === writeScope && e.key === key && e.version === version

    switch (method) {
      case 'CreateCacheEntry': {
        // A policy denial is a normal answer, not a twirp error: the client dispatches on the prefix.
        if (writeScope === undefined) return json(200, denied)
        if (store.some(pendingOrDone)) {
          return twirpError(409, 'cache entry with the same key, version, and scope already exists')
        }
        const entry = reserve(key, version, writeScope)
        return json(200, { ok: true, signed_upload_url: blobUrl(entry, 'cw') })
      }
      case 'FinalizeCacheEntryUpload': {
        if (writeScope === undefined) return json(200, denied)
        const entry = store.find(pendingOrDone)
        // int64 travels as a JSON string in proto3 JSON; accept a number too.
        const size = Number(body.size_bytes)
        const fail = (message: string) => json(200, { ok: false, message })
        if (!entry) return fail('no cache entry with this key and version is being created')
        if (entry.finalized) return fail('the cache entry is already finalized')
        if (entry.blob === undefined) return fail('nothing was uploaded for this cache entry')
        if (!Number.isSafeInteger(size) || size !== entry.blob.length) {
          return fail(`size_bytes ${String(body.size_bytes)} != uploaded ${entry.blob.length}`)
        }
        finalize(entry, size)
        return json(200, { ok: true, entry_id: String(entry.id) })
      }
      case 'GetCacheEntryDownloadURL': {
        if (readScopes.length === 0) {
          return twirpError(
            403,
            'cache read denied: the runtime token grants no cache scope with read permission'
          )
        }
        const restoreKeys = Array.isArray(body.restore_keys)
          ? body.restore_keys.filter((k): k is string => typeof k === 'string')
          : []
        const hit = lookup(readScopes, [key, ...restoreKeys], version)
        if (!hit) return json(200, { ok: false })
        hit.lastAccessedAt = tick()
        return json(200, { ok: true, signed_download_url: blobUrl(hit, 'r'), matched_key: hit.key })
      }
      default:
        return twirpError(404, `no such method: ${method}`, 'bad_route')
    }
  }

  /** GitHub's order: scope by scope; in each, key by key: exact match, else the newest by prefix. */
  const lookup = (scopes: string[], keys: string[], version: string): StoredEntry | undefined => {
    for (const scope of scopes) {
      const candidates = store.filter(
        e => e.finalized && e.scope === scope && e.version === version
      )
      for (const key of keys) {
        const exact = candidates.find(e => e.key === key)
        if (exact) return exact
        const byPrefix = candidates
          .filter(e => e.key.startsWith(key))
          .sort((a, b) => b.finalized!.order - a.finalized!.order)[0]
        if (byPrefix) return byPrefix
      }
    }
    return undefined
  }

  const handleTwirp = (req: http.IncomingMessage, method: string, raw: Buffer): Reply => {
    let request: unknown
    try {
      request = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : {}
    } catch {
      request = raw.toString('utf8')
    }
    const scopes = decodeCacheScopes(req.headers.authorization)
    const reply = (() => {
      if (failures.twirp !== undefined) return twirpError(failures.twirp, 'injected failure')
      if (req.method !== 'POST') return twirpError(404, 'twirp wants POST', 'bad_route')
      if (!scopes) return twirpError(401, 'missing or invalid runtime token')
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return twirpError(404, 'this fake speaks twirp JSON only', 'bad_route')
      }
      if (typeof request !== 'object' || request === null) {
        return twirpError(400, 'the body is not a JSON object', 'malformed')
      }
      return twirp(method, request, scopes)
    })()
    twirpCalls.push({ method, status: reply.status, request, scopes })
    return reply
  }

  // ---- Azure Blob subset ----

  const azureError = (status: number, code: string, message: string): Reply => ({
    status,
    headers: { 'content-type': 'application/xml', 'x-ms-error-code': code },
    body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`
  })

  const blobHeaders = (req: http.IncomingMessage, entry: StoredEntry): Record<string, string> => ({
    etag: `"0x${(entry.blobModifiedAt?.getTime() ?? 0).toString(16).toUpperCase()}"`,
    'last-modified': (entry.blobModifiedAt ?? new Date()).toUTCString(),
    'x-ms-request-id': randomUUID(),
    'x-ms-version': String(req.headers['x-ms-version'] ?? '2025-01-05'),
    date: new Date().toUTCString()
  })

  const blobOperation = (method: string | undefined, comp: string | null): BlobOperation => {
    if (method === 'GET') return 'get'
    if (method === 'HEAD') return 'head'
    if (method !== 'PUT') return 'unknown'
    if (comp === null) return 'put-blob'
    if (comp === 'block') return 'put-block'
    if (comp === 'blocklist') return 'put-block-list'
    return 'unknown'
  }

  const blob = (req: http.IncomingMessage, url: URL, operation: BlobOperation, body: Buffer) => {
    if (failures.blob !== undefined) {
      return azureError(failures.blob, 'InjectedFailure', 'injected failure')
    }
    const name = url.pathname.slice(BLOB_PREFIX.length)
    const entry = store.find(e => e.blobName === name)
    if (!entry) return azureError(404, 'BlobNotFound', 'The specified blob does not exist.')
    const sig = url.searchParams.get('sig')
    const reading = operation === 'get' || operation === 'head'
    // Each URL carries its own signature: the upload URL cannot read and vice versa.
    if (sig !== (reading ? entry.downloadSig : entry.uploadSig)) {
      return azureError(403, 'AuthenticationFailed', 'Signature did not match.')
    }
    if (reading) {
      if (!entry.finalized || entry.blob === undefined) {
        return azureError(404, 'BlobNotFound', 'The specified blob does not exist.')
      }
      return {
        status: 200,
        headers: {
          ...blobHeaders(req, entry),
          'content-type': 'application/octet-stream',
          'content-length': String(entry.blob.length),
          'x-ms-blob-type': 'BlockBlob'
        },
        body: operation === 'head' ? '' : entry.blob
      }
    }
    // Entries are immutable: once finalized, the upload URL no longer authorizes writes.
    if (entry.finalized) {
      return azureError(403, 'AuthorizationPermissionMismatch', 'The cache entry is finalized.')
    }
    switch (operation) {
      case 'put-blob': {
        if (req.headers['x-ms-blob-type'] !== 'BlockBlob') {
          return azureError(400, 'MissingRequiredHeader', 'x-ms-blob-type: BlockBlob is required.')
        }
        entry.blob = body
        entry.blocks.clear()
        break
      }
      case 'put-block': {
        const blockId = url.searchParams.get('blockid')
        if (!blockId) return azureError(400, 'InvalidQueryParameterValue', 'blockid is required.')
        entry.blocks.set(blockId, body)
        return { status: 201, headers: blobHeaders(req, entry), body: '' }
      }
      case 'put-block-list': {
        // <BlockList><Latest>id</Latest>...</BlockList> (also Committed/Uncommitted).
        const ids = [
          ...body.toString('utf8').matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)
        ].map(m => m[2]!)
        const parts = ids.map(id => entry.blocks.get(id))
        if (parts.some(part => part === undefined)) {
          return azureError(400, 'InvalidBlockList', 'The specified block list is invalid.')
        }
        entry.blob = Buffer.concat(parts as Buffer[])
        entry.blocks.clear()
        break
      }
      default:
        return azureError(400, 'UnsupportedHttpVerb', 'This fake does not do that.')
    }
    entry.blobModifiedAt = tick()
    return {
      status: 201,
      headers: {
        ...blobHeaders(req, entry),
        'content-md5': createHash('md5').update(entry.blob).digest('base64'),
        'x-ms-request-server-encrypted': 'true'
      },
      body: ''
    }
  }

  const handleBlob = (req: http.IncomingMessage, url: URL, body: Buffer): Reply => {
    const operation = blobOperation(req.method, url.searchParams.get('comp'))
    const reply = blob(req, url, operation, body)
    const bytes = operation === 'get' ? reply.body.length : body.length
    blobCalls.push({ operation, status: reply.status, bytes })
    return reply
  }

  // ---- REST ----

  const restEntry = (e: StoredEntry) => ({
    id: e.id,
    ref: e.scope,
    key: e.key,
    version: e.version,
    last_accessed_at: e.lastAccessedAt!.toISOString(),
    created_at: e.finalized!.createdAt.toISOString(),
    size_in_bytes: e.finalized!.sizeBytes
  })

  const SORTS: Record<string, (e: StoredEntry) => number> = {
    created_at: e => e.finalized!.order,
    last_accessed_at: e => e.lastAccessedAt!.getTime(),
    size_in_bytes: e => e.finalized!.sizeBytes
  }

  const rest = (req: http.IncomingMessage, url: URL): Reply => {
    const header = req.headers.authorization ?? ''
    const token = /^(?:Bearer|token) (\S+)$/i.exec(header)?.[1]
    const permission = token === undefined ? undefined : restTokens[token]
    if (permission === undefined) return json(401, { message: 'Bad credentials' })
    const match = REST_PATH.exec(url.pathname)
    if (!match || match[1]!.toLowerCase() !== repository.toLowerCase()) {
      return json(404, { message: 'Not Found' })
    }
    const cacheId = match[2]
    const q = url.searchParams
    const finalized = store.filter(e => e.finalized)
    const listShape = (entries: StoredEntry[]) => ({
      total_count: entries.length,
      actions_caches: entries.map(restEntry)
    })
    if (req.method === 'GET' && cacheId === undefined) {
      const sort = q.get('sort') ?? 'last_accessed_at'
      const direction = q.get('direction') ?? 'desc'
      const perPage = Math.min(Number(q.get('per_page') ?? 30), 100)
      const page = Number(q.get('page') ?? 1)
      const sortKey = SORTS[sort]
      if (!sortKey || (direction !== 'asc' && direction !== 'desc')) {
        return json(422, { message: 'Validation Failed' })
      }
      if (!Number.isInteger(perPage) || perPage < 1 || !Number.isInteger(page) || page < 1) {
        return json(422, { message: 'Validation Failed' })
      }
      const key = q.get('key')
      const ref = q.get('ref')
      const sign = direction === 'asc' ? 1 : -1
      const matching = finalized
        .filter(e => (key === null || e.key.startsWith(key)) && (ref === null || e.scope === ref))
        .sort((a, b) => sign * (sortKey(a) - sortKey(b)))
      return json(200, {
        total_count: matching.length,
        actions_caches: matching.slice((page - 1) * perPage, page * perPage).map(restEntry)
      })
    }
    if (req.method !== 'DELETE') return json(404, { message: 'Not Found' })
    if (permission !== 'write') {
      return json(403, { message: 'Resource not accessible by integration' })
    }
    const remove = (doomed: StoredEntry[]) => {
      for (const e of doomed) store.splice(store.indexOf(e), 1)
    }
    if (cacheId !== undefined) {
      const entry = finalized.find(e => String(e.id) === cacheId)
      if (!entry) return json(404, { message: 'Not Found' })
      remove([entry])
      return { status: 204, headers: {}, body: '' }
    }
    const key = q.get('key')
    if (!key) return json(422, { message: 'Validation Failed' })
    const ref = q.get('ref')
    const doomed = finalized.filter(e => e.key === key && (ref === null || e.scope === ref))
    if (doomed.length === 0) return json(404, { message: 'Not Found' })
    remove(doomed)
    return json(200, listShape(doomed))
  }

  const handleRest = (req: http.IncomingMessage, url: URL): Reply => {
    const reply = rest(req, url)
    restCalls.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: reply.status
    })
    return reply
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const body = Buffer.concat(chunks)
      if (collaborators.handle(req, res, url)) return
      const reply = url.pathname.startsWith(TWIRP_PREFIX)
        ? handleTwirp(req, url.pathname.slice(TWIRP_PREFIX.length), body)
        : url.pathname.startsWith(BLOB_PREFIX)
          ? handleBlob(req, url, body)
          : url.pathname.startsWith('/repos/')
            ? handleRest(req, url)
            : json(404, { message: 'Not Found' })
      res.writeHead(reply.status, reply.headers).end(reply.body)
    })
  })

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  const stop = () =>
    new Promise<void>(resolve => {
      if (!server.listening) return resolve()
      server.close(() => resolve())
      server.closeAllConnections()
    })

  await listen()
  port = (server.address() as AddressInfo).port

  // The REST API's own listener: caches and collaborator permissions only.
  const api = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      if (collaborators.handle(req, res, url)) return
      const reply = url.pathname.startsWith('/repos/')
        ? handleRest(req, url)
        : json(404, { message: 'Not Found' })
      res.writeHead(reply.status, reply.headers).end(reply.body)
    })
  })
  await new Promise<void>(resolve => api.listen(0, '127.0.0.1', resolve))
  const apiPort = (api.address() as AddressInfo).port

  const view = (e: StoredEntry): CacheEntryView => ({
    id: e.id,
    key: e.key,
    version: e.version,
    scope: e.scope,
    state: e.finalized ? 'finalized' : 'pending',
    sizeBytes: e.finalized?.sizeBytes ?? e.blob?.length ?? 0,
    createdOrder: e.finalized?.order,
    createdAt: e.finalized?.createdAt,
    lastAccessedAt: e.lastAccessedAt,
    blob: e.blob
  })

  const service = {
    resultsUrl: `${origin()}/`,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    collaborators,
    repository,
    twirpCalls,
    blobCalls,
    restCalls,
    get failTwirpWith() {
      return failures.twirp
    },
    set failTwirpWith(status: number | undefined) {
      failures.twirp = status
    },
    get failBlobWith() {
      return failures.blob
    },
    set failBlobWith(status: number | undefined) {
      failures.blob = status
    },
    callCount: (method: string) => twirpCalls.filter(c => c.method === method).length,
    entries: () => store.map(view),
    seed: ({ key, version, scope, blob = Buffer.from(key) }: SeedEntry) => {
      const entry = reserve(key, version, scope)
      entry.blob = blob
      entry.blobModifiedAt = tick()
      finalize(entry, blob.length)
      return view(entry)
    },
    reset: () => {
      store.length = 0
      twirpCalls.length = 0
      blobCalls.length = 0
      restCalls.length = 0
      failures.twirp = undefined
      failures.blob = undefined
      collaborators.reset()
    },
    down: stop,
    up: () => (server.listening ? Promise.resolve() : listen()),
    close: async () => {
      await stop()
      await new Promise<void>(resolve => {
        api.close(() => resolve())
        api.closeAllConnections()
      })
    }
  }
  return service
}
