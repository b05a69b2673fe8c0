/**
 * readConfig for the storages github-secret and command, the cache-key that is given but empty,
 * and the run options (shell-tool, allow-danger-full-access): what is accepted, and each refusal
 * in full.
 */
import { InputError, readConfig } from '../../src/app/inputs.js'

const env = { GITHUB_WORKSPACE: '/work/space' }
const config = (inputs: Record<string, string>, environment: NodeJS.ProcessEnv = env) =>
  readConfig(
    name => (({ 'auth-json': '{}', ...inputs }) as Record<string, string>)[name] ?? '',
    environment
  )

function problems(inputs: Record<string, string>, environment: NodeJS.ProcessEnv = env): string[] {
  try {
    config(inputs, environment)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message.split('\n')
  }
  throw new Error('expected the inputs to be refused')
}

describe('storage: github-secret', () => {
  const secretStorage = { storage: 'github-secret', 'secret-token': 'github_pat_writer' }

  test('the secret CODEX_AUTH_JSON of this repository by default', () => {
    expect(config(secretStorage).storage).toEqual({
      kind: 'github-secret',
      secretName: 'CODEX_AUTH_JSON',
      secretToken: 'github_pat_writer',
      environment: undefined,
      org: undefined
    })
  })

  test('a secret of an environment, or of an organisation, under another name', () => {
    expect(
      config({ ...secretStorage, 'secret-name': 'TEAM_AUTH', 'secret-environment': 'prod' }).storage
    ).toMatchObject({ secretName: 'TEAM_AUTH', environment: 'prod', org: undefined })
    expect(config({ ...secretStorage, 'secret-org': 'acme' }).storage).toMatchObject({
      environment: undefined,
      org: 'acme'
    })
  })

  test('no secret-token', () => {
    expect(problems({ storage: 'github-secret' })).toEqual([
      "storage: github-secret needs 'secret-token': a fine-grained token or GitHub App " +
        'installation token with "Secrets: write" on this repository (from a secret).'
    ])
  })

  test("the job's GITHUB_TOKEN as the secret-token", () => {
    expect(problems({ ...secretStorage, 'github-token': 'github_pat_writer' })).toEqual([
      "Input 'secret-token' is the job's GITHUB_TOKEN, which can never write secrets (there is " +
        'no secrets permission for it). Give a fine-grained token or a GitHub App installation token ' +
        'with "Secrets: write".'
    ])
  })

  test('no auth-json: the message names the secret to pass', () => {
    expect(problems({ ...secretStorage, 'auth-json': ' \n', 'secret-name': 'TEAM_AUTH' })).toEqual([
      "storage: github-secret keeps the session in the secret passed as 'auth-json': pass it " +
        '(auth-json: ${{ secrets.TEAM_AUTH }}).'
    ])
  })

  test('an environment and an organisation at once', () => {
    expect(
      problems({ ...secretStorage, 'secret-environment': 'prod', 'secret-org': 'acme' })
    ).toEqual(["Inputs 'secret-environment' and 'secret-org' exclude each other: set one."])
  })

  test.each([
    ['secret-token', 'github_pat_writer'],
    ['secret-environment', 'prod'],
    ['secret-org', 'acme']
  ])('%s with another storage', (name, value) => {
    expect(problems({ storage: 'none', [name]: value })).toEqual([
      `Input '${name}' is only used with storage: github-secret; remove it or set storage.`
    ])
  })

  test.each(['GITHUB_AUTH', 'github_auth', '1AUTH', 'AUTH-JSON', 'A'.repeat(101)])(
    'secret-name %j is refused',
    name => {
      expect(problems({ ...secretStorage, 'secret-name': name })).toEqual([
        "Input 'secret-name' must be a secret name: letters, digits and _, not starting with a digit or GITHUB_."
      ])
    }
  )

  test.each(['_AUTH', 'auth_1', 'A'.repeat(100)])('secret-name %j is a secret name', name => {
    expect(config({ ...secretStorage, 'secret-name': name }).storage).toMatchObject({
      secretName: name
    })
  })
})

