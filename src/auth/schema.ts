/**
 * The auth.json that Codex reads for a ChatGPT sign-in, as a zod schema. It mirrors what the Codex CLI
 * accepts (codex-rs/login `AuthDotJson`, `TokenData`), narrowed to the one mode this action serves:
 * a ChatGPT session that Codex refreshes itself. Unknown fields are kept: they are harmless to Codex.
 */
// zod's smaller build: the same rules, a fraction of the start-up (bench/HISTORY.md).
import * as z from 'zod/mini'
import { decodeJwtPayload } from './jwt.js'

const optionalString = z.nullish(z.string())

/** The id_token claims Codex reads; a wrong type in any of them makes Codex ignore the whole file. */
const IdTokenClaims = z.object({
  email: optionalString,
  'https://api.openai.com/profile': z.nullish(z.object({ email: optionalString })),
  'https://api.openai.com/auth': z.nullish(
    z.object({
      chatgpt_plan_type: optionalString,
      chatgpt_user_id: optionalString,
      user_id: optionalString,
      chatgpt_account_id: optionalString
    })
  )
})

/** True when Codex can parse this id_token: a three-part JWT whose claims have the types it expects. */
export function isReadableIdToken(token: string): boolean {
  const claims = decodeJwtPayload(token)
  // Stryker disable next-line ConditionalExpression: equivalent, the claims schema refuses undefined anyway
  return claims !== undefined && IdTokenClaims.safeParse(claims).success
}

// RFC 3339 as chrono (Codex) writes and reads it, e.g. 2026-11-24T00:09:51.137314582Z.
export const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

/** A real instant in RFC 3339 form (the regex alone would let 2026-13-45 through). */
export function isRfc3339(text: string): boolean {
  const m = RFC3339.exec(text)
  if (!m) return false
  const [, y, mo, d, h, mi, s, , , , oh, om] = m.map(Number) as number[]
  // The day alone: a leap second (:60, which Codex accepts) must not roll the date over.
  const date = new Date(Date.UTC(y!, mo! - 1, d!))
  const validOffset = m[9] === undefined || (oh! < 24 && om! < 60) // chrono refuses +24:00, +00:60
  return (
    validOffset &&
    date.getUTCMonth() === mo! - 1 &&
    date.getUTCDate() === d &&
    h! < 24 &&
    mi! < 60 &&
    s! <= 60
  )
}

export const AuthFileSchema = z.looseObject({
  auth_mode: z.optional(z.literal('chatgpt')),
  OPENAI_API_KEY: z.optional(z.null()),
  tokens: z.looseObject({
    id_token: z.string().check(z.refine(isReadableIdToken)),
    access_token: z.string().check(z.minLength(1)),
    refresh_token: z.string().check(z.minLength(1)),
    account_id: optionalString
  }),
  last_refresh: z.string().check(z.refine(isRfc3339))
})

export type AuthFile = z.infer<typeof AuthFileSchema>

/**
 * A consumer bundle: the access and id tokens of a session without its refresh token, in the
 * external-tokens mode (`chatgptAuthTokens`) in which Codex uses the tokens as given and never
 * calls the token endpoint. `last_refresh` must be there: without it Codex sends no Authorization.
 */
export const ConsumerFileSchema = z.looseObject({
  auth_mode: z.literal('chatgptAuthTokens'),
  OPENAI_API_KEY: z.optional(z.null()),
  tokens: z.looseObject({
    id_token: z.string().check(z.refine(isReadableIdToken)),
    access_token: z.string().check(z.minLength(1)),
    refresh_token: z.literal(''),
    account_id: optionalString
  }),
  last_refresh: z.string().check(z.refine(isRfc3339))
})

export type ConsumerFile = z.infer<typeof ConsumerFileSchema>
