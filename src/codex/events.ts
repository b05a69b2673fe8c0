/**
 * `codex exec --json` prints one JSON event per line. This turns each into a readable log line and
 * keeps what the action needs afterwards: error messages and the last agent message. Pure.
 */
import { isPlainObject } from '../auth/jwt.js'

export interface ExecProgress {
  /** Messages from `error` and `turn.failed` events, in order. */
  readonly errors: string[]
  /** The text of the last agent message, if any. */
  lastAgentMessage: string | undefined
}

export function newProgress(): ExecProgress {
  return { errors: [], lastAgentMessage: undefined }
}

/** A log line for one stdout line (undefined: nothing worth showing), updating `progress`. */
export function describeEventLine(line: string, progress: ExecProgress): string | undefined {
  if (line.trim() === '') return undefined
  let event: unknown
  try {
    event = JSON.parse(line)
  } catch {
    return line // not an event: show it as Codex printed it
  }
  if (!isPlainObject(event)) return line
  const item = isPlainObject(event.item) ? event.item : {}
  switch (event.type) {
    case 'thread.started':
      return `Codex thread ${text(event.thread_id)} started.`
    case 'turn.started':
      return undefined
    case 'item.completed':
      return describeItem(item, progress)
    case 'turn.completed': {
      const usage = isPlainObject(event.usage) ? event.usage : {}
      return `Turn completed (usage: ${text(usage.input_tokens)} in, ${text(usage.output_tokens)} out).`
    }
    case 'turn.failed': {
      const message = isPlainObject(event.error) ? text(event.error.message) : 'unknown error'
      progress.errors.push(message)
      return `Turn failed: ${message}`
    }
    case 'error': {
      const message = text(event.message)
      progress.errors.push(message)
      return `Codex error: ${message}`
    }
    default:
      return undefined
  }
}

function describeItem(item: Record<string, unknown>, progress: ExecProgress): string | undefined {
  switch (item.type) {
    case 'agent_message':
      progress.lastAgentMessage = text(item.text)
      return `Codex: ${progress.lastAgentMessage}`
    case 'command_execution':
      return `Codex ran: ${text(item.command)} (exit ${text(item.exit_code)})`
    case 'file_change': {
      const changes = Array.isArray(item.changes) ? item.changes : []
      const paths = changes.map(change => (isPlainObject(change) ? text(change.path) : '?'))
      return `Codex changed: ${paths.join(', ')}`
    }
    case 'mcp_tool_call':
      return `Codex called tool ${text(item.server)}/${text(item.tool)}`
    case 'web_search':
      return `Codex searched the web: ${text(item.query)}`
    case 'error':
      return `Codex reported: ${text(item.message)}`
    default:
      return undefined
  }
}

function text(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === undefined || value === null) return '?'
  return JSON.stringify(value)
}
