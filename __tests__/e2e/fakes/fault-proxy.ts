/**
 * A loopback HTTP proxy in front of the cache-service fake that injects faults: error statuses,
 * resets, stalls, cut bodies and delays, per request, chosen by rules. It rewrites the upstream
 * origin in forwarded bodies and headers to its own, so that the signed blob URLs the twirp calls
 * return lead back through it and blob traffic can be faulted too.
 */
import { TWIRP_CODES } from './cache-service.js'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export type FaultAction =
  /**
   * Answer this status without asking upstream, in the protocol's error shape: twirp JSON
   * `{code, msg}`, an Azure XML error for blobs, GitHub JSON `{message}` otherwise. `body`
   * replaces the whole body verbatim; `message` only the text inside the usual shape.
   */
  | {
      kind: 'status'
      status: number
      body?: string
      message?: string
      headers?: Record<string, string>
    }
  /** Destroy the client socket (with a TCP RST) without any response. */
  | { kind: 'reset' }
  /** Accept and read the request, never answer; or, with `ms`, forward normally after ms. */
  | { kind: 'stall'; ms?: number }
  /** Forward, but send only the first N body bytes (headers keep the full length), then destroy. */
  | { kind: 'cut'; afterBytes: number }
  /** Forward normally after a delay. */
  | { kind: 'delay'; ms: number }

export interface FaultRequest {
  readonly method: string
  /** The request target: path with query. */
  readonly path: string
}

export type FaultMatcher = (request: FaultRequest) => boolean

export interface FaultRule {
  /** Which requests: a predicate over method and path (path with query), or a matcher of `on`. */
  match: FaultMatcher
  action: FaultAction
  /** Apply to the first N matching requests only (default: every matching request). */
  times?: number
}

export type FaultOutcome = 'forwarded' | FaultAction['kind']

export interface FaultLogEntry {
  readonly method: string
  readonly path: string
  readonly outcome: FaultOutcome
  /** Date.now() at arrival, to see a client's retry timing. */
  readonly at: number
  /** The status the client got, once the response head went out (none for reset or stall). */
  status?: number
  /** Response body bytes sent to the client, once the response is over (cut or whole). */
  bytes?: number
  /** Set when the upstream request failed (e.g. ECONNREFUSED); the client socket was reset. */
  upstreamError?: string
}

export interface FaultProxy {
  /** http://127.0.0.1:PORT/ (use as ACTIONS_RESULTS_URL). */
  readonly url: string
  /** http://127.0.0.1:PORT (use as GITHUB_API_URL). */
  readonly origin: string
  /** The upstream origin that forwarded bodies and headers get rewritten from. */
  readonly upstreamOrigin: string
  /** Every request that arrived, in order, with what was done. */
  readonly log: readonly FaultLogEntry[]
  /** Rules are tried in the order added; the first matching one with uses left applies. */
  add(rule: FaultRule): void
  /** Remove all rules and clear the log. */
  clear(): void
  /** Resolves with the first log entry (already there or yet to come) that satisfies `predicate`. */
  waitFor(predicate: (entry: FaultLogEntry) => boolean): Promise<FaultLogEntry>
  /** Close the listener, destroy every socket (stalled ones too) and cancel pending timers. */
  close(): Promise<void>
}

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.CacheService/'
const BLOB_PREFIX = '/fakecacheaccount/actions-cache/'
const REST_CACHES = /^\/repos\/[^/?]+\/[^/?]+\/actions\/caches(\/[^/?]+)?(\?|$)/

const pathOnly = (path: string) => path.split('?', 1)[0]!
const isBlob = (path: string) => path.startsWith(BLOB_PREFIX)

/** Matchers for the cache protocol. */
export const on = {
  /** A twirp call, of one method or any. */
  twirp:
    (
      method?: 'GetCacheEntryDownloadURL' | 'CreateCacheEntry' | 'FinalizeCacheEntryUpload'
    ): FaultMatcher =>
    r =>
      method === undefined
        ? r.path.startsWith(TWIRP_PREFIX)
        : pathOnly(r.path) === `${TWIRP_PREFIX}${method}`,
  /** GET of a blob (the archive download). */
  blobDownload: (): FaultMatcher => r => r.method === 'GET' && isBlob(r.path),
  /** PUT of a blob, a block or a block list (the archive upload). */
  blobUpload: (): FaultMatcher => r => r.method === 'PUT' && isBlob(r.path),
  /** GET .../actions/caches (the list, with or without a query). */
  restList: (): FaultMatcher => r => {
    const m = REST_CACHES.exec(r.path)
    return r.method === 'GET' && m !== null && m[1] === undefined
  },
  /** DELETE .../actions/caches?key=... or .../actions/caches/{id}. */
  restDelete: (): FaultMatcher => r => r.method === 'DELETE' && REST_CACHES.test(r.path),
  any: (): FaultMatcher => () => true
}

