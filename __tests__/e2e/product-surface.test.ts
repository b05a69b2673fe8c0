/**
 * The product surface, end to end: mode verify, the invocation inputs of openai/codex-action
 * (what Codex received: the recording shim's argv, and the request the fake backend got), and the
 * job summary and annotations of main and post (the summary file the runner would show).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { ACCOUNT_ID, type AuthJson } from './fakes/authority.js'
import { sealedArchive } from './harness/archives.js'
import { snapshot } from './harness/disk.js'
import { scratchDir } from './harness/paths.js'
import { findLeakedTokens, Job, type JobOptions, type StepResult } from './harness/runner.js'
import {
  codexHomeOf,
  errorsOf,
  noticesOf,
  readAuth,
  useScenario,
  warningsOf
} from './harness/scenario.js'
import { prepareCodexHome } from './harness/world.js'

const scenario = useScenario()
const ENCRYPTION_KEY = 'product-surface-encryption-key-0123456789'
const DEAD_REGISTRY = 'http://127.0.0.1:9/' // verify must not install Codex: nothing listens here

beforeEach(() => scenario.world.cache.reset())

const cacheJob = (options: JobOptions = {}) =>
  scenario.freshJob({
    ...options,
    runner: {
      RUNNER_ENVIRONMENT: 'github-hosted',
      ...scenario.world.cacheRunner(),
      ...options.runner
    }
  })

const cacheInputs = (seed?: AuthJson, extra: Record<string, string> = {}) => ({
  ...(seed ? { 'auth-json': JSON.stringify(seed) } : {}),
  'encryption-key': ENCRYPTION_KEY,
  'codex-path': scenario.world.codexPath,
  ...extra
})

const directoryInputs = (store: string, seed?: AuthJson, extra: Record<string, string> = {}) => ({
  ...(seed ? { 'auth-json': JSON.stringify(seed) } : {}),
  storage: 'directory',
  'storage-path': store,
  'codex-path': scenario.world.codexPath,
  ...extra
})

const newStore = () => path.join(scratchDir('store'), 'codex-session')
const finalized = () => scenario.world.cache.entries().filter(entry => entry.state === 'finalized')

/** The summary table's rows, as the runner would render them: `What` -> `Value`. */
function summaryRows(step: StepResult): Record<string, string> {
  const rows: Record<string, string> = {}
  for (const [, what, value] of step.summary.matchAll(/<tr><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g))
    rows[what!] = value!
  return rows
}

/** What every Codex run since `before` received as argv (the recording shim's logs). */
function execArgvSince(before: readonly string[]): string[][] {
  const seen = new Set(before)
  return scenario.world
    .codexInvocations()
    .filter(text => !seen.has(text) && text.startsWith('exec\n'))
    .map(text => text.split('\n').slice(0, -1))
}

/** The JSON body of the last model turn the fake backend received. */
const lastTurn = () => JSON.parse(scenario.world.backend.turns.at(-1)!) as Record<string, any>

/** Stores a generation in the cache: a job whose stale seed Codex refreshes, and post stores. */
async function storeGeneration(): Promise<AuthJson> {
  const job = cacheJob()
  const main = await job.runAction(
    cacheInputs(scenario.world.authority.signIn({ accessExpiresInSeconds: 60 }))
  )
  expect(main.outputs.refreshed).toBe('true')
  const [post] = await job.finish()
  expect(post!.exitCode).toBe(0)
  return readAuth(path.join(codexHomeOf(job), 'auth.json'))
}

/** Runs mode verify and checks that it ran nothing and changed nothing, whatever it found. */
async function verify(job: Job, inputs: Record<string, string>) {
  const { world } = scenario
  const before = {
    disk: snapshot(job.root),
    entries: world.cache.entries().map(entry => entry.key),
    invocations: world.codexInvocations().length,
    refreshes: world.tokenEndpoint.requests.length,
    backend: world.backend.requests.length,
    creates: world.cache.callCount('CreateCacheEntry')
  }
  const main = await job.runAction({ ...inputs, mode: 'verify', 'registry-url': DEAD_REGISTRY })
  const [post] = await job.finish()
  // Nothing ran: no Codex at all (not even --version), no token endpoint, no backend.
  expect(world.codexInvocations().length).toBe(before.invocations)
  expect(world.tokenEndpoint.requests.length).toBe(before.refreshes)
  expect(world.backend.requests.length).toBe(before.backend)
  // Nothing written: the job's disk (CODEX_HOME included), the cache; no state for post.
  expect(snapshot(job.root)).toEqual(before.disk)
  expect(world.cache.entries().map(entry => entry.key)).toEqual(before.entries)
  expect(world.cache.callCount('CreateCacheEntry')).toBe(before.creates)
  expect(main.state).toEqual({})
  expect(main.exportedEnv).toEqual({})
  expect(post!.exitCode).toBe(0)
  expect(post!.stdout).toMatch(/Nothing to store: verify mode runs no Codex/)
  expect(post!.summary).toBe('')
  return { main, post: post! }
}

