/** A loopback fake of the OAuth token endpoint (POST /oauth/token), plain HTTP. */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Authority } from './authority.js'

export interface RefreshRequest {
  readonly refreshReason: string | undefined
  readonly status: number
}

export interface FakeTokenEndpoint {
  readonly url: string
  readonly requests: RefreshRequest[]
  close(): Promise<void>
}

export async function startTokenEndpoint(authority: Authority): Promise<FakeTokenEndpoint> {
  const requests: RefreshRequest[] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', chunk => (body += chunk))
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/oauth/token') {
        res.writeHead(404).end()
        return
      }
      let parsed: { grant_type?: string; refresh_token?: string; refresh_reason?: string }
      try {
        parsed = JSON.parse(body)
      } catch {
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end('{"error":"invalid_request"}')
        return
      }
      const answer =
        parsed.grant_type === 'refresh_token' && typeof parsed.refresh_token === 'string'
          ? authority.refresh(parsed.refresh_token)
          : { status: 400, body: { error: 'unsupported_grant_type' } }
      requests.push({ refreshReason: parsed.refresh_reason, status: answer.status })
      res
        .writeHead(answer.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(answer.body))
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/oauth/token`,
    requests,
    close: () => new Promise(resolve => server.close(() => resolve()))
  }
}
