/**
 * The whole lifecycle, end to end: the bundled action run as the runner runs it, the real Codex CLI,
 * the loopback token endpoint with rotating refresh tokens, and the strict HTTPS backend.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import path from 'node:path'
import type { AuthJson } from './fakes/authority.js'
import { scratchDir } from './harness/paths.js'
import { codexHomeOf, errorsOf, readAuth, useScenario, warningsOf } from './harness/scenario.js'
import { prepareCodexHome, type World } from './harness/world.js'

const scenario = useScenario()
const { freshJob, newJob, configuredJob } = scenario
let world: World
beforeAll(() => {
  world = scenario.world
})
/** A storage directory that does not exist yet, as on a new runner: the action must create it. */
const newStore = () => path.join(scratchDir('store'), 'codex-session')

/** The files in a storage directory; none when the directory was never made. */
const storedFiles = (store: string) => (existsSync(store) ? readdirSync(store) : [])

function directoryInputs(storagePath: string, seed?: AuthJson): Record<string, string> {
  return {
    ...(seed ? { 'auth-json': JSON.stringify(seed) } : {}),
    storage: 'directory',
    'storage-path': storagePath,
    'codex-path': world.codexPath
  }
}

describe('a stale seed on ephemeral jobs with directory storage', () => {
  test('Codex refreshes, post stores, and a fresh job restores the refreshed session without refreshing', async () => {
    const store = newStore()
    const seed = world.authority.signIn({ accessExpiresInSeconds: 60 })

    const first = freshJob()
    const main = await first.runAction(directoryInputs(store, seed))
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({
      'auth-source': 'secret',
      refreshed: 'true',
      'codex-exit-code': '0',
      'final-message': 'OK',
      'codex-home': codexHomeOf(first)
    })
    expect(world.tokenEndpoint.requests.at(-1)).toEqual({
      refreshReason: 'proactive_expiry',
      status: 200
    })
    const onDisk = readAuth(path.join(codexHomeOf(first), 'auth.json'))
    expect(onDisk.tokens.refresh_token).not.toBe(seed.tokens.refresh_token)
    expect(main.outputs['last-refresh']).toBe(onDisk.last_refresh)
    expect(Date.parse(main.outputs['expires-at']!)).toBeGreaterThan(Date.now() + 30 * 60 * 1000)
    expect(main.exportedEnv.CODEX_HOME).toBe(codexHomeOf(first))
    // Every token (seed and refreshed) and the secret itself are registered for masking.
    const secretForms = [JSON.stringify(seed), Buffer.from(JSON.stringify(seed)).toString('base64')]
    for (const value of [
      ...Object.values(seed.tokens).slice(0, 3),
      ...Object.values(onDisk.tokens).slice(0, 3),
      ...secretForms
    ]) {
      expect(main.masks).toContain(value)
    }
    // The state handed to post is one typed value with no token: a path, fingerprints (SHA-256),
    // timestamps, a source, the stored version main saw and the durations of its phases.
    expect(Object.keys(main.state)).toEqual(['session'])
    const state = JSON.parse(main.state.session!)
    expect(state).toEqual({
      codexHome: codexHomeOf(first),
      start: {
        source: 'secret',
        fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
        lastRefresh: seed.last_refresh,
        storedReadable: false // nothing was stored yet
      },
      refreshedFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      // How long main's phases took, for the post step's summary.
      phases: [
        'bootstrap: choose the session',
        'invoke: provide Codex',
        'bootstrap: write CODEX_HOME',
        'invoke: codex exec'
      ].map(name => ({ name, ms: expect.any(Number) }))
    })

    const [post] = await first.finish()
    expect(post!.exitCode).toBe(0)
    expect(post!.stdout).toMatch(/Stored the refreshed session/)
    const storedFile = path.join(store, 'auth.json')
    expect(readAuth(storedFile).tokens.refresh_token).toBe(onDisk.tokens.refresh_token)
    expect(statSync(storedFile).mode & 0o777).toBe(0o600)
    expect(statSync(store).mode & 0o777).toBe(0o700)

    const refreshesBefore = world.tokenEndpoint.requests.length
    const second = freshJob()
    const restored = await second.runAction(directoryInputs(store, seed))
    expect(restored.exitCode).toBe(0)
    expect(restored.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'false' })
    expect(world.tokenEndpoint.requests.length).toBe(refreshesBefore)
    const [secondPost] = await second.finish()
    expect(secondPost!.stdout).toMatch(/did not change during this job: nothing to store/)
  })

  test('the session is written safely and the user config is kept', async () => {
    const job = freshJob()
    const userConfig = world.userConfig('model = "gpt-test" # mine')
    prepareCodexHome(codexHomeOf(job), userConfig)
    const main = await job.runAction(directoryInputs(newStore(), world.authority.signIn()))
    expect(main.exitCode).toBe(0)
    const home = codexHomeOf(job)
    expect(statSync(home).mode & 0o777).toBe(0o700)
    const auth = lstatSync(path.join(home, 'auth.json'))
    expect(auth.isFile()).toBe(true)
    expect(auth.mode & 0o777).toBe(0o600)
    const config = readFileSync(path.join(home, 'config.toml'), 'utf8')
    expect(config.endsWith(userConfig)).toBe(true)
    expect(config.match(/^cli_auth_credentials_store = "file"/gm)).toHaveLength(1)
    // No temporary files left behind.
    expect(readdirSync(home).filter(name => name.endsWith('.tmp'))).toEqual([])
    await job.finish()
  })
})

