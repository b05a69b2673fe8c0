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
    expect(progress).toEqual({ errors: [], lastAgentMessage: 'OK', turnCompleted: true })
  })

  test('errors are collected', () => {
    const progress = newProgress()
    describeEventLine('{"type":"error","message":"boom"}', progress)
    expect(describeEventLine('{"type":"turn.failed","error":{"message":"bang"}}', progress)).toBe(
      'Turn failed: bang'
    )
    expect(progress.errors).toEqual(['boom', 'bang'])
    expect(progress.turnCompleted).toBe(false)
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
