import os from 'node:os'
import path from 'node:path'
import { InputError, readConfig } from '../../src/inputs.js'

const env = { GITHUB_WORKSPACE: '/work/space' }
const config = (inputs: Record<string, string>, environment: NodeJS.ProcessEnv = env) =>
  readConfig(name => inputs[name] ?? '', environment)

describe('readConfig', () => {
  test('defaults', () => {
    expect(config({})).toEqual({
      authJson: undefined,
      codexHome: path.join(os.homedir(), '.codex'),
      storage: 'none',
      storagePath: undefined,
      mode: 'run',
      prompt: 'Reply with the single word OK.',
      promptFile: undefined,
      codexArgs: [],
      workingDirectory: '/work/space',
      outputFile: undefined,
      codexPath: undefined
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
    expect(config({ 'auth-json': ' \n ' }).authJson).toBeUndefined()
  })

  test.each([
    [{ storage: 'cloud' }, "Input 'storage' must be one of: none, directory."],
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