test('storage-path that does not exist yet: created with mode 0700, and the refreshed session stored there', async () => {
  // The regression of 0.1: the lock was opened before the directory existed.
  const store = path.join(scratchDir('store'), 'not', 'yet', 'there')
  const job = freshJob()
  await job.runAction(
    directoryInputs(store, world.authority.signIn({ accessExpiresInSeconds: 60 }))
  )
  const [post] = await job.finish()
  expect(post!.exitCode).toBe(0)
  expect(statSync(store).mode & 0o777).toBe(0o700)
  expect(readAuth(path.join(store, 'auth.json'))).toEqual(
    readAuth(path.join(codexHomeOf(job), 'auth.json'))
  )
})

test('as an unprivileged user on a new runner: refreshed and stored, files private', async () => {
  const store = newStore()
  const job = freshJob({ unprivileged: true })
  job.give(path.dirname(store))
  const main = await job.runAction(
    directoryInputs(store, world.authority.signIn({ accessExpiresInSeconds: 60 }))
  )
  expect(main.exitCode).toBe(0)
  expect(main.outputs.refreshed).toBe('true')
  const [post] = await job.finish()
  expect(post!.exitCode).toBe(0)
  const stored = statSync(path.join(store, 'auth.json'))
  expect([stored.uid, stored.mode & 0o777]).toEqual([job.user.uid, 0o600])
})

test('a fresh session: Codex does not refresh, and nothing is stored', async () => {
  const store = newStore()
  const job = freshJob()
  const requestsBefore = world.tokenEndpoint.requests.length
  const main = await job.runAction(
    directoryInputs(store, world.authority.signIn({ accessExpiresInSeconds: 3600 }))
  )
  expect(main.exitCode).toBe(0)
  expect(main.outputs).toMatchObject({
    'auth-source': 'secret',
    refreshed: 'false',
    'final-message': 'OK'
  })
  expect(world.tokenEndpoint.requests.length).toBe(requestsBefore)
  const [post] = await job.finish()
  expect(post!.exitCode).toBe(0)
  expect(existsSync(path.join(store, 'auth.json'))).toBe(false)
})

