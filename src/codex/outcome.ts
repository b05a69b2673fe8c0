/**
 * Recognising a dead session in what Codex printed: its refresh token was already used, expired or
 * was revoked, so no run can refresh it again. Pure.
 */

export type DeadSessionReason = 'reused' | 'expired' | 'revoked' | 'unknown'

const PATTERNS: [RegExp, DeadSessionReason][] = [
  [/refresh token was already used|refresh_token_reused/i, 'reused'],
  [/refresh token has expired|refresh_token_expired/i, 'expired'],
  [/refresh token was revoked|refresh_token_invalidated/i, 'revoked'],
  [/access token could not be refreshed|signed in to another account/i, 'unknown']
]

export function detectDeadSession(messages: readonly string[]): DeadSessionReason | undefined {
  for (const [pattern, reason] of PATTERNS) {
    if (messages.some(message => pattern.test(message))) return reason
  }
  return undefined
}

const WHY: Record<Exclude<DeadSessionReason, 'reused'>, string> = {
  expired: 'its refresh token has expired (the session went unused for too long)',
  revoked: 'its refresh token was revoked (signed out, password change, or revoked by an admin)',
  unknown: 'Codex could not refresh it and asks to sign in again'
}

const RECOVERY = [
  'To recover:',
  '1. Run `codex login` on a trusted machine (ChatGPT sign-in).',
  "2. Put the new ~/.codex/auth.json into the secret passed as 'auth-json'.",
  '3. Make sure nothing else uses this session: give each runner, workflow or machine its own ' +
    'sign-in, and never copy an auth.json that is still in use elsewhere.'
]

/** The error shown when the session is dead: what happened and how to recover, in plain words. */
export function deadSessionMessage(reason: DeadSessionReason): string {
  if (reason === 'reused') {
    return [
      'Codex could not refresh the ChatGPT session: its refresh token was already used. Each refresh ' +
        'token works once, so another job, runner or machine that uses this same session refreshed it ' +
        'first (concurrent use of one session).',
      'If that was another job of this workflow, it stores the newer session when it ends: re-run this ' +
        'job after it, and keep such jobs from overlapping with a concurrency group.',
      'Otherwise the session is dead for good. ' + RECOVERY.join('\n')
    ].join('\n')
  }
  return [
    `The ChatGPT session is dead: ${WHY[reason]}. No run can refresh it any more.`,
    ...RECOVERY
  ].join('\n')
}