/** Azure Storage error codes that commonly come with these statuses. */
const AZURE_CODES: Readonly<Record<number, string>> = {
  400: 'InvalidInput',
  403: 'AuthenticationFailed',
  404: 'BlobNotFound',
  409: 'BlobAlreadyExists',
  412: 'ConditionNotMet',
  500: 'InternalError',
  503: 'ServerBusy'
}

/** The error response for an injected status, shaped like the protocol of `path`. */
function faultReply(
  path: string,
  action: Extract<FaultAction, { kind: 'status' }>
): { headers: Record<string, string>; body: string } {
  const { status } = action
  const text = http.STATUS_CODES[status] ?? 'Unknown'
  if (path.startsWith(TWIRP_PREFIX)) {
    const msg = action.message ?? `injected fault: ${text}`
    return {
      headers: { 'content-type': 'application/json' },
      body: action.body ?? JSON.stringify({ code: TWIRP_CODES[status] ?? 'unknown', msg })
    }
  }
  if (isBlob(path)) {
    const code = AZURE_CODES[status] ?? 'InjectedFault'
    const message = action.message ?? `injected fault: ${text}`
    return {
      headers: { 'content-type': 'application/xml', 'x-ms-error-code': code },
      body:
        action.body ??
        `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`
    }
  }
  return {
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: action.body ?? JSON.stringify({ message: action.message ?? text })
  }
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade'
])

/** Headers minus hop-by-hop ones, including any that `connection` names. */
function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map(token => token.trim().toLowerCase())
  )
  const out: http.OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name)) out[name] = value
  }
  return out
}

