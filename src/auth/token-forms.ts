/**
 * Every form in which a token of a session could be repeated by a model or a command: the token,
 * its base64 (with and without padding) and base64url, and each segment of a JWT. The runner masks
 * only the exact strings it is given, and outputs are not masked at all. Pure.
 */
import type { Session } from './session.js'

// Shorter strings are not secrets on their own, and masking them would garble ordinary text.
const MIN_FORM_LENGTH = 12

export function tokenForms(session: Session): string[] {
  const { id_token, access_token, refresh_token } = session.file.tokens
  const forms = new Set<string>()
  for (const token of [id_token, access_token, refresh_token]) {
    // Stryker disable next-line StringLiteral: equivalent, Buffer.from with an empty encoding name reads the string as utf8
    const base64 = Buffer.from(token, 'utf8').toString('base64')
    for (const form of [
      token,
      base64,
      // Stryker disable next-line Regex: equivalent, base64 has = only at its end, so the anchor changes nothing
      base64.replace(/=+$/, ''),
      Buffer.from(token).toString('base64url')
    ])
      forms.add(form)
    const segments = token.split('.')
    if (segments.length === 3) segments.forEach(segment => forms.add(segment))
  }
  // Longest first, so that a token is replaced whole before one of its segments.
  return [...forms]
    .filter(form => form.length >= MIN_FORM_LENGTH)
    .sort((a, b) => b.length - a.length)
}

/** `text` with every form replaced by ***, and whether there was one. */
export function redactForms(
  text: string,
  forms: readonly string[]
): { text: string; redacted: boolean } {
  let result = text
  // Stryker disable next-line ConditionalExpression: equivalent, splitting at a form that is not there and joining gives the same text
  for (const form of forms) if (result.includes(form)) result = result.split(form).join('***')
  return { text: result, redacted: result !== text }
}
