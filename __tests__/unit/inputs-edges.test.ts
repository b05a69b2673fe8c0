/** readConfig at its edges: exact messages, whitespace around inputs, and paths. */
import os from 'node:os'
import path from 'node:path'
import { InputError, readConfig, resolvePath } from '../../src/app/inputs.js'

const env = { GITHUB_WORKSPACE: '/work/space' }
const KEY = 'an encryption key of at least 32 characters'
// storage: cache needs a key: auth-json gives one unless a test sets it.
const config = (inputs: Record<string, string>) =>
  readConfig(
    name => (({ 'auth-json': '{}', ...inputs }) as Record<string, string>)[name] ?? '',
    env
  )

function problems(inputs: Record<string, string>): string[] {
  try {
    config(inputs)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message.split('\n')
  }
  throw new Error('expected the inputs to be refused')
}

describe('each problem in full, one a line', () => {
  test('two problems: two lines, in the order of the inputs', () => {
    expect(problems({ mode: 'once', 'allow-any-branch': 'yes' })).toEqual([
      "Input 'mode' must be one of: run, setup, verify.",
      "Input 'allow-any-branch' must be true or false."
    ])
  })

  test.each(['0.169', '^0.169.0', 'lates', 'v0.169.0'])('codex-version %j', version => {
    expect(problems({ 'codex-version': version })).toEqual([
      "Input 'codex-version' must be 'latest' or an exact version such as 0.169.0."
    ])
  })

  test('an encryption-key of only whitespace', () => {
    expect(problems({ 'encryption-key': ' \n ' })).toEqual([
      "Input 'encryption-key' is only whitespace: most likely the secret it names is empty or " +
        'missing. Set the secret (make one with `openssl rand -base64 32`), or remove the input.'
    ])
  })

  test('storage: cache without a key, and an auth-json of only whitespace to derive one from', () => {
    expect(problems({ 'auth-json': ' \n\t' })).toEqual([
      'storage: cache encrypts the session (the cache is readable from pull requests and forks) and ' +
        "needs a key: set 'encryption-key' (a secret), or 'auth-json' to derive it from."
    ])
  })

  test.each(['-1', '1e9', '+5'])(
    'storage-timeout %j: not a whole number, and nothing said about its range',
    value => {
      expect(problems({ 'storage-timeout': value })).toEqual([
        "Input 'storage-timeout' must be a whole number of seconds (1 to 3600), like 120."
      ])
    }
  )

  test.each([
    ['prompt-file', 'p.md'],
    ['output-file', 'out.txt']
  ])('setup mode: %s is only used with mode run', (name, value) => {
    expect(problems({ mode: 'setup', [name]: value })).toEqual([
      `Input '${name}' is only used with mode: run; in setup mode later steps run codex. Remove it, or set mode: run.`
    ])
  })
})

describe('whitespace around inputs', () => {
  test('a prompt of only whitespace is no prompt in setup mode', () => {
    expect(config({ mode: 'setup', prompt: ' \n ' }).run).toBeUndefined()
  })

  test('inputs are trimmed before they are checked', () => {
    const result = config({
      storage: ' directory ',
      'storage-path': ' store\n',
      mode: ' setup\n',
      'codex-version': ' latest ',
      'storage-timeout': ' 30 '
    })
    expect(result).toMatchObject({
      storage: { kind: 'directory', path: '/work/space/store' },
      run: undefined,
      codexVersion: 'latest',
      storageTimeoutMs: 30_000
    })
  })

  test('an encryption-key with a line break after it (a pasted secret) is the key alone', () => {
    expect(config({ 'encryption-key': ` ${KEY}\n` }).storage).toMatchObject({
      kind: 'cache',
      encryptionKey: KEY
    })
  })
})

describe('paths', () => {
  test('~ alone is the home directory; ~user is not expanded', () => {
    expect(resolvePath('~', '/work/space')).toBe(os.homedir())
    expect(config({ 'codex-home': '~' }).codexHome).toBe(os.homedir())
    expect(resolvePath('~x/y', '/work/space')).toBe('/work/space/~x/y')
    expect(resolvePath('a/~/b', '/work/space')).toBe('/work/space/a/~/b')
  })

  test('the working directory of mode run is resolved against the workspace', () => {
    expect(config({ 'working-directory': 'sub/dir' }).run?.workingDirectory).toBe(
      path.join('/work/space', 'sub/dir')
    )
  })
})

describe('the sandbox that codex-args asks for', () => {
  // Fixed (src/codex/args.ts sandboxInArgs, lines 93-104): Codex runs with no sandbox at all when a bypass
  // flag comes with any --sandbox/-s (seen with Codex 0.169.0: `codex exec --yolo -s read-only`
  // prints "sandbox: danger-full-access"), but readConfig takes the last option, read-only, and
  // so does not ask for allow-danger-full-access.
  test.each(['--yolo -s read-only', '--dangerously-bypass-approvals-and-sandbox -s read-only'])(
    '%j needs allow-danger-full-access',
    codexArgs => {
      expect(() => config({ 'codex-args': codexArgs })).toThrow(
        /danger-full-access \(asked for in 'codex-args'\)/
      )
    }
  )

  test('a bypass flag after a sandbox option needs allow-danger-full-access', () => {
    expect(() => config({ 'codex-args': '-s read-only --yolo' })).toThrow(
      /danger-full-access \(asked for in 'codex-args'\)/
    )
  })
})