describe('mode verify', () => {
  test('the stored generation a run would start from: reported, with its age; nothing run or written', async () => {
    const stored = await storeGeneration()
    const [entry] = finalized()
    const job = cacheJob()
    const { main } = await verify(job, cacheInputs(undefined, { 'codex-path': '' }))
    expect({ exitCode: main.exitCode, errors: errorsOf(main) }).toEqual({ exitCode: 0, errors: [] })
    expect(main.outputs).toEqual({
      'auth-source': 'storage',
      'last-refresh': stored.last_refresh,
      'expires-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      'will-refresh': 'false'
    })
    expect(existsSync(codexHomeOf(job))).toBe(false)
    const rows = summaryRows(main)
    expect(main.summary).toContain(
      '<h3>Codex session: verified (nothing run, nothing written)</h3>'
    )
    expect(rows).toMatchObject({
      Mode: 'verify',
      'Session from': 'storage: Actions cache, key codex-auth-*',
      Account: 'acct_te…, plan plus',
      'Refreshed during this step': 'no (verify mode runs no Codex)',
      'Last refresh': stored.last_refresh,
      'Next refresh': expect.stringMatching(/^by Codex on the first run after /),
      'Stored generation': `${entry!.key} (saved 1 minute ago)`,
      'Saved to': expect.stringMatching(/^nothing \(verify mode writes nothing/)
    })
    expect(main.summary).toMatch(/<td>verify: read the sessions<\/td><td>\d+\.\d\d s<\/td>/)
    // The log says the same; neither holds the whole account id.
    expect(main.stdout).toContain(`Stored generation: ${entry!.key}`)
    for (const text of [main.summary, main.stdout]) expect(text).not.toContain(ACCOUNT_ID)
  })

  test('a session Codex will refresh on the next run: will-refresh true, and when', async () => {
    const { main } = await verify(
      cacheJob(),
      cacheInputs(scenario.world.authority.signIn({ accessExpiresInSeconds: 60 }))
    )
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({ 'auth-source': 'secret', 'will-refresh': 'true' })
    expect(summaryRows(main)['Next refresh']).toMatch(
      /^on the next run: its access token expires within 5 minutes/
    )
    expect(warningsOf(main)).toEqual([])
  })

  test('an expired access token that no run here could refresh: a warning that says how to fix it', async () => {
    const job = cacheJob({ runner: scenario.world.cacheRunner({ ref: 'refs/heads/feature' }) })
    const { main } = await verify(
      job,
      cacheInputs(scenario.world.authority.signIn({ accessExpiresInSeconds: -60 }))
    )
    expect(main.exitCode).toBe(0)
    expect(main.outputs['will-refresh']).toBe('true')
    expect(warningsOf(main)).toEqual([
      expect.stringMatching(
        /^Codex will refresh this session on its next run \(its access token expired at .*\), but a run like this one could not store the refreshed session: .*refs\/heads\/feature.*nothing here can refresh the access token\. To fix: /
      )
    ])
  })

  test('a generation close to the 7-day eviction: the warning a run gives, and its age', async () => {
    await storeGeneration()
    const [stored] = finalized()
    scenario.world.cache.reset()
    const savedAt = Date.now() - 6 * 24 * 3600_000
    const key = `codex-auth-${savedAt}-0badc0de`
    const session = scenario.world.authority.signIn({ lastRefresh: new Date(savedAt) })
    scenario.world.cache.seed({
      key,
      version: stored!.version,
      scope: stored!.scope,
      blob: sealedArchive(JSON.stringify(session, null, 2), key, ENCRYPTION_KEY)
    })
    const { main } = await verify(cacheJob(), cacheInputs())
    expect(main.exitCode).toBe(0)
    expect(warningsOf(main).join()).toMatch(/stored 6 days ago[\s\S]*evicted[\s\S]*every 3 days/)
    expect(summaryRows(main)['Stored generation']).toBe(`${key} (saved 6 days ago)`)
  })

  test('a session on disk (a persistent runner) is the one reported, and left as it is', async () => {
    const job = scenario.freshJob()
    const onDisk = scenario.world.authority.signIn()
    prepareCodexHome(codexHomeOf(job), scenario.world.userConfig(), onDisk)
    const { main } = await verify(job, { storage: 'none' })
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({
      'auth-source': 'disk',
      'last-refresh': onDisk.last_refresh,
      'will-refresh': 'false'
    })
    expect(summaryRows(main)['Session from']).toBe(`disk: ${codexHomeOf(job)}/auth.json`)
  })

  const apiKeyAuth = JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-test-verify-0001' })
  test.each<[string, (job: Job) => Record<string, string>, RegExp[]]>([
    [
      'no session anywhere',
      () => ({ storage: 'directory', 'storage-path': newStore() }),
      [/No ChatGPT session to start from/, /holds none/, /codex login/]
    ],
    [
      'an auth-json that is not ChatGPT auth (an API key)',
      () => ({ storage: 'none', 'auth-json': apiKeyAuth }),
      [/'auth-json' input is not a usable auth\.json/, /auth_mode is not "chatgpt"/]
    ],
    [
      'an auth-json without a refresh token',
      () => {
        const auth = scenario.world.authority.signIn() as Record<string, any>
        delete auth.tokens.refresh_token
        return { storage: 'none', 'auth-json': JSON.stringify(auth) }
      },
      [/tokens\.refresh_token is missing/]
    ],
    [
      'a corrupt auth.json on disk',
      job => {
        prepareCodexHome(codexHomeOf(job), scenario.world.userConfig())
        writeFileSync(path.join(codexHomeOf(job), 'auth.json'), '{"tokens": {"refresh_to', {
          mode: 0o600
        })
        return { storage: 'none' }
      },
      [/exists but is not a usable ChatGPT session/, /Remove it \(or fix it\)/]
    ]
  ])('fails when the session is unusable: %s', async (_, inputs, says) => {
    const job = scenario.freshJob()
    const { main } = await verify(job, inputs(job))
    expect(main.exitCode).toBe(1)
    const errors = errorsOf(main)
    expect(errors).toHaveLength(1)
    for (const expected of says) expect(errors[0]).toMatch(expected)
    expect(main.outputs).toEqual({})
  })

  test('a storage read that failed is a failure, not "nothing stored"', async () => {
    const { world } = scenario
    await world.cache.down()
    try {
      const { main } = await verify(
        cacheJob(),
        cacheInputs(world.authority.signIn({ accessExpiresInSeconds: 3600 }))
      )
      expect(main.exitCode).toBe(1)
      expect(errorsOf(main)).toEqual([
        expect.stringMatching(
          /^Could not read the stored session from Actions cache, key codex-auth-\*: .*A failed read is not "nothing stored".*re-run the job/
        )
      ])
      expect(main.outputs).toEqual({})
    } finally {
      await world.cache.up()
    }
  })
})

describe("openai/codex-action's invocation inputs reach Codex as its options", () => {
  const schema = {
    type: 'object',
    properties: { verdict: { type: 'string' } },
    required: ['verdict'],
    additionalProperties: false
  }

  test('model, effort and an inline output-schema: argv, the request, and no schema file left', async () => {
    const job = scenario.freshJob()
    const before = scenario.world.codexInvocations()
    const main = await job.runAction(
      directoryInputs(newStore(), scenario.world.authority.signIn(), {
        model: 'gpt-test-model',
        effort: 'high',
        'output-schema': JSON.stringify(schema),
        prompt: '--model is where this prompt starts'
      })
    )
    expect({ exitCode: main.exitCode, errors: errorsOf(main) }).toEqual({ exitCode: 0, errors: [] })
    const [argv] = execArgvSince(before)
    const after = (option: string) => argv![argv!.indexOf(option) + 1]
    expect(after('--model')).toBe('gpt-test-model')
    expect(argv!.filter(arg => arg === '--model' || arg === '-m')).toHaveLength(1)
    expect(argv).toContain('model_reasoning_effort="high"')
    expect(after('--sandbox')).toBe('workspace-write')
    // The inline schema went through a private scratch file in RUNNER_TEMP, removed after the run.
    const schemaFile = after('--output-schema')!
    expect(schemaFile.startsWith(job.temp + path.sep)).toBe(true)
    expect(existsSync(schemaFile)).toBe(false)
    // The prompt is not an argument: it is on stdin (`-`), however it starts.
    expect(argv!.at(-1)).toBe('-')
    expect(argv!.join('\n')).not.toContain('where this prompt starts')
    // What Codex sent the model.
    const turn = lastTurn()
    expect(turn.model).toBe('gpt-test-model')
    expect(turn.reasoning?.effort).toBe('high')
    expect(turn.text?.format?.schema).toEqual(schema)
    expect(JSON.stringify(turn.input)).toContain('--model is where this prompt starts')
    await job.finish()
  })

  test('output-schema-file: passed as --output-schema <file>, read by Codex', async () => {
    const job = scenario.freshJob()
    writeFileSync(path.join(job.workspace, 'verdict.schema.json'), JSON.stringify(schema))
    const before = scenario.world.codexInvocations()
    const main = await job.runAction(
      directoryInputs(newStore(), scenario.world.authority.signIn(), {
        'output-schema-file': 'verdict.schema.json'
      })
    )
    expect({ exitCode: main.exitCode, errors: errorsOf(main) }).toEqual({ exitCode: 0, errors: [] })
    const [argv] = execArgvSince(before)
    expect(argv![argv!.indexOf('--output-schema') + 1]).toBe(
      path.join(job.workspace, 'verdict.schema.json')
    )
    expect(lastTurn().text?.format?.schema).toEqual(schema)
    await job.finish()
  })

  test('sandbox: read-only, given as the input, is the one --sandbox Codex gets', async () => {
    const job = scenario.freshJob()
    const before = scenario.world.codexInvocations()
    const main = await job.runAction(
      directoryInputs(newStore(), scenario.world.authority.signIn(), { sandbox: 'read-only' })
    )
    expect({ exitCode: main.exitCode, errors: errorsOf(main) }).toEqual({ exitCode: 0, errors: [] })
    const [argv] = execArgvSince(before)
    expect(argv!.filter(arg => /^(--sandbox|-s)$/.test(arg))).toEqual(['--sandbox'])
    expect(argv![argv!.indexOf('--sandbox') + 1]).toBe('read-only')
    await job.finish()
  })

  test('the options in codex-args alone: passed once, and the sandbox default is not added', async () => {
    const job = scenario.freshJob()
    const before = scenario.world.codexInvocations()
    const main = await job.runAction(
      directoryInputs(newStore(), scenario.world.authority.signIn(), {
        'codex-args': '-m gpt-from-args -s read-only -c model_reasoning_effort=low'
      })
    )
    expect({ exitCode: main.exitCode, errors: errorsOf(main) }).toEqual({ exitCode: 0, errors: [] })
    const [argv] = execArgvSince(before)
    expect(argv!.filter(arg => /^(--model|-m)$/.test(arg))).toEqual(['-m'])
    expect(argv!.filter(arg => /^(--sandbox|-s)$/.test(arg))).toEqual(['-s'])
    expect(argv!.filter(arg => arg.startsWith('model_reasoning_effort'))).toEqual([
      'model_reasoning_effort=low'
    ])
    expect(lastTurn()).toMatchObject({ model: 'gpt-from-args', reasoning: { effort: 'low' } })
    await job.finish()
  })

  test('an input given as well as its option in codex-args: refused before Codex starts', async () => {
    const job = scenario.freshJob()
    const before = scenario.world.codexInvocations().length
    const main = await job.runAction(
      directoryInputs(newStore(), scenario.world.authority.signIn(), {
        model: 'gpt-test-model',
        'codex-args': '--model=gpt-other'
      })
    )
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main)).toEqual([
      "Input 'model' and --model in 'codex-args' exclude each other (Codex refuses a repeated option): set one of them."
    ])
    expect(scenario.world.codexInvocations().length).toBe(before)
    await job.finish()
  })
})

