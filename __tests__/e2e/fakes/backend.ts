/**
 * A loopback fake of the ChatGPT backend that the real Codex CLI completes a turn against (HTTPS,
 * see codex-auth-facts.md). Strict: a request whose access token is unknown or expired gets 401.
 *
 * It can also script one shell command per turn (`toolCommand`): the model's first answer is a
 * `function_call` of Codex's `exec_command` tool; Codex runs the command under its sandbox and
 * sends the output back in the next request, which the model answers with `reply`.
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
  /**
   * When set, the model's first answer in a turn is a tool call that runs this shell command
   * (e.g. 'env', 'cat "$CODEX_HOME/auth.json"'); the next request carries its output, recorded in
   * `toolOutputs`, and the model then answers `reply`.
   */
  toolCommand: string | undefined
  /** How the model asks for it: a direct `exec_command` call, or through Codex's JavaScript `exec` tool. */
  toolVia: 'function' | 'code-mode'
  /** The output of every tool call Codex sent back (the text the model would see), in order. */
  readonly toolOutputs: string[]
  close(): Promise<void>
}

export async function startBackend(authority: Authority, tls: TestTls): Promise<FakeBackend> {
  const requests: BackendRequest[] = []
  const turns: string[] = []
  const toolOutputs: string[] = []
  /** The call ids this fake issued, and whether Codex already sent their output. */
  const calls = new Map<string, boolean>()
  const backend: {
    reply: string
    failTurnsWith: number | undefined
    toolCommand: string | undefined
    toolVia: 'function' | 'code-mode'
  } = {
    reply: 'OK',
    failTurnsWith: undefined,
    toolCommand: undefined,
    toolVia: 'function'
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
      const body = decodeBody(Buffer.concat(chunks), req.headers['content-encoding'])
      turns.push(body)
      const input = inputItems(body)
      // Every request carries the whole conversation: record each output once.
      for (const item of input) {
        if (!isToolOutput(item) || calls.get(item.call_id) !== false) continue
        calls.set(item.call_id, true)
        toolOutputs.push(outputText(item.output))
      }
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
      let item: Record<string, unknown> = message
      if (backend.toolCommand !== undefined && !toolAnsweredThisTurn(input)) {
        const callId = `call_fake_${calls.size + 1}`
        calls.set(callId, false)
        item = toolCall(callId, backend.toolCommand, backend.toolVia)
      }
      const events = [
        { type: 'response.output_item.done', item },
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
    toolOutputs,
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

/**
 * The tool call that runs `command`. Codex 0.169.0 offers its shell only nested in the code-mode
 * `exec` tool (`tools.exec_command(...)`), yet it also runs a direct `function_call` of
 * `exec_command` with `{"cmd": ...}` (`shell`, `shell_command` are "unsupported call"; a
 * `local_shell_call` item is dropped silently and ends the turn). The output comes back as
 * `{"type":"function_call_output","call_id":...,"output":"Chunk ID: ...\nWall time: ...\n
 * Process exited with code N\nOriginal token count: N\nOutput:\n<stdout and stderr>"}`.
 */
function toolCall(
  callId: string,
  command: string,
  via: 'function' | 'code-mode'
): Record<string, unknown> {
  if (via === 'code-mode') {
    // Codex's JavaScript `exec` tool, which reaches the same shell through tools.exec_command.
    return {
      type: 'custom_tool_call',
      id: `ctc_${callId}`,
      call_id: callId,
      name: 'exec',
      input: `const r = await tools.exec_command({ cmd: ${JSON.stringify(command)} }); text(r.output)`
    }
  }
  return {
    type: 'function_call',
    id: `fc_${callId}`,
    call_id: callId,
    name: 'exec_command',
    arguments: JSON.stringify({ cmd: command })
  }
}

interface InputItem {
  readonly type?: unknown
  readonly role?: unknown
  readonly call_id?: unknown
  readonly output?: unknown
}

interface ToolOutput extends InputItem {
  readonly call_id: string
}

/** The `input` items of a Responses request body; none when it does not parse. */
function inputItems(body: string): InputItem[] {
  try {
    const input = (JSON.parse(body) as { input?: unknown }).input
    return Array.isArray(input)
      ? input.filter((item): item is InputItem => typeof item === 'object' && item !== null)
      : []
  } catch {
    return []
  }
}

function isToolOutput(item: InputItem): item is ToolOutput {
  return (
    (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') &&
    typeof item.call_id === 'string'
  )
}

/** Whether a tool output follows the turn's user message: the model has run its command. */
function toolAnsweredThisTurn(input: InputItem[]): boolean {
  let lastUser = -1
  input.forEach((item, index) => {
    if (item.type === 'message' && item.role === 'user') lastUser = index
  })
  return input.slice(lastUser + 1).some(isToolOutput)
}

/** A tool output is a string, or a list of content items (`input_text` ones carry the text). */
function outputText(output: unknown): string {
  if (typeof output === 'string') return output
  if (!Array.isArray(output)) return JSON.stringify(output)
  return output
    .map(part =>
      typeof part === 'object' &&
      part !== null &&
      typeof (part as { text?: unknown }).text === 'string'
        ? (part as { text: string }).text
        : ''
    )
    .join('')
}