describe('storage: command', () => {
  const commands = { 'restore-command': 'vault read x', 'persist-command': 'vault write x -' }

  test('both commands', () => {
    expect(config({ storage: 'command', ...commands }).storage).toEqual({
      kind: 'command',
      restoreCommand: 'vault read x',
      persistCommand: 'vault write x -'
    })
  })

  test.each([['restore-command'], ['persist-command']])('without %s', missing => {
    expect(problems({ storage: 'command', ...commands, [missing]: '' })).toEqual([
      "storage: command needs both 'restore-command' (prints the stored auth.json) and " +
        "'persist-command' (reads it on stdin)."
    ])
  })

  test.each([['restore-command'], ['persist-command']])('%s with another storage', name => {
    expect(problems({ storage: 'none', [name]: 'cat x' })).toEqual([
      `Input '${name}' is only used with storage: command; remove it or set storage.`
    ])
  })
})

describe('cache-key', () => {
  test('given but empty (a variable that is not set): refused, not the default', () => {
    expect(problems({ 'cache-key': ' ' }, { ...env, 'INPUT_CACHE-KEY': ' ' })).toEqual([
      "Input 'cache-key' is empty: most likely the variable or secret it names is empty. Set it " +
        '(1 to 100 letters, digits, ., _ or -), or remove the input to use the default codex-auth.'
    ])
  })

  test('not given: the default; given: that key', () => {
    expect(config({}).storage).toMatchObject({ cacheKey: 'codex-auth' })
    expect(
      config({ 'cache-key': 'team-a' }, { ...env, 'INPUT_CACHE-KEY': 'team-a' }).storage
    ).toMatchObject({ cacheKey: 'team-a' })
  })
})

describe('run options', () => {
  test('shell-tool: on unless false, in any case', () => {
    expect(config({}).run?.shellTool).toBe(true)
    expect(config({ 'shell-tool': 'false' }).run?.shellTool).toBe(false)
    expect(config({ 'shell-tool': 'FALSE' }).run?.shellTool).toBe(false)
    expect(config({ 'shell-tool': 'True' }).run?.shellTool).toBe(true)
    expect(problems({ 'shell-tool': 'off' })).toEqual(["Input 'shell-tool' must be true or false."])
  })

  test('allow-danger-full-access is passed on', () => {
    expect(config({}).allowDangerFullAccess).toBe(false)
    expect(config({ 'allow-danger-full-access': 'true' }).allowDangerFullAccess).toBe(true)
  })

  test('a codex-args override of the credential store', () => {
    expect(problems({ 'codex-args': '-c cli_auth_credentials_store=keyring' })).toEqual([
      "Input 'codex-args' overrides cli_auth_credentials_store: Codex would keep the refreshed " +
        'session outside auth.json, where the action cannot store it. Remove that override.'
    ])
  })

  test('sandbox and a sandbox option in codex-args', () => {
    expect(problems({ sandbox: 'read-only', 'codex-args': '-s read-only' })).toEqual([
      "Input 'sandbox' and a sandbox option in 'codex-args' exclude each other " +
        '(Codex refuses a repeated --sandbox): set one of them.'
    ])
  })

  test('danger-full-access without the opt-in', () => {
    expect(problems({ sandbox: 'danger-full-access' })).toEqual([
      "danger-full-access (asked for in 'sandbox') lets every command the model runs read the " +
        "action's own secret inputs and write the runner's command files, and a prompt may carry " +
        "text that others wrote. Set 'allow-danger-full-access: true' only if that is what you " +
        'want; otherwise use workspace-write or read-only.'
    ])
  })

  test('a pass-through-env entry that is not a name', () => {
    expect(problems({ 'pass-through-env': 'GH_TOKEN, 9LIVES' })).toEqual([
      "Input 'pass-through-env': '9LIVES' is not a variable name (letters, digits and _, " +
        'separated by commas or new lines).'
    ])
  })
})