describe('a persistent self-hosted runner (storage: none)', () => {
  test('a session already on disk is kept; the secret is not re-applied', async () => {
    const seed = world.authority.signIn({ accessExpiresInSeconds: 60 })
    const first = freshJob()
    const inputs = {
      'auth-json': JSON.stringify(seed),
      storage: 'none',
      'codex-path': world.codexPath
    }
    expect((await first.runAction(inputs)).outputs).toMatchObject({
      'auth-source': 'secret',
      refreshed: 'true'
    })
    const [post] = await first.finish()
    expect(post!.exitCode).toBe(0)
    expect(post!.stdout).toMatch(/stays|storage: none keeps it/)
    const refreshed = readAuth(path.join(codexHomeOf(first), 'auth.json'))

    // The next job on the same machine: same disk, same (now older) secret.
    const second = newJob({ root: first.root })
    const main = await second.runAction(inputs)
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({ 'auth-source': 'disk', refreshed: 'false' })
    expect(readAuth(path.join(codexHomeOf(second), 'auth.json'))).toEqual(refreshed)
    await second.finish()
  })

  test('a GitHub-hosted runner with storage none refuses a run that would refresh, before Codex runs', async () => {
    const job = freshJob({ runner: { RUNNER_ENVIRONMENT: 'github-hosted' } })
    const requestsBefore = world.tokenEndpoint.requests.length
    const main = await job.runAction({
      'auth-json': JSON.stringify(world.authority.signIn({ accessExpiresInSeconds: 60 })),
      storage: 'none',
      'codex-path': world.codexPath
    })
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main).join()).toMatch(
      /Codex would refresh this session on this run[\s\S]*could not be stored[\s\S]*To fix/
    )
    expect(world.tokenEndpoint.requests.length).toBe(requestsBefore)
    expect(main.outputs['codex-exit-code']).toBeUndefined()
    const [post] = await job.finish()
    expect(post!.exitCode).toBe(0)
  })
})

test('Codex fails after refreshing: post still stores the rotated token, and the job fails', async () => {
  const store = newStore()
  const seed = world.authority.signIn({ accessExpiresInSeconds: 60 })
  world.backend.failTurnsWith = 400
  const job = freshJob()
  const main = await job.runAction(directoryInputs(store, seed))
  expect(main.exitCode).not.toBe(0)
  expect(main.outputs['codex-exit-code']).not.toBe('0')
  expect(main.outputs.refreshed).toBe('true')
  expect(errorsOf(main).join()).toMatch(/codex exec failed with exit code/)
  const [post] = await job.finish()
  expect(post!.exitCode).toBe(0)
  const stored = readAuth(path.join(store, 'auth.json'))
  expect(stored.tokens.refresh_token).not.toBe(seed.tokens.refresh_token)
  expect(stored).toEqual(readAuth(path.join(codexHomeOf(job), 'auth.json')))
})

test('a dead session: a clear error with the recovery, and nothing overwritten', async () => {
  const store = newStore()
  // The stored session's refresh token was used by someone else, and its access token has expired.
  const dead = world.authority.signIn({ accessExpiresInSeconds: -60 })
  world.authority.refresh(dead.tokens.refresh_token)
  mkdirSync(store, { mode: 0o700 })
  writeFileSync(path.join(store, 'auth.json'), JSON.stringify(dead, null, 2), { mode: 0o600 })
  const storedBefore = readFileSync(path.join(store, 'auth.json'), 'utf8')

  const job = freshJob()
  const main = await job.runAction(directoryInputs(store))
  expect(main.exitCode).toBe(1)
  expect(main.outputs).toMatchObject({
    'auth-source': 'storage',
    refreshed: 'false',
    'codex-exit-code': '1'
  })
  const [error] = errorsOf(main)
  expect(error).toMatch(/could not refresh the ChatGPT session: its refresh token was already used/)
  expect(error).toMatch(/concurrent use of one session/)
  expect(error).toMatch(/codex login/)
  expect(error).toMatch(/nothing else uses this session/)
  const [post] = await job.finish()
  expect(post!.exitCode).toBe(0)
  expect(readFileSync(path.join(store, 'auth.json'), 'utf8')).toBe(storedBefore)
})

