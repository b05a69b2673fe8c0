import { describeEventLine, newProgress } from '../../src/codex/events.js'
import { deadSessionMessage, detectDeadSession } from '../../src/codex/outcome.js'

describe('describeEventLine', () => {
  test('a successful turn', () => {
    const progress = newProgress()
    const lines = [
      '{"type":"thread.started","thread_id":"t1"}',
      '{"type":"turn.started"}',
      '{"type":"item.completed","item":{"id":"i0","type":"command_execution","command":"ls","exit_code":0}}',
      '{"type":"item.completed","item":{"id":"i1","type":"agent_message","text":"OK"}}',
      '{"type":"turn.completed","usage":{"input_tokens":10,"output_tokens":2}}'
    ].map(line => describeEventLine(line, progress))
    expect(lines).toEqual([
      'Codex thread t1 started.',
      undefined,
      'Codex ran: ls (exit 0)',
      'Codex: OK',
      'Turn completed (usage: 10 in, 2 out).'
    ])
    expect(progress).toEqual({ errors: [], lastAgentMessage: 'OK' })
  })

  test('errors are collected', () => {
    const progress = newProgress()
    describeEventLine('{"type":"error","message":"boom"}', progress)
    expect(describeEventLine('{"type":"turn.failed","error":{"message":"bang"}}', progress)).toBe(
      'Turn failed: bang'
    )
    expect(progress.errors).toEqual(['boom', 'bang'])
    expect(progress.lastAgentMessage).toBeUndefined()
  })

  test('lines that are not events are shown as they are; blank lines are not', () => {
    expect(describeEventLine('plain text', newProgress())).toBe('plain text')
    expect(describeEventLine('  ', newProgress())).toBeUndefined()
  })
})

describe('detectDeadSession', () => {
  test.each([
    [
      'Your access token could not be refreshed because your refresh token was already used. Please log out and sign in again.',
      'reused'
    ],
    [
      'Your access token could not be refreshed because your refresh token has expired. Please log out and sign in again.',
      'expired'
    ],
    [
      'Your access token could not be refreshed because your refresh token was revoked. Please log out and sign in again.',
      'revoked'
    ],
    ['Your access token could not be refreshed. Please log out and sign in again.', 'unknown'],
    [
      'ERROR codex_login: Failed to refresh token: 400: {"error":{"code":"refresh_token_reused"}}',
      'reused'
    ]
  ])('%s', (message, reason) => {
    expect(detectDeadSession(['something else', message])).toBe(reason)
  })

  test('other failures are not a dead session', () => {
    expect(
      detectDeadSession(['stream disconnected before completion', 'rate limit'])
    ).toBeUndefined()
  })

  test('the message says what happened and how to recover', () => {
    const message = deadSessionMessage('reused')
    expect(message).toMatch(/already used/)
    expect(message).toMatch(/codex login/)
    expect(message).toMatch(/auth-json/)
    expect(message).toMatch(/nothing else uses this session/)
  })
})

test.each(['expired', 'revoked', 'unknown'] as const)(
  'a %s session is dead, with the recovery',
  reason => {
    const message = deadSessionMessage(reason)
    expect(message).toMatch(/^The ChatGPT session is dead: /)
    expect(message).toMatch(/1\. Run `codex login`/)
  }
)

describe('detectDeadSession: the corners', () => {
  test('nothing printed: not dead', () => {
    expect(detectDeadSession([])).toBeUndefined()
  })

  test('the error codes match in any case', () => {
    expect(detectDeadSession(['REFRESH_TOKEN_REUSED'])).toBe('reused')
    expect(detectDeadSession(['Refresh_Token_Invalidated'])).toBe('revoked')
  })

  test('a specific reason wins over the generic message, wherever each appears', () => {
    expect(
      detectDeadSession([
        'Your access token could not be refreshed.',
        'code: refresh_token_expired'
      ])
    ).toBe('expired')
    expect(
      detectDeadSession(['refresh_token_invalidated', 'Your access token could not be refreshed.'])
    ).toBe('revoked')
  })

  test('reused wins over the others (it is the one that can be recovered by a re-run)', () => {
    expect(detectDeadSession(['refresh_token_expired', 'refresh_token_reused'])).toBe('reused')
  })

  test('signed in to another account is a dead session of unknown cause', () => {
    expect(detectDeadSession(['You are signed in to another account'])).toBe('unknown')
  })

  test('the reused message says a re-run may help, and carries the full recovery', () => {
    const message = deadSessionMessage('reused')
    expect(message).not.toMatch(/^The ChatGPT session is dead/)
    expect(message).toMatch(/re-run this job after it/)
    expect(message).toMatch(/concurrency group/)
    expect(message).toContain('To recover:\n1. Run `codex login`')
  })

  test.each([
    ['expired', /refresh token has expired/],
    ['revoked', /refresh token was revoked/],
    ['unknown', /Codex could not refresh it/]
  ] as const)('%s names its cause', (reason, cause) => {
    expect(deadSessionMessage(reason)).toMatch(cause)
    expect(deadSessionMessage(reason).split('\n').slice(1)).toEqual([
      'To recover:',
      '1. Run `codex login` on a trusted machine (ChatGPT sign-in).',
      "2. Put the new ~/.codex/auth.json into the secret passed as 'auth-json'.",
      expect.stringMatching(/^3\. Make sure nothing else uses this session/)
    ])
  })
})

describe('describeEventLine: the corners', () => {
  test.each([
    ['an event of an unknown type', '{"type":"future.event"}', undefined],
    ['JSON that is not an object', '[1,2]', '[1,2]'],
    [
      'a failed turn without an error object',
      '{"type":"turn.failed"}',
      'Turn failed: unknown error'
    ],
    ['an error without a message', '{"type":"error"}', 'Codex error: ?'],
    ['a turn without usage', '{"type":"turn.completed"}', 'Turn completed (usage: ? in, ? out).'],
    [
      'a file change',
      '{"type":"item.completed","item":{"type":"file_change","changes":[{"path":"a.ts"},3]}}',
      'Codex changed: a.ts, ?'
    ],
    ['an unknown item', '{"type":"item.completed","item":{"type":"reasoning"}}', undefined],
    ['an item that is not an object', '{"type":"item.completed","item":"x"}', undefined]
  ])('%s', (_, line, expected) => {
    expect(describeEventLine(line, newProgress())).toBe(expected)
  })

  test('the last agent message wins; a non-string text is shown as JSON', () => {
    const progress = newProgress()
    describeEventLine(
      '{"type":"item.completed","item":{"type":"agent_message","text":"first"}}',
      progress
    )
    describeEventLine(
      '{"type":"item.completed","item":{"type":"agent_message","text":{"a":1}}}',
      progress
    )
    expect(progress.lastAgentMessage).toBe('{"a":1}')
  })
})
