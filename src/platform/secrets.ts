/** Registering credentials with the runner's log masker before anything can print them. */
import * as core from '@actions/core'
import { tokenForms, type Session } from '../auth/index.js'

export function maskValues(values: readonly string[]): void {
  for (const value of values) if (value.trim() !== '') core.setSecret(value)
}

/** Every form of every token of the session: raw, base64, base64url, each JWT segment. */
export function maskSession(session: Session | undefined): void {
  if (session !== undefined) maskValues(tokenForms(session))
}

// JWTs as Codex's trace logs print them: three base64url parts, the first a JSON header.
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g

/** Masks every JWT-shaped string in `line` (an access or id token Codex logged) before it is printed. */
export function maskTokensIn(line: string): void {
  for (const match of line.matchAll(JWT_LIKE)) core.setSecret(match[0])
}