/** Bodies that may carry URLs; blobs (octet-stream) stream through untouched. */
const isTextual = (contentType: string | undefined) =>
  /json|xml|text|javascript|x-www-form-urlencoded/i.test(contentType ?? '')

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream)
  if (target.protocol !== 'http:') throw new Error(`plain-HTTP upstreams only: ${upstream}`)
  const upstreamOrigin = target.origin
  const rules: { rule: FaultRule; left: number }[] = []
  const log: FaultLogEntry[] = []
  const waiters: {
    predicate: (entry: FaultLogEntry) => boolean
    resolve: (entry: FaultLogEntry) => void
    reject: (error: Error) => void
  }[] = []
  const timers = new Set<NodeJS.Timeout>()
  // Its own agent, without keep-alive, so close() can destroy every upstream socket.
  const agent = new http.Agent({ keepAlive: false })
  let origin = ''
  let closed = false

  const rewrite = (text: string) => text.split(upstreamOrigin).join(origin)

  const record = (entry: FaultLogEntry) => {
    log.push(entry)
    for (const waiter of [...waiters]) {
      if (waiter.predicate(entry)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(entry)
      }
    }
  }

  /** Runs `run` after ms, unless the client has gone by then; close() cancels it. */
  const later = (ms: number, run: () => void, res: http.ServerResponse) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      if (!res.destroyed) run()
    }, ms)
    timers.add(timer)
    res.once('close', () => {
      clearTimeout(timer)
      timers.delete(timer)
    })
  }

  /** Reset rather than FIN, so the client sees ECONNRESET as from a dropped connection. */
  const reset = (socket: Socket) => {
    if (!socket.destroyed) socket.resetAndDestroy()
  }

  const forward = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    entry: FaultLogEntry,
    cutAfter: number | undefined
  ) => {
    const socket = req.socket
    const upstreamReq = http.request({
      agent,
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: { ...endToEnd(req.headers), host: target.host }
    })
    let clientGone = false
    upstreamReq.on('error', error => {
      if (clientGone) return
      // Mirror a failing upstream as a network error rather than inventing a 502 (which the
      // twirp client would retry with backoff).
      entry.upstreamError = (error as NodeJS.ErrnoException).code ?? error.message
      reset(socket)
    })
    // The client went away: stop talking upstream too.
    res.once('close', () => {
      if (res.writableFinished) return
      clientGone = true
      upstreamReq.destroy()
    })
    upstreamReq.on('response', upstreamRes => {
      upstreamRes.on('error', () => reset(socket))
      const status = upstreamRes.statusCode ?? 502
      const headers = endToEnd(upstreamRes.headers)
      for (const [name, value] of Object.entries(headers)) {
        if (typeof value === 'string') headers[name] = rewrite(value)
      }
      const noBody = req.method === 'HEAD' || status === 204 || status === 304
      /** Sends the head, then the body: `buffered`, or else upstream's, streamed. */
      const send = (head: http.OutgoingHttpHeaders, buffered: Buffer | undefined) => {
        entry.status = status
        res.writeHead(status, head)
        let sent = 0
        if (cutAfter === undefined) {
          if (buffered !== undefined || noBody) {
            entry.bytes = buffered?.length ?? 0
            res.end(buffered)
            return
          }
          upstreamRes.on('data', (chunk: Buffer) => {
            sent += chunk.length
            if (!res.write(chunk)) upstreamRes.pause()
          })
          res.on('drain', () => upstreamRes.resume())
          upstreamRes.on('end', () => {
            entry.bytes = sent
            res.end()
          })
          return
        }
        let cutDone = false
        const cut = (part: Buffer) => {
          cutDone = true
          entry.bytes = sent
          upstreamRes.destroy()
          // Close (FIN, not RST: an RST may discard bytes the client has not read yet) only
          // once the head and the allowed bytes are handed to the kernel.
          const close = () => socket.destroy()
          if (part.length > 0) res.write(part, close)
          else {
            res.flushHeaders()
            socket.write(part, close)
          }
        }
        const take = (chunk: Buffer) => {
          const part = chunk.subarray(0, Math.max(0, cutAfter - sent))
          sent += part.length
          return part
        }
        if (buffered !== undefined || noBody) return cut(take(buffered ?? Buffer.alloc(0)))
        upstreamRes.on('data', (chunk: Buffer) => {
          if (cutDone) return
          const part = take(chunk)
          if (sent >= cutAfter) cut(part)
          else res.write(part)
        })
        // A body shorter than the cut: still drop the connection, without the rest.
        upstreamRes.on('end', () => {
          if (!cutDone) cut(Buffer.alloc(0))
        })
      }
      const encoding = upstreamRes.headers['content-encoding'] ?? 'identity'
      if (noBody || encoding !== 'identity' || !isTextual(upstreamRes.headers['content-type'])) {
        send(headers, undefined)
        return
      }
      // Textual bodies are small: buffer them to rewrite URLs and recompute the length.
      const chunks: Buffer[] = []
      upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk))
      upstreamRes.on('end', () => {
        const body = Buffer.from(rewrite(Buffer.concat(chunks).toString('utf8')), 'utf8')
        send({ ...headers, 'content-length': String(body.length) }, body)
      })
    })
    // Streams uploads of any size; without a content-length Node sends it chunked.
    req.pipe(upstreamReq)
  }

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const request: FaultRequest = { method: req.method ?? 'GET', path: req.url ?? '/' }
    const slot = rules.find(({ rule, left }) => left > 0 && rule.match(request))
    if (slot) slot.left--
    const action = slot?.rule.action
    const entry: FaultLogEntry = {
      ...request,
      outcome: action?.kind ?? 'forwarded',
      at: Date.now()
    }
    record(entry)
    const socket = req.socket
    switch (action?.kind) {
      case undefined:
        return forward(req, res, entry, undefined)
      case 'status': {
        const { headers, body } = faultReply(request.path, action)
        // Read the whole request first, so a large upload does not end in EPIPE instead.
        req.resume()
        req.once('end', () => {
          entry.status = action.status
          entry.bytes = Buffer.byteLength(body)
          res
            .writeHead(action.status, {
              ...headers,
              ...action.headers,
              'content-length': String(Buffer.byteLength(body))
            })
            .end(body)
        })
        return
      }
      case 'reset':
        return reset(socket)
      case 'stall':
        if (action.ms === undefined) {
          // Take the request in full, as a hung server would, and never answer.
          req.resume()
          return
        }
        return later(action.ms, () => forward(req, res, entry, undefined), res)
      case 'delay':
        return later(action.ms, () => forward(req, res, entry, undefined), res)
      case 'cut':
        return forward(req, res, entry, action.afterBytes)
    }
  }

  const server = http.createServer(handle)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url: `${origin}/`,
    origin,
    upstreamOrigin,
    log,
    add: rule => {
      rules.push({ rule, left: rule.times ?? Number.POSITIVE_INFINITY })
    },
    clear: () => {
      rules.length = 0
      log.length = 0
    },
    waitFor: predicate => {
      const found = log.find(predicate)
      if (found) return Promise.resolve(found)
      if (closed) return Promise.reject(new Error('the fault proxy is closed'))
      return new Promise((resolve, reject) => waiters.push({ predicate, resolve, reject }))
    },
    close: async () => {
      if (closed) return
      closed = true
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      for (const waiter of waiters.splice(0)) waiter.reject(new Error('the fault proxy is closed'))
      const done = new Promise<void>(resolve => server.close(() => resolve()))
      // closeAllConnections also ends active (stalled) requests, unlike closeIdleConnections.
      server.closeAllConnections()
      agent.destroy()
      await done
    }
  }
}
