/**
 * Reading JWT claims without verifying signatures: Codex does not verify them either, and the action
 * only needs what Codex itself reads (the access token's `exp`, the id_token's shape).
 */

// Codex decodes with base64url WITHOUT padding; a padded or non-url-safe part fails there.
const BASE64URL_NO_PAD = /^[A-Za-z0-9_-]+$/

/** The payload of a three-part JWT as a JSON object, or undefined when it is not one. */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || parts.some(part => part.length === 0)) return undefined
  const [header, payload] = parts as [string, string, string]
  if (!BASE64URL_NO_PAD.test(header) || !BASE64URL_NO_PAD.test(payload)) return undefined
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    return isPlainObject(claims) ? claims : undefined
  } catch /* Stryker disable next-line BlockStatement: equivalent, an empty catch falls through to the end of the function, which returns undefined too */ {
    return undefined
  }
}

/** The `exp` claim as a Date, when the token is a JWT with an integer `exp` (as Codex reads it). */
export function jwtExpiry(token: string): Date | undefined {
  const exp = decodeJwtPayload(token)?.exp
  // Stryker disable next-line ConditionalExpression: equivalent, Number.isSafeInteger is false for anything that is not a number, so the typeof test alone decides nothing
  return typeof exp === 'number' && Number.isSafeInteger(exp) ? new Date(exp * 1000) : undefined
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
