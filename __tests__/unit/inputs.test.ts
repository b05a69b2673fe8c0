import os from 'node:os'
import path from 'node:path'
import { InputError, readConfig } from '../../src/app/inputs.js'

const env = { GITHUB_WORKSPACE: '/work/space' }
// Most tests are not about the cache: give storage: cache the key it needs unless a test sets one.
const config = (inputs: Record<string, string>, environment: NodeJS.ProcessEnv = env) =>
  readConfig(
    name => (({ 'auth-json': '{}', ...inputs }) as Record<string, string>)[name] ?? '',
    environment
  )

const KEY = 'an encryption key of at least 32 characters'

describe('readConfig', () => {
  test('defaults', () => {
    expect(readConfig(name => (name === 'encryption-key' ? KEY : ''), env)).toEqual({
      mode: 'run',
      authJson: undefined,
      codexHome: path.join(os.homedir(), '.codex'),
      storage: { kind: 'cache', cacheKey: 'codex-auth', encryptionKey: KEY, allowAnyBranch: false },
      run: {
        prompt: { text: 'Reply with the single word OK.' },
        codexArgs: [],
        sandbox: 'workspace-write',
        shellTool: true,
        workingDirectory: '/work/space',
        outputFile: undefined,
        model: undefined,
        effort: undefined,
        outputSchema: undefined
      },
      codexPath: undefined,
      githubToken: '',
      codexVersion: '0.169.0',
      registryUrl: 'https://registry.npmjs.org/',
      storageTimeoutMs: 120_000,
      passThroughEnv: [],
      allowDangerFullAccess: false,
      role: 'owner',
      refreshAheadMs: 2 * 24 * 3600_000,
      minValidityMs: 3600_000
    })
  })

  test('codex-home: the input, else $CODEX_HOME, else ~/.codex; relative to the workspace', () => {
    expect(config({}, { ...env, CODEX_HOME: '/srv/codex' }).codexHome).toBe('/srv/codex')
    expect(
      config({ 'codex-home': 'rel/home' }, { ...env, CODEX_HOME: '/srv/codex' }).codexHome
    ).toBe('/work/space/rel/home')
    expect(config({ 'codex-home': '~/x' }).codexHome).toBe(path.join(os.homedir(), 'x'))
  })

  test('paths are resolved against the workspace', () => {
    const result = config({
      storage: 'directory',
      'storage-path': 'store',
      'output-file': 'out/msg.txt',
      'prompt-file': 'p.md'
    })
    expect(result).toMatchObject({
      storage: { kind: 'directory', path: '/work/space/store' },
      run: { outputFile: '/work/space/out/msg.txt', prompt: { file: '/work/space/p.md' } }
    })
    expect(result.run?.prompt).not.toHaveProperty('text')
  })

  test('a blank auth-json is no seed', () => {
    expect(config({ 'auth-json': ' \n ', storage: 'none' }).authJson).toBeUndefined()
  })

  test('the registry URL always ends in a slash', () => {
    expect(config({ 'registry-url': 'https://mirror.example/npm' }).registryUrl).toBe(
      'https://mirror.example/npm/'
    )
    expect(config({ 'registry-url': 'https://mirror.example/npm//' }).registryUrl).toBe(
      'https://mirror.example/npm/'
    )
  })

  test('cache inputs', () => {
    expect(
      config({ 'cache-key': 'team.a_1', 'allow-any-branch': 'TRUE', 'github-token': 'ghs_x' })
    ).toMatchObject({
      storage: {
        kind: 'cache',
        cacheKey: 'team.a_1',
        allowAnyBranch: true,
        encryptionKey: undefined
      },
      githubToken: 'ghs_x'
    })
  })

  test.each([
    [
      { storage: 'cloud' },
      "Input 'storage' must be one of: cache, directory, none, github-secret, command."
    ],
    [{ 'auth-json': '' }, 'storage: cache encrypts the session'],
    [{ 'encryption-key': 'short' }, "'encryption-key' must be at least 32 characters"],
    [{ 'cache-key': 'has space' }, "Input 'cache-key' must be 1 to 100 letters"],
    [{ 'cache-key': 'a,b' }, "Input 'cache-key' must be 1 to 100 letters"],
    [{ 'allow-any-branch': 'yes' }, "Input 'allow-any-branch' must be true or false."],
    [{ mode: 'once' }, "Input 'mode' must be one of: run, setup, verify."],
    [{ storage: 'directory' }, "'storage-path' is required with storage: directory"],
    [{ 'storage-path': '/x' }, "'storage-path' is only used with storage: directory"],
    [{ prompt: 'a', 'prompt-file': 'b' }, "'prompt' and 'prompt-file' exclude each other"],
    [{ mode: 'setup', prompt: 'a' }, "'prompt' is only used with mode: run"],
    [{ mode: 'setup', 'codex-args': '--x' }, "'codex-args' is only used with mode: run"],
    [{ 'codex-args': '["a", 1]' }, "'codex-args' must be a JSON array of strings"]
  ])('%j is refused', (inputs, message) => {
    expect(() => config(inputs)).toThrow(InputError)
    expect(() => config(inputs)).toThrow(message)
  })

  test('all problems are reported at once', () => {
    expect(() => config({ storage: 'x', mode: 'y' })).toThrow(/storage[\s\S]*mode/)
  })
})