describe('every bad secret: a failing step, an error annotation, nothing written', () => {
  const valid = () => world.authority.signIn()
  const cases: [string, () => string, RegExp][] = [
    ['not JSON', () => 'this is not json {', /neither JSON nor base64/],
    ['invalid JSON', () => '{"tokens": }', /not valid JSON/],
    [
      'API key auth',
      () => JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-test-123456' }),
      /auth_mode is not "chatgpt"/
    ],
    [
      'an API key without auth_mode',
      () => JSON.stringify({ OPENAI_API_KEY: 'sk-test-123456' }),
      /OPENAI_API_KEY is set/
    ],
    [
      'no refresh token',
      () => {
        const a: any = valid()
        delete a.tokens.refresh_token
        return JSON.stringify(a)
      },
      /tokens.refresh_token is missing or empty/
    ],
    [
      'an empty refresh token',
      () => {
        const a: any = valid()
        a.tokens.refresh_token = ''
        return JSON.stringify(a)
      },
      /tokens.refresh_token is missing or empty/
    ],
    [
      'an id_token that is not a JWT',
      () => {
        const a: any = valid()
        a.tokens.id_token = 'not-a-jwt'
        return JSON.stringify(a)
      },
      /tokens.id_token is missing or not a JWT/
    ],
    [
      'tokens of the wrong type',
      () => {
        const a: any = valid()
        a.tokens = ['x']
        return JSON.stringify(a)
      },
      /tokens is missing or not an object/
    ],
    [
      'last_refresh of the wrong type',
      () => {
        const a: any = valid()
        a.last_refresh = 12
        return JSON.stringify(a)
      },
      /last_refresh is missing or not an RFC 3339/
    ],
    [
      'base64 of a bad file',
      () => Buffer.from('{"auth_mode":"apikey"}').toString('base64'),
      /auth_mode is not "chatgpt"/
    ]
  ]
  test.each(cases)('%s', async (_, secret, expected) => {
    const store = newStore()
    const input = secret()
    const bad = freshJob()
    const step = await bad.runAction({ ...directoryInputs(store), 'auth-json': input })
    expect(step.exitCode).toBe(1)
    const errors = errorsOf(step)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^The 'auth-json' input is not a usable auth.json: /)
    expect(errors[0]).toMatch(expected)
    expect(errors[0]).not.toContain(input.trim())
    expect(errors[0]).not.toContain('sk-test-123456')
    expect(existsSync(path.join(codexHomeOf(bad), 'auth.json'))).toBe(false)
    expect(storedFiles(store)).toEqual([])
    expect(step.state).toEqual({})
    const [post] = await bad.finish()
    expect(post!.exitCode).toBe(0)
    expect(storedFiles(store)).toEqual([])
  })
})

test('setup mode: a later step runs codex, and post stores its refresh', async () => {
  const store = newStore()
  const seed = world.authority.signIn({ accessExpiresInSeconds: 60 })
  const job = freshJob()
  const setup = await job.runAction({ ...directoryInputs(store, seed), mode: 'setup' })
  expect(setup.exitCode).toBe(0)
  expect(setup.outputs).toMatchObject({ 'auth-source': 'secret', refreshed: 'false' })
  expect(setup.outputs['codex-exit-code']).toBeUndefined()

  const requestsBefore = world.tokenEndpoint.requests.length
  // A later `run:` step: codex finds CODEX_HOME through GITHUB_ENV.
  const later = await job.runCommand(
    world.codexPath,
    ['exec', ...world.codexArgs, '--json', '--skip-git-repo-check', 'Say OK'],
    'codex exec'
  )
  expect(later.exitCode).toBe(0)
  expect(world.tokenEndpoint.requests.length).toBe(requestsBefore + 1)

  const [post] = await job.finish()
  expect(post!.exitCode).toBe(0)
  expect(readAuth(path.join(store, 'auth.json')).tokens.refresh_token).not.toBe(
    seed.tokens.refresh_token
  )
})

