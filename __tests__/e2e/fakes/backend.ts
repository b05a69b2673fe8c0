/**
 * A loopback fake of the ChatGPT backend that the real Codex CLI completes a turn against (HTTPS,
 * see codex-auth-facts.md). Strict: a request whose access token is unknown or expired gets 401.
 */
import { execFileSync } from 'node:child_process'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import zlib from 'node:zlib'
import { ACCOUNT_ID, type Authority } from './authority.js'
import type { TestTls } from './tls.js'

export interface BackendRequest {
  readonly path: string
  readonly status: number
}

export interface FakeBackend {
  /** e.g. https://127.0.0.1:PORT/backend-api/ */
  readonly baseUrl: string
  readonly requests: BackendRequest[]
  /** The decoded JSON body of every model turn, to check what Codex sent (the prompt). */
  readonly turns: string[]
  /** The agent's answer to every turn. */
  reply: string
  /** When set, every model turn is answered with this HTTP status (after auth passed). */
  failTurnsWith: number | undefined
  close(): Promise<void>
}

export async function startBackend(authority: Authority, tls: TestTls): Promise<FakeBackend> {
  const requests: BackendRequest[] = []
  const turns: string[] = []
  const backend: { reply: string; failTurnsWith: number | undefined } = {
    reply: 'OK',
    failTurnsWith: undefined
  }
  const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', chunk => chunks.push(chunk))
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!
      const respond = (status: number, headers: Record<string, string> = {}, body = '') => {
        requests.push({ path, status })
        res.writeHead(status, headers).end(body)
      }
      const known =
        path === '/backend-api/wham/accounts/check' || path === '/backend-api/codex/responses'
      if (!known) return respond(404)
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
      if (!token || !authority.acceptsAccessToken(token)) {
        return respond(
          401,
          { 'content-type': 'application/json' },
          '{"detail":"invalid or expired token"}'
        )
      }
      if (path === '/backend-api/wham/accounts/check') {
        const account = {
          id: ACCOUNT_ID,
          workspace_backend_origin: 'NO_CONSTRAINT',
          account_routing_override: 'NO_CONSTRAINT'
        }
        return respond(
          200,
          { 'content-type': 'application/json' },
          JSON.stringify({ accounts: [account], account_ordering: [ACCOUNT_ID] })
        )
      }
      if (req.method !== 'POST') return respond(405)
      turns.push(decodeBody(Buffer.concat(chunks), req.headers['content-encoding']))
      if (backend.failTurnsWith !== undefined) {
        const error = {
          error: { type: 'invalid_request_error', message: 'the fake backend refuses this turn' }
        }
        return respond(
          backend.failTurnsWith,
          { 'content-type': 'application/json' },
          JSON.stringify(error)
        )
      }
      const message = {
        type: 'message',
        role: 'assistant',
        id: 'msg_1',
        content: [{ type: 'output_text', text: backend.reply }]
      }
      const events = [
        { type: 'response.output_item.done', item: message },
        { type: 'response.completed', response: { id: 'resp_1' } }
      ]
      respond(
        200,
        { 'content-type': 'text/event-stream' },
        events.map(e => `data: ${JSON.stringify(e)}\n\n`).join('')
      )
    })
  })
  // Codex tries a WebSocket first; 426 makes it fall back to HTTP at once.
  server.on('upgrade', (req, socket) => {
    requests.push({ path: (req.url ?? '').split('?')[0]!, status: 426 })
    socket.end('HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return Object.assign(backend, {
    baseUrl: `https://127.0.0.1:${port}/backend-api/`,
    requests,
    turns,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  })
}

/** Codex compresses request bodies with zstd. */
function decodeBody(body: Buffer, encoding: string | string[] | undefined): string {
  if (encoding !== 'zstd') return body.toString('utf8')
  const zstd = (zlib as { zstdDecompressSync?: (input: Buffer) => Buffer }).zstdDecompressSync
  // Node 22.15+ decodes zstd itself; older Node needs the zstd command.
  return (zstd ? zstd(body) : execFileSync('zstd', ['-d', '-c'], { input: body })).toString('utf8')
}