describe('readConfig: run and setup', () => {
  test('a plain prompt is passed as text', () => {
    expect(config({ prompt: 'Summarise the diff.' }).run?.prompt).toEqual({
      text: 'Summarise the diff.'
    })
    // A prompt that looks like an option is still a prompt (it goes to stdin, not argv).
    expect(config({ prompt: '--help' }).run?.prompt).toEqual({ text: '--help' })
  })

  test('a prompt with a NUL byte is refused', () => {
    expect(() => config({ prompt: 'a\0b' })).toThrow(InputError)
    expect(() => config({ prompt: 'a\0b' })).toThrow("Input 'prompt' holds a NUL byte")
  })

  test('a valid setup config, read in full', () => {
    const inputs: Record<string, string> = {
      mode: 'setup',
      'auth-json': ' {"seed": true}\n',
      'codex-home': 'home',
      storage: 'directory',
      'storage-path': ' /srv/codex-auth ',
      'codex-path': 'bin/codex',
      'github-token': 'ghs_token',
      'codex-version': '0.170.0',
      'registry-url': 'https://npm.example.com/registry',
      'storage-timeout': '30',
      // Ignored in setup mode (but harmless): the working directory of mode run.
      'working-directory': 'sub'
    }
    expect(readConfig(name => inputs[name] ?? '', env)).toEqual({
      mode: 'setup',
      authJson: ' {"seed": true}\n',
      codexHome: '/work/space/home',
      storage: { kind: 'directory', path: '/srv/codex-auth' },
      run: undefined,
      codexPath: '/work/space/bin/codex',
      githubToken: 'ghs_token',
      codexVersion: '0.170.0',
      registryUrl: 'https://npm.example.com/registry/',
      storageTimeoutMs: 30_000,
      passThroughEnv: [],
      allowDangerFullAccess: false,
      role: 'owner',
      refreshAheadMs: 2 * 24 * 3600_000,
      minValidityMs: 3600_000
    })
  })

  test('storage: none needs no key', () => {
    expect(readConfig(name => (name === 'storage' ? 'none' : ''), env).storage).toEqual({
      kind: 'none'
    })
  })

  test('codex-version latest', () => {
    expect(config({ 'codex-version': 'latest' }).codexVersion).toBe('latest')
  })
})