test('API-key variables in the environment are kept from Codex, with a warning', async () => {
  const job = freshJob({
    env: { OPENAI_API_KEY: 'sk-should-not-be-used', CODEX_API_KEY: 'sk-nor-this' }
  })
  const main = await job.runAction(
    directoryInputs(newStore(), world.authority.signIn({ accessExpiresInSeconds: 60 }))
  )
  expect(main.exitCode).toBe(0)
  expect(main.outputs.refreshed).toBe('true') // the ChatGPT session was used, and refreshed
  const warnings = warningsOf(main).join('\n')
  expect(warnings).toMatch(/CODEX_API_KEY is set in this step's environment/)
  expect(warnings).toMatch(/OPENAI_API_KEY is set in this step's environment/)
  await job.finish()
})

describe('files the action will not touch', () => {
  test('an unusable auth.json on disk stops the step and stays as it is', async () => {
    const job = configuredJob()
    const file = path.join(codexHomeOf(job), 'auth.json')
    writeFileSync(file, '{"auth_mode": "apikey", "OPENAI_API_KEY": "sk-user-key"}', { mode: 0o600 })
    const main = await job.runAction(directoryInputs(newStore(), world.authority.signIn()))
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main).join()).toMatch(
      /exists but is not a usable ChatGPT session[\s\S]*Remove it/
    )
    expect(readFileSync(file, 'utf8')).toContain('sk-user-key')
    await job.finish()
  })

  test('a symlinked auth.json is never written through', async () => {
    const job = configuredJob()
    const target = path.join(job.root, 'elsewhere.json')
    writeFileSync(
      target,
      JSON.stringify(world.authority.signIn({ lastRefresh: new Date(Date.now() - 86400_000) }))
    )
    symlinkSync(target, path.join(codexHomeOf(job), 'auth.json'))
    const before = readFileSync(target, 'utf8')
    const main = await job.runAction(directoryInputs(newStore(), world.authority.signIn()))
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main).join()).toMatch(/is a symbolic link/)
    expect(readFileSync(target, 'utf8')).toBe(before)
    await job.finish()
  })

  test('auth.json deleted by a later step after Codex refreshed it: post fails loudly', async () => {
    const store = newStore()
    const job = freshJob()
    const main = await job.runAction(
      directoryInputs(store, world.authority.signIn({ accessExpiresInSeconds: 60 }))
    )
    expect(main.outputs.refreshed).toBe('true')
    await job.runCommand('rm', [path.join(codexHomeOf(job), 'auth.json')])
    const [post] = await job.finish()
    expect(post!.exitCode).toBe(1)
    expect(errorsOf(post!).join()).toMatch(
      /could not be stored: .*auth\.json is gone[\s\S]*codex login/
    )
  })

  test('auth.json deleted by a later step when nothing was refreshed: a warning', async () => {
    const job = freshJob()
    await job.runAction(directoryInputs(newStore(), world.authority.signIn()))
    await job.runCommand('rm', [path.join(codexHomeOf(job), 'auth.json')])
    const [post] = await job.finish()
    expect(post!.exitCode).toBe(0)
    expect(warningsOf(post!).join()).toMatch(/auth\.json is gone/)
  })

  test('auth.json left corrupt by a later step: post does not store it, and says so', async () => {
    const store = newStore()
    const job = freshJob()
    await job.runAction({
      ...directoryInputs(store, world.authority.signIn({ accessExpiresInSeconds: 60 })),
      mode: 'setup'
    })
    await job.runCommand(world.codexPath, [
      'exec',
      ...world.codexArgs,
      '--json',
      '--skip-git-repo-check',
      'Say OK'
    ])
    writeFileSync(
      path.join(codexHomeOf(job), 'auth.json'),
      '{"tokens": {"refresh_token": "half-writ'
    )
    const [post] = await job.finish()
    expect(post!.exitCode).toBe(1)
    expect(errorsOf(post!).join()).toMatch(/is not a usable session any more, so it was not stored/)
    expect(storedFiles(store)).toEqual([])
  })
})