describe('the job summary and annotations of main and post', () => {
  test('a refresh: main says what it started from and ran, post where it stored it; three phases', async () => {
    const store = newStore()
    const job = scenario.freshJob()
    const main = await job.runAction(
      directoryInputs(store, scenario.world.authority.signIn({ accessExpiresInSeconds: 60 }))
    )
    expect(main.exitCode).toBe(0)
    const refreshed = readAuth(path.join(codexHomeOf(job), 'auth.json'))
    expect(main.summary).toContain('<h3>Codex session: bootstrap and run</h3>')
    expect(summaryRows(main)).toMatchObject({
      Mode: 'run',
      'Session from': "secret: the 'auth-json' input",
      Account: 'acct_te…, plan plus',
      'Refreshed during this step': 'yes',
      'Last refresh': refreshed.last_refresh,
      'Access token expires': expect.stringMatching(/^\d{4}-.*Z \(in 1 hour\)$/),
      'Next refresh': expect.stringMatching(/^by Codex on the first run after /),
      'Saved to': `directory ${store}, by the post step if Codex refreshes the session`,
      'Codex exit code': '0',
      'bootstrap: choose the session': expect.stringMatching(/^\d+\.\d\d s$/),
      'invoke: provide Codex': expect.stringMatching(/^\d+\.\d\d s$/),
      'bootstrap: write CODEX_HOME': expect.stringMatching(/^\d+\.\d\d s$/),
      'invoke: codex exec': expect.stringMatching(/^\d+\.\d\d s$/)
    })
    expect(noticesOf(main)).toEqual([])

    const [post] = await job.finish()
    expect(post!.exitCode).toBe(0)
    expect(post!.summary).toContain('<h3>Codex session: write back</h3>')
    const rows = summaryRows(post!)
    expect(rows).toMatchObject({
      'Refreshed during this job': 'yes',
      'Saved to': path.join(store, 'auth.json'),
      'Stored generation': expect.stringMatching(/^[0-9a-f]{16} \(saved 1 minute ago\)$/),
      // Main's phases, handed over in the state, and post's own.
      'invoke: codex exec': expect.stringMatching(/^\d+\.\d\d s$/),
      'write back': expect.stringMatching(/^\d+\.\d\d s$/)
    })
    expect(noticesOf(post!)).toEqual([])
    // No token and no whole account id (the scan after each test reads the summary files too).
    for (const step of [main, post!]) {
      expect(step.summary).not.toContain(ACCOUNT_ID)
      for (const token of scenario.world.authority.issued) expect(step.summary).not.toContain(token)
    }
  })

  test('nothing changed: a notice that nothing needed saving, and the summary says so', async () => {
    const job = scenario.freshJob()
    await job.runAction(directoryInputs(newStore(), scenario.world.authority.signIn()))
    const [post] = await job.finish()
    expect(post!.exitCode).toBe(0)
    expect(noticesOf(post!)).toEqual([
      'Nothing needed saving: the session did not change during this job.'
    ])
    expect(summaryRows(post!)).toMatchObject({
      'Refreshed during this job': 'no',
      'Saved to': 'nothing needed saving: the session did not change'
    })
  })

  test('setup mode: the summary of main, with no Codex run', async () => {
    const job = scenario.freshJob()
    const main = await job.runAction({
      ...directoryInputs(newStore(), scenario.world.authority.signIn()),
      mode: 'setup'
    })
    expect(main.exitCode).toBe(0)
    expect(main.summary).toContain('<h3>Codex session: set up for later steps</h3>')
    const rows = summaryRows(main)
    expect(rows).toMatchObject({ Mode: 'setup', 'invoke: none (setup mode)': expect.any(String) })
    expect(rows['Codex exit code']).toBeUndefined()
    await job.finish()
  })

  test('a failed store: the post summary says NOT saved, next to the error with the recovery', async () => {
    const store = newStore()
    const job = scenario.freshJob()
    await job.runAction(
      directoryInputs(store, scenario.world.authority.signIn({ accessExpiresInSeconds: 60 }))
    )
    // A newer session appears in the storage meanwhile (another job): post must not overwrite it.
    const newer = scenario.world.authority.signIn({ lastRefresh: new Date(Date.now() + 60_000) })
    mkdirSync(store, { recursive: true, mode: 0o700 })
    writeFileSync(path.join(store, 'auth.json'), JSON.stringify(newer, null, 2), { mode: 0o600 })
    const [post] = await job.finish()
    expect(post!.exitCode).toBe(1)
    expect(errorsOf(post!).join()).toMatch(/NOT stored[\s\S]*concurrency group/)
    expect(summaryRows(post!)['Saved to']).toBe(
      'NOT saved: the error annotation says why, and how to recover the session'
    )
  })
})

test('the leak scan after each test reads the job summary file', async () => {
  const job = new Job() // not the scenario's: its made-up token must not fail this test's scan
  const token = 'tok_only_in_the_summary_0001'
  const step = await job.runCommand('sh', ['-c', `echo "| ${token} |" >> "$GITHUB_STEP_SUMMARY"`])
  expect(step.summary).toContain(token)
  expect(step.stdout).not.toContain(token)
  expect(findLeakedTokens([step], [token])).toEqual(['sh printed or wrote issued token #0'])
})