describe('readConfig: storage-timeout', () => {
  test.each([
    ['1', 1_000],
    ['120', 120_000],
    ['3600', 3_600_000],
    ['0030', 30_000]
  ])('%j seconds', (value, ms) => {
    expect(config({ 'storage-timeout': value }).storageTimeoutMs).toBe(ms)
  })

  test.each(['0', '3601', '9999'])('%j is out of range', value => {
    expect(() => config({ 'storage-timeout': value })).toThrow(
      "Input 'storage-timeout' must be between 1 and 3600 seconds."
    )
  })

  test.each(['abc', '1.5', '-1', '12345', '1e3', '30s'])('%j is not a whole number', value => {
    expect(() => config({ 'storage-timeout': value })).toThrow(
      "Input 'storage-timeout' must be a whole number of seconds"
    )
  })
})

describe('readConfig: encryption-key', () => {
  test.each([' ', '   \n\t ', '\n'])('only whitespace (%j) is refused', value => {
    expect(() => config({ 'encryption-key': value })).toThrow(InputError)
    expect(() => config({ 'encryption-key': value })).toThrow(
      "Input 'encryption-key' is only whitespace"
    )
  })

  test('a short key is refused without echoing it', () => {
    let message = ''
    try {
      config({ 'encryption-key': 'short-SECRET' })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch('at least 32 characters')
    expect(message).not.toContain('short-SECRET')
  })

  test('exactly 32 characters is enough', () => {
    const key = 'x'.repeat(32)
    expect(config({ 'encryption-key': key }).storage).toMatchObject({ encryptionKey: key })
    expect(() => config({ 'encryption-key': 'x'.repeat(31) })).toThrow('at least 32 characters')
  })

  // readConfig's default reads inputs with core.getInput, as the runner passes them (INPUT_*).
  // core.getInput trims by default, so a whitespace-only secret arrives as '' and the refusal
  // above never fires in a real run: the key is then silently derived from auth-json instead.
  test('only whitespace is refused when read as the runner passes it', () => {
    const names = ['INPUT_ENCRYPTION-KEY', 'INPUT_AUTH-JSON']
    const saved = names.map(name => process.env[name])
    try {
      process.env['INPUT_ENCRYPTION-KEY'] = '   \n  '
      process.env['INPUT_AUTH-JSON'] = '{}'
      expect(() => readConfig(undefined, env)).toThrow("Input 'encryption-key' is only whitespace")
    } finally {
      names.forEach((name, i) => {
        if (saved[i] === undefined) delete process.env[name]
        else process.env[name] = saved[i]
      })
    }
  })
})

describe('the sandbox and the environment of Codex', () => {
  const run = (inputs: Record<string, string>) => config(inputs).run!
  test.each<[Record<string, string>, string | undefined]>([
    [{}, 'workspace-write'],
    [{ sandbox: 'read-only' }, 'read-only'],
    [{ 'codex-args': '--sandbox read-only' }, undefined], // codex-args carries it: not repeated
    [{ 'codex-args': '-s workspace-write' }, undefined],
    [{ sandbox: 'danger-full-access', 'allow-danger-full-access': 'true' }, 'danger-full-access']
  ])('%j: --sandbox %s', (inputs, sandbox) => {
    expect(run(inputs).sandbox).toBe(sandbox)
  })

  test.each([
    [{ sandbox: 'danger-full-access' }, "asked for in 'sandbox'"],
    [{ 'codex-args': '--sandbox danger-full-access' }, "asked for in 'codex-args'"],
    [{ 'codex-args': '-s danger-full-access' }, "asked for in 'codex-args'"],
    [{ 'codex-args': '--sandbox=danger-full-access' }, "asked for in 'codex-args'"],
    [{ 'codex-args': '-sdanger-full-access' }, "asked for in 'codex-args'"],
    [{ 'codex-args': '--dangerously-bypass-approvals-and-sandbox' }, "asked for in 'codex-args'"],
    [{ 'codex-args': '--yolo' }, "asked for in 'codex-args'"],
    [{ 'codex-args': `-c sandbox_mode="danger-full-access"` }, "asked for in 'codex-args'"],
    [{ 'codex-args': '["--config=sandbox_mode=danger-full-access"]' }, "asked for in 'codex-args'"],
    [
      { sandbox: 'full' },
      "Input 'sandbox' must be one of: read-only, workspace-write, danger-full-access."
    ],
    [{ sandbox: 'read-only', 'codex-args': '--sandbox read-only' }, 'exclude each other'],
    [
      { 'allow-danger-full-access': 'yes' },
      "Input 'allow-danger-full-access' must be true or false."
    ]
  ])('%j is refused', (inputs, message) => {
    expect(() => config(inputs)).toThrow(InputError)
    expect(() => config(inputs)).toThrow(message)
  })

  test('danger-full-access is refused naming the opt-in and why', () => {
    expect(() => config({ sandbox: 'danger-full-access' })).toThrow(
      /read the action's own secret inputs[\s\S]*'allow-danger-full-access: true'/
    )
  })

  test('pass-through-env: comma or newline separated names', () => {
    expect(
      config({ 'pass-through-env': 'GH_TOKEN, NPM_TOKEN\nMCP_TOKEN,' }).passThroughEnv
    ).toEqual(['GH_TOKEN', 'NPM_TOKEN', 'MCP_TOKEN'])
  })

  test.each([
    ['INPUT_AUTH-JSON', 'not a variable name'],
    ['INPUT_GITHUB_TOKEN', "the action's inputs"],
    ['input_x', "the action's inputs"],
    ['ACTIONS_RUNTIME_TOKEN', "the runner's own tokens"],
    ['ACTIONS_ID_TOKEN_REQUEST_TOKEN', "the runner's own tokens"],
    ['GITHUB_ENV', "the runner's command files"],
    ['CODEX_API_KEY', 'bypass the ChatGPT session'],
    ['A B', 'not a variable name']
  ])('pass-through-env %s is refused', (name, message) => {
    expect(() => config({ 'pass-through-env': name })).toThrow(
      new RegExp(
        `Input 'pass-through-env'[\\s\\S]*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`
      )
    )
  })
})

describe('readConfig: roles', () => {
  test('role and its durations', () => {
    const refresher = config({ role: 'refresher', 'encryption-key': KEY, 'refresh-ahead': '36h' })
    expect(refresher).toMatchObject({ role: 'refresher', refreshAheadMs: 36 * 3600_000 })
    const consumer = config({ role: 'consumer', 'encryption-key': KEY, 'min-validity': '2d' })
    expect(consumer).toMatchObject({ role: 'consumer', minValidityMs: 48 * 3600_000 })
  })

  test('a consumer needs neither secret-token nor persist-command', () => {
    expect(
      config({ role: 'consumer', storage: 'github-secret', 'secret-name': 'CODEX_AUTH_JSON' })
        .storage
    ).toMatchObject({ kind: 'github-secret', secretToken: '' })
    expect(
      config({ role: 'consumer', storage: 'command', 'restore-command': 'cat b.json' }).storage
    ).toMatchObject({ kind: 'command', persistCommand: '' })
  })

  test.each([
    [{ role: 'Owner' }, /Input 'role' must be one of: owner, refresher, consumer/],
    [{ role: 'refresher', 'refresh-ahead': '2w', 'encryption-key': KEY }, /'refresh-ahead'/],
    [{ role: 'consumer', 'min-validity': '90m', 'encryption-key': KEY }, /'min-validity'/],
    [{ role: 'consumer' }, /role: consumer needs 'encryption-key'/],
    [{ role: 'refresher', storage: 'none' }, /storage: none has no place/],
    [{ role: 'consumer', storage: 'none', 'auth-json': '' }, /needs 'auth-json'/],
    [{ role: 'consumer', storage: 'command' }, /needs 'restore-command'/],
    [{ role: 'consumer', mode: 'verify', 'encryption-key': KEY }, /verify the refresher instead/],
    [
      {
        role: 'refresher',
        storage: 'github-secret',
        'secret-token': 't',
        'secret-name': 'S'.repeat(95)
      },
      /too long for role: refresher/
    ]
  ])('refused: %j', (inputs, says) => {
    expect(() => config(inputs as Record<string, string>)).toThrow(InputError)
    expect(() => config(inputs as Record<string, string>)).toThrow(says)
  })
})
