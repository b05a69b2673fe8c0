/** The message of a session whose refresh token was already used, line by line. */
import { deadSessionMessage } from '../../src/codex/outcome.js'

test('a reused refresh token: what happened, when a re-run helps, and the full recovery', () => {
  expect(deadSessionMessage('reused').split('\n')).toEqual([
    'Codex could not refresh the ChatGPT session: its refresh token was already used. Each refresh ' +
      'token works once, so another job, runner or machine that uses this same session refreshed it ' +
      'first (concurrent use of one session).',
    'If that was another job of this workflow, it stores the newer session when it ends: re-run this ' +
      'job after it, and keep such jobs from overlapping with a concurrency group.',
    'Otherwise the session is dead for good. To recover:',
    '1. Run `codex login` on a trusted machine (ChatGPT sign-in).',
    "2. Put the new ~/.codex/auth.json into the secret passed as 'auth-json'.",
    '3. Make sure nothing else uses this session: give each runner, workflow or machine its own ' +
      'sign-in, and never copy an auth.json that is still in use elsewhere.'
  ])
})
