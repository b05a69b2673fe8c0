/**
 * Turning text (the auth-json secret, a file on disk, a stored copy) into a validated session.
 * Every error message here is written by hand: JSON.parse and zod messages can quote the input,
 * and the input is a credential.
 */
import type { z } from 'zod/mini'
import { isPlainObject } from './jwt.js'
import { AuthFileSchema } from './schema.js'
import { sessionFromAuthFile, type Session } from './session.js'

/** A problem with an auth.json. The message names the field and the fix, never a value. */
export class AuthFileError extends Error {
  constructor(
    readonly field: string,
    message: string
  ) {
    super(message)
    this.name = 'AuthFileError'
  }
}

const SIGN_IN_AGAIN =
  'Sign in with `codex login` (ChatGPT) on a trusted machine and copy the whole ~/.codex/auth.json.'

/** Parses auth.json text (as Codex writes it) into a session, or throws AuthFileError. */
export function parseAuthJson(text: string): Session {
  const value = parseJsonObject(text)
  const result = AuthFileSchema.safeParse(value)
  if (!result.success) throw describeIssue(value, result.error.issues)
  return sessionFromAuthFile(result.data, `${JSON.stringify(value, null, 2)}\n`)
}

/**
 * Parses the auth-json input: raw JSON or base64 of it, surrounding whitespace, CRLF and a byte
 * order mark tolerated. The session's text is normalised to the pretty-printed form Codex writes.
 */
export function parseAuthSecret(input: string): Session {
  return parseAuthJson(decodeSecretText(input))
}

/**
 * Every form in which the secret input could show up in a log: as given, trimmed, its base64, and
 * the lines of a wrapped base64 input (the runner masks values, not their fragments).
 */
export function secretInputForms(input: string): string[] {
  const trimmed = stripBom(input).trim()
  if (trimmed.length === 0) return []
  const forms = [input, trimmed, Buffer.from(trimmed).toString('base64')]
  // Stryker disable next-line Regex: equivalent, splitting at each whitespace character only adds empty lines, which the join ignores and the length filter drops
  const lines = trimmed.split(/\s+/)
  if (!trimmed.startsWith('{') && lines.length > 1) {
    forms.push(lines.join(''), ...lines.filter(line => line.length >= 8))
  }
  return forms
}

export function decodeSecretText(input: string): string {
  const trimmed = stripBom(input).trim()
  if (trimmed.length === 0) throw new AuthFileError('(input)', 'it is empty. ' + SIGN_IN_AGAIN)
  if (/^[{[]/.test(trimmed)) return trimmed // JSON (an array is refused later, with a clear message)
  // Stryker disable next-line Regex: equivalent, removing whitespace one character at a time leaves the same text as removing runs of it
  const compact = trimmed.replace(/\s+/g, '')
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) {
    const decoded = stripBom(Buffer.from(compact, 'base64').toString('utf8')).trim()
    if (decoded.startsWith('{')) return decoded
  }
  throw new AuthFileError(
    '(input)',
    'it is neither JSON nor base64 of JSON. Paste the contents of auth.json, or `base64 -w0 auth.json`.'
  )
}

export function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(stripBom(text))
  } catch (error) {
    throw new AuthFileError(
      '(json)',
      `it is not valid JSON${jsonErrorPlace(text, error)}. ` + SIGN_IN_AGAIN
    )
  }
  if (!isPlainObject(value)) {
    throw new AuthFileError('(json)', 'it is JSON but not an object. ' + SIGN_IN_AGAIN)
  }
  return value
}

/** "at line L, column C" from a JSON.parse error, without quoting the text around it. */
function jsonErrorPlace(text: string, error: unknown): string {
  // Stryker disable next-line StringLiteral: equivalent, JSON.parse throws only SyntaxErrors, and any text without a position or 'end of JSON input' gives no place either
  const message = error instanceof Error ? error.message : ''
  const position = /position (\d+)/.exec(message)?.[1]
  if (position === undefined) return /end of JSON input/.test(message) ? ' (it ends too early)' : ''
  const before = text.slice(0, Number(position)).split('\n')
  // Stryker disable next-line OptionalChaining: equivalent, split always returns at least one element, so at(-1) is never undefined
  return ` (at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`
}

function describeIssue(value: Record<string, unknown>, issues: z.core.$ZodIssue[]): AuthFileError {
  // Which kind of auth this is matters more than any single field: say that first.
  if (value.auth_mode !== undefined && value.auth_mode !== 'chatgpt') {
    return new AuthFileError(
      'auth_mode',
      'auth_mode is not "chatgpt": this is not a ChatGPT sign-in, and this action only keeps ChatGPT ' +
        'sessions alive. For an API key, give Codex the key directly (CODEX_API_KEY) instead of this action.'
    )
  }
  if (value.OPENAI_API_KEY !== undefined && value.OPENAI_API_KEY !== null) {
    return new AuthFileError(
      'OPENAI_API_KEY',
      'OPENAI_API_KEY is set: this auth.json holds an API key, not a ChatGPT session, and Codex would ' +
        'use the key. Give Codex an API key directly instead of this action, or ' +
        lowerFirst(SIGN_IN_AGAIN)
    )
  }
  const issue = issues[0]
  // Stryker disable next-line OptionalChaining,StringLiteral: equivalent, a failed safeParse always has an issue with a path
  const field = issue?.path.map(String).join('.') ?? ''
  switch (field) {
    case 'tokens':
      return new AuthFileError(
        field,
        'tokens is missing or not an object: this is not a ChatGPT sign-in. ' + SIGN_IN_AGAIN
      )
    case 'tokens.id_token':
      return new AuthFileError(
        field,
        'tokens.id_token is missing or not a JWT that Codex can read (three base64url parts with a ' +
          'JSON payload); Codex would ignore the whole file and act logged out. ' +
          SIGN_IN_AGAIN
      )
    case 'tokens.access_token':
    case 'tokens.refresh_token':
      return new AuthFileError(field, `${field} is missing or empty. ` + SIGN_IN_AGAIN)
    case 'last_refresh':
      return new AuthFileError(
        field,
        'last_refresh is missing or not an RFC 3339 timestamp (like 2026-11-24T00:09:51Z); Codex ' +
          'needs it to use the tokens. ' +
          SIGN_IN_AGAIN
      )
    default:
      return new AuthFileError(
        // Stryker disable next-line StringLiteral: equivalent, unreachable: the top level is an object (parseJsonObject), so an issue reaching here always has a field
        field || '(json)',
        // Stryker disable next-line StringLiteral: equivalent, unreachable: the field is never empty here (see above)
        `${field || 'the file'} ${expectation(issue)}. ` + SIGN_IN_AGAIN
      )
  }
}

function expectation(issue: z.core.$ZodIssue | undefined): string {
  // Stryker disable next-line ConditionalExpression,OptionalChaining: equivalent, the only field that reaches the default case is tokens.account_id, and its only issue is invalid_type
  if (issue?.code === 'invalid_type') return `must be ${article(issue.expected)}`
  // Stryker disable next-line StringLiteral: equivalent, unreachable with this schema (see above)
  return 'has an unexpected value'
}

function article(type: string): string {
  // Stryker disable next-line StringLiteral: equivalent, unreachable with this schema: the only expected type named is string
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}
