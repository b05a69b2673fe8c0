/** The actor check's rules (app/gate.ts): the inputs, what is decided locally, and from the API. */
import {
  decideFromAnswer,
  decideLocally,
  readActorPolicy,
  type ActorPolicy
} from '../../src/app/gate.js'
import { InputError } from '../../src/app/inputs.js'

const policy = (inputs: Record<string, string>): ActorPolicy =>
  readActorPolicy(name => inputs[name] ?? '')

describe('allow-users and allow-bots', () => {
  test('defaults: nobody listed, bots refused', () => {
    expect(policy({})).toEqual({ allowUsers: [], allowBots: false })
  })

  test('logins separated by commas or lines, trimmed, in lower case; a bot login too', () => {
    expect(
      policy({ 'allow-users': ' Octocat,\nhubot , ,my-app[bot]', 'allow-bots': 'TRUE' })
    ).toEqual({ allowUsers: ['octocat', 'hubot', 'my-app[bot]'], allowBots: true })
  })

  test("'*' alone turns the check off", () => {
    expect(policy({ 'allow-users': ' * ' }).allowUsers).toBe('everyone')
  })

  test.each([
    ['*, octocat', /mixes '\*' with names/],
    ['@octocat', /'@octocat' is not a GitHub login/],
    ['octo cat', /'octo cat' is not a GitHub login/],
    ['-octocat', /not a GitHub login/],
    ['octo--cat', /not a GitHub login/],
    ['a'.repeat(40), /not a GitHub login/]
  ])('allow-users %j is refused', (value, message) => {
    expect(() => policy({ 'allow-users': value })).toThrow(InputError)
    expect(() => policy({ 'allow-users': value })).toThrow(message)
  })

  test('allow-bots must be true or false', () => {
    expect(() => policy({ 'allow-bots': 'yes' })).toThrow(
      "Input 'allow-bots' must be true or false."
    )
  })
})

describe('decided without the API', () => {
  const none: ActorPolicy = { allowUsers: [], allowBots: false }

  test("'*' lets anyone in, even with no actor", () => {
    expect(decideLocally(undefined, { ...none, allowUsers: 'everyone' }).kind).toBe('allowed')
  })

  test('no actor: refused, naming allow-users', () => {
    const decision = decideLocally('', none)
    expect(decision).toEqual({
      kind: 'refused',
      reason: expect.stringContaining("'allow-users: *'")
    })
  })

  test('a listed login is let in whatever its letter case; a bot only when listed or allowed', () => {
    expect(decideLocally('OctoCat', { ...none, allowUsers: ['octocat'] }).kind).toBe('allowed')
    expect(decideLocally('my-app[bot]', { ...none, allowUsers: ['my-app[bot]'] }).kind).toBe(
      'allowed'
    )
    expect(decideLocally('My-App[BOT]', { ...none, allowBots: true }).kind).toBe('allowed')
    const refused = decideLocally('my-app[bot]', none)
    expect(refused.kind).toBe('refused')
    expect(refused.kind === 'refused' && refused.reason).toMatch(
      /'allow-bots: true'.*'allow-users: my-app\[bot\]'/
    )
  })

  test('anyone else: ask GitHub', () => {
    expect(decideLocally('octocat', { ...none, allowUsers: ['hubot'] })).toEqual({ kind: 'ask' })
  })
})

describe('decided from the permission API', () => {
  const decide = (answer: Parameters<typeof decideFromAnswer>[2]) =>
    decideFromAnswer('octocat', 'acme/widgets', answer)

  test.each([
    ['admin', 'admin', 'allowed'],
    ['write', 'maintain', 'allowed'],
    ['write', 'write', 'allowed'],
    ['write', 'custom-writer', 'allowed'],
    ['read', 'triage', 'refused'],
    ['read', 'read', 'refused'],
    ['none', 'none', 'refused'],
    ['maintain', 'maintain', 'refused'] // not a value the API gives: only admin and write let in
  ])('permission %s (role %s): %s', (permission, roleName, kind) => {
    expect(decide({ kind: 'permission', permission, roleName }).kind).toBe(kind)
  })

  test('the refusal names the actor, its role, and allow-users', () => {
    const decision = decide({ kind: 'permission', permission: 'read', roleName: 'triage' })
    expect(decision).toEqual({
      kind: 'refused',
      reason:
        'octocat, who triggered this run, has triage permission on acme/widgets; the action runs ' +
        'only for actors with write, maintain or admin permission. To let octocat run it anyway, ' +
        "add it to 'allow-users'."
    })
  })

  test.each([
    [404, /octocat is not a collaborator on acme\/widgets/],
    [401, /did not accept 'github-token' \(401/],
    [403, /may not read collaborator permissions/],
    [500, /the permission API answered 500/]
  ])('status %d: refused (fails closed)', (status, message) => {
    const decision = decide({ kind: 'status', status, message: 'text' })
    expect(decision.kind).toBe('refused')
    expect(decision.kind === 'refused' && decision.reason).toMatch(message)
    expect(decision.kind === 'refused' && decision.reason).toMatch(/add it to 'allow-users'/)
  })

  test('no answer: refused, fails closed', () => {
    const decision = decide({ kind: 'no-answer', reason: 'could not reach x (ECONNRESET)' })
    expect(decision.kind === 'refused' && decision.reason).toMatch(
      /could not reach x \(ECONNRESET\)\. The check fails closed/
    )
  })
})
