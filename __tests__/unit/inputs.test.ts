import os from 'node:os'
import path from 'node:path'
import { InputError, readConfig } from '../../src/inputs.js'

const env = { GITHUB_WORKSPACE: '/work/space' }
// Most tests are not about the cache: give storage: cache the key it needs unless a test sets one.
const config = (inputs: Record<string, string>, environment: NodeJS.ProcessEnv = env) =>
  readConfig(name => ({ 'auth-json': '{}', ...inputs })[name] ?? '', environment)

const KEY = 'an encryption key of at least 32 characters'

describe('readConfig', () => {
  test('defaults', () => {
    expect(readConfig(name => (name === 'encryption-key' ? KEY : ''), env)).toEqual({
      authJson: undefined,
      codexHome: path.join(os.homedir(), '.codex'),
      storage: 'cache',
      storagePath: undefined,
      mode: 'run',
      prompt: 'Reply with the single word OK.',
      promptFile: undefined,
      codexArgs: [],
      workingDirectory: '/work/space',
      outputFile: undefined,
      codexPath: undefined,
      cacheKey: 'codex-auth',
      encryptionKey: KEY,
      githubToken: '',
      allowAnyBranch: false,
      codexVersion: '0.169.0',
      registryUrl: 'https://registry.npmjs.org/'
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
      storagePath: '/work/space/store',
      outputFile: '/work/space/out/msg.txt',
      promptFile: '/work/space/p.md',
      prompt: undefined
    })
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
      cacheKey: 'team.a_1',
      allowAnyBranch: true,
      githubToken: 'ghs_x'
    })
  })

  test.each([
    [{ storage: 'cloud' }, "Input 'storage' must be one of: cache, directory, none."],
    [{ 'auth-json': '' }, 'storage: cache encrypts the session'],
    [{ 'encryption-key': 'short' }, "'encryption-key' must be at least 32 characters"],
    [{ 'cache-key': 'has space' }, "Input 'cache-key' must be 1 to 100 letters"],
    [{ 'cache-key': 'a,b' }, "Input 'cache-key' must be 1 to 100 letters"],
    [{ 'allow-any-branch': 'yes' }, "Input 'allow-any-branch' must be true or false."],
    [{ mode: 'once' }, "Input 'mode' must be one of: run, setup."],
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