test('prompt-file, codex-args, working-directory and output-file reach codex exec', async () => {
  const job = freshJob()
  const project = path.join(job.workspace, 'project')
  mkdirSync(project)
  writeFileSync(path.join(job.workspace, 'prompt.md'), 'PROMPT-FROM-FILE-4711: reply OK')
  world.backend.reply = 'Done from the fake model.'
  try {
    const main = await job.runAction({
      ...directoryInputs(newStore(), world.authority.signIn()),
      'prompt-file': 'prompt.md',
      'codex-args': '["--sandbox", "read-only"]',
      'working-directory': 'project',
      'output-file': 'out/final.txt'
    })
    expect(main.exitCode).toBe(0)
    expect(world.backend.turns.at(-1)).toContain('PROMPT-FROM-FILE-4711')
    expect(world.backend.turns.at(-1)).toContain(project) // Codex tells the model where it runs
    expect(main.outputs['final-message']).toBe('Done from the fake model.')
    expect(readFileSync(path.join(job.workspace, 'out/final.txt'), 'utf8').trim()).toBe(
      'Done from the fake model.'
    )
  } finally {
    world.backend.reply = 'OK'
  }
  await job.finish()
})

describe('every bad input: a failing step naming the input, and nothing written', () => {
  test.each<[string, Record<string, string>, RegExp]>([
    [
      'an unknown storage',
      { storage: 'cloud' },
      /Input 'storage' must be one of: cache, directory, none, github-secret, command/
    ],
    ['directory storage without a path', { storage: 'directory' }, /'storage-path' is required/],
    ['an unknown mode', { mode: 'sometimes' }, /Input 'mode' must be one of: run, setup/],
    ['a missing prompt file', { 'prompt-file': 'nope.md' }, /Input 'prompt-file': cannot read/],
    [
      'a working directory that does not exist',
      { 'working-directory': 'nowhere' },
      /Input 'working-directory': .* is not a directory/
    ],
    [
      'a codex-path that does not exist',
      { 'codex-path': '/nonexistent/codex' },
      /Input 'codex-path': .* is not an executable file/
    ],
    ['codex-args that do not parse', { 'codex-args': '--model "unclosed' }, /unclosed " quote/]
  ])('%s', async (_, inputs, expected) => {
    const job = freshJob()
    const step = await job.runAction({
      'auth-json': JSON.stringify(world.authority.signIn()),
      'codex-path': world.codexPath,
      ...inputs
    })
    expect(step.exitCode).toBe(1)
    expect(errorsOf(step)).toEqual([expect.stringMatching(expected)])
    expect(existsSync(path.join(codexHomeOf(job), 'auth.json'))).toBe(false)
    expect(step.state).toEqual({})
    const [post] = await job.finish()
    expect(post!.exitCode).toBe(0)
  })
})

describe('no token in the log, whatever Codex logs', () => {
  test.each([
    ['RUST_LOG=trace', { RUST_LOG: 'trace' }],
    ['RUST_LOG=trace and RUNNER_DEBUG=1', { RUST_LOG: 'trace', RUNNER_DEBUG: '1' }]
  ])(
    '%s: a refresh is logged by Codex, and every token is masked before its line is shown',
    async (_, env) => {
      const store = newStore()
      const seed = world.authority.signIn({ accessExpiresInSeconds: 60 })
      const job = freshJob({ env })
      const main = await job.runAction(directoryInputs(store, seed))
      expect(main.exitCode).toBe(0)
      expect(main.outputs.refreshed).toBe('true')
      const refreshed = readAuth(path.join(codexHomeOf(job), 'auth.json'))
      // Codex's trace output reached the log (so the check below means something)...
      expect(main.stdout).toMatch(/TRACE|DEBUG/)
      // ...and the new access token appears in it only after it was masked (the afterEach scan).
      expect(main.masks).toContain(refreshed.tokens.access_token)
      const [post] = await job.finish()
      expect(post!.exitCode).toBe(0)
    }
  )
})
