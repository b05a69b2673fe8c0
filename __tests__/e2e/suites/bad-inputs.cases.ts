/**
 * The bad-input corpus: every input of action.yml given a value the action must refuse. Each case
 * runs the bundled action on a new runner (nothing pre-created unless the case is about something
 * that already exists, like a persistent runner's CODEX_HOME) and proves the refusal is complete:
 * - the main step exits 1 with exactly one error annotation that names the input, says what is wrong
 *   and what to do, and echoes no secret;
 * - nothing was written: the job's whole disk (workspace, HOME with CODEX_HOME, tool cache, the
 *   storage directory and every fixture the case made) and RUNNER_TEMP are as they were, no cache
 *   entry was made and no REST call was sent;
 * - Codex never started: no token endpoint request, no backend request, no `codex-exit-code`;
 * - no state was saved, so the post step exits 0 saying there is nothing to store.
 * The seed is stale (its access token expires in a minute): an action that wrongly went on would
 * make Codex refresh it, and post would store the result, which the checks above would see.
 *
 * No jest globals at import time: scripts render docs/reliability.md from this table.
 */
import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import path from 'node:path'
import { consumerBundle, parseAuthJson } from '../../../src/auth/index.js'
import { makeJwt, type AuthJson } from '../fakes/authority.js'
import { snapshot } from '../harness/disk.js'
import { scratchDir } from '../harness/paths.js'
import { JOB_TOKEN, type Job, type StepResult } from '../harness/runner.js'
import { codexHomeOf, errorsOf, type Scenario } from '../harness/scenario.js'
import type { World } from '../harness/world.js'
import type { SuiteCase, SuiteTable } from './case.js'

export interface BadInputContext {
  readonly scenario: Scenario
}

/** What a case's setup gets: the job (not run yet) and the paths it would use by default. */
export interface Fixture {
  readonly job: Job
  readonly world: World
  /** The job's default CODEX_HOME (~/.codex); it does not exist on a new runner. */
  readonly codexHome: string
  /** A storage-path that does not exist yet, inside the job's disk. */
  readonly storePath: string
  /** The stale seed session (Codex would refresh it at once). */
  readonly seed: AuthJson
}

type Inputs = Record<string, string | null>

interface Refusal {
  readonly area: string
  readonly name: string
  readonly outcome?: string
  /** The storage of the base inputs: `cache` (encrypted, the default) or `directory` (storePath). */
  readonly storage?: 'cache' | 'directory'
  /** Run every step as an unprivileged user (file permissions apply). */
  readonly unprivileged?: boolean
  /** Makes what the case needs (inside job.root) and returns the inputs over the base; null removes one. */
  readonly inputs: (fixture: Fixture) => Inputs
  /** What the error must say: what is wrong, and what to do. Each must match. */
  readonly says: readonly RegExp[]
}

export const ENCRYPTION_KEY = 'bad-inputs-encryption-key-0123456789'

const DEFAULT_OUTCOME = 'main refuses it naming the input; nothing written or stored, Codex not run'

function refusal(spec: Refusal): SuiteCase<BadInputContext> {
  return {
    area: spec.area,
    name: spec.name,
    outcome: spec.outcome ?? DEFAULT_OUTCOME,
    run: context => proveRefused(context, spec)
  }
}

async function proveRefused(context: BadInputContext, spec: Refusal): Promise<void> {
  const made: { job?: Job } = {}
  try {
    await proveRefusedIn(context, spec, made)
  } finally {
    // Directories a case locked (mode 0, 0500) are opened again, so scratch cleanup can remove them.
    if (made.job) unlock(made.job.root)
  }
}

async function proveRefusedIn(
  { scenario }: BadInputContext,
  spec: Refusal,
  made: { job?: Job }
): Promise<void> {
  const { world } = scenario
  world.cache.reset()
  // RUNNER_TEMP of our own, to see what the action leaves in it.
  const temp = scratchDir('bad-input-temp')
  const job = scenario.freshJob({
    unprivileged: spec.unprivileged,
    runner: { RUNNER_ENVIRONMENT: 'github-hosted', ...world.cacheRunner(), RUNNER_TEMP: temp }
  })
  job.give(temp)
  made.job = job
  const seed = world.authority.signIn({ accessExpiresInSeconds: 60 })
  const fixture: Fixture = {
    job,
    world,
    codexHome: codexHomeOf(job),
    storePath: path.join(job.root, 'store', 'codex-session'),
    seed
  }
  const base: Inputs =
    spec.storage === 'directory'
      ? {
          'auth-json': JSON.stringify(seed),
          storage: 'directory',
          'storage-path': fixture.storePath,
          'codex-path': world.codexPath
        }
      : {
          'auth-json': JSON.stringify(seed),
          'encryption-key': ENCRYPTION_KEY,
          'codex-path': world.codexPath
        }
  const merged = { ...base, ...spec.inputs(fixture) }
  const inputs = Object.fromEntries(
    Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== null)
  )
  const disk = snapshot(job.root)
  const refreshes = world.tokenEndpoint.requests.length
  const backendCalls = world.backend.requests.length

  const main = await job.runAction(inputs)
  expect({ exitCode: main.exitCode, errors: errorsOf(main) }).toEqual({
    exitCode: 1,
    errors: [expect.stringContaining(`'${spec.area}'`)]
  })
  const [error] = errorsOf(main) as [string]
  for (const expected of spec.says) expect(error).toMatch(expected)
  expect(error).not.toMatch(/Unexpected error/)
  // Codex never started; main handed no state to post.
  expect(main.outputs['codex-exit-code']).toBeUndefined()
  expect(main.state).toEqual({})
  expect(world.tokenEndpoint.requests.length).toBe(refreshes)
  expect(world.backend.requests.length).toBe(backendCalls)

  const [post] = await job.finish()
  expect(post!.exitCode).toBe(0)
  expect(errorsOf(post!)).toEqual([])
  expect(post!.stdout).toMatch(
    /Nothing to store: (the main step stopped before it set up a session|verify mode)/
  )

  // Nothing written anywhere: the job's disk, RUNNER_TEMP, the cache, the REST API.
  expect(snapshot(job.root)).toEqual(disk)
  expect(readdirSync(temp).filter(name => !name.startsWith('_runner_file_commands-'))).toEqual([])
  expect(world.cache.entries()).toEqual([])
  expect(world.cache.restCalls).toEqual([])

  // No secret echoed by either step (the scenario scans for every issued token besides).
  const secrets = [inputs['auth-json'], inputs['encryption-key'], inputs['github-token'], JOB_TOKEN]
    .filter((value): value is string => value !== undefined)
    .flatMap(value => [value, value.trim()])
    .filter(value => value.length >= 8)
  for (const step of [main, post!] as StepResult[]) {
    for (const secret of secrets) expect(step.visibleText).not.toContain(secret)
  }
}

function unlock(dir: string): void {
  const stat = lstatSync(dir, { throwIfNoEntry: false })
  if (!stat?.isDirectory()) return
  if ((stat.mode & 0o700) !== 0o700) chmodSync(dir, (stat.mode & 0o7777) | 0o700)
  for (const name of readdirSync(dir)) unlock(path.join(dir, name))
}

// ---------------------------------------------------------------------------------------------
// Fixtures: made inside job.root, so the disk snapshot covers them.

/** The consumer bundle of a session, as a refresher publishes it (the auth-json of a consumer). */
function consumerBundleOf(seed: AuthJson): string {
  return consumerBundle(parseAuthJson(JSON.stringify(seed))).text
}

/** A world-writable sticky directory, like /tmp: a fresh mkdtemp directory chmod 1777. */
function sharedDir(job: Job, prefix = 'shared-'): string {
  const dir = mkdtempSync(path.join(job.root, prefix))
  chmodSync(dir, 0o1777)
  return dir
}

function linkTo(job: Job, target: string, name: string): string {
  const link = path.join(job.root, name)
  symlinkSync(target, link)
  return link
}

function fileIn(job: Job, name: string, content: string | Buffer = 'not a directory\n'): string {
  const file = path.join(job.root, name)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, content)
  return file
}

/** A directory of the job's user that it may not write to (or, with mode 0, not even enter). */
function lockedDir(job: Job, name: string, mode = 0o500): string {
  const dir = path.join(job.root, name)
  mkdirSync(dir)
  job.give(dir)
  chmodSync(dir, mode)
  return dir
}

/** An existing CODEX_HOME of a persistent runner, with the runner user's config.toml. */
function existingCodexHome({ job, world, codexHome }: Fixture): string {
  mkdirSync(codexHome, { recursive: true, mode: 0o700 })
  writeFileSync(path.join(codexHome, 'config.toml'), world.userConfig())
  job.give(path.dirname(codexHome))
  return codexHome
}

// ---------------------------------------------------------------------------------------------
// auth-json: shapes that are not a usable ChatGPT session.

const SIGN_IN = /codex login/
const PASTE = /Paste the contents of auth\.json, or `base64 -w0 auth\.json`/
const PASTE_OR_SIGN_IN = /Paste the contents of auth\.json|codex login/

type Mutable = Record<string, any>
const clone = (seed: AuthJson): Mutable => JSON.parse(JSON.stringify(seed)) as Mutable
const mutated = (change: (auth: Mutable) => void) => (fixture: Fixture) => {
  const auth = clone(fixture.seed)
  change(auth)
  return JSON.stringify(auth)
}
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

const badSecrets: [string, (fixture: Fixture) => string, RegExp, RegExp?][] = [
  ['not JSON, not base64', () => 'this is not json {', /neither JSON nor base64/, PASTE],
  ['invalid JSON', () => '{"tokens": }', /not valid JSON/],
  [
    'an API-key auth.json (auth_mode apikey)',
    () => JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-test-123456' }),
    /auth_mode is not "chatgpt"/,
    /CODEX_API_KEY/
  ],
  [
    'an API key without auth_mode',
    () => JSON.stringify({ OPENAI_API_KEY: 'sk-test-123456' }),
    /OPENAI_API_KEY is set/
  ],
  [
    'auth_mode chatgptAuthTokens (external tokens)',
    mutated(auth => (auth.auth_mode = 'chatgptAuthTokens')),
    /auth_mode is not "chatgpt"/,
    /CODEX_API_KEY|codex login/
  ],
  [
    'no refresh_token',
    mutated(auth => delete auth.tokens.refresh_token),
    /tokens\.refresh_token is missing/
  ],
  [
    'an empty refresh_token',
    mutated(auth => (auth.tokens.refresh_token = '')),
    /tokens\.refresh_token is missing or empty/
  ],
  [
    'refresh_token a number',
    mutated(auth => (auth.tokens.refresh_token = 12345678901)),
    /tokens\.refresh_token/
  ],
  [
    'an empty access_token',
    mutated(auth => (auth.tokens.access_token = '')),
    /tokens\.access_token is missing or empty/
  ],
  [
    'an id_token that is not a JWT',
    mutated(auth => (auth.tokens.id_token = 'not-a-jwt')),
    /tokens\.id_token is missing or not a JWT/
  ],
  [
    'an id_token with two parts',
    mutated(auth => (auth.tokens.id_token = auth.tokens.id_token.split('.').slice(0, 2).join('.'))),
    /tokens\.id_token is missing or not a JWT/
  ],
  [
    'an id_token whose payload is not JSON',
    mutated(
      auth =>
        (auth.tokens.id_token = `${b64url({ alg: 'none' })}.${Buffer.from('not json at all').toString('base64url')}.c2ln`)
    ),
    /tokens\.id_token is missing or not a JWT/
  ],
  [
    'an id_token whose email claim is a number (Codex would ignore the file)',
    mutated(auth => (auth.tokens.id_token = makeJwt({ email: 42 }))),
    /tokens\.id_token/
  ],
  [
    'tokens.account_id a number',
    mutated(auth => (auth.tokens.account_id = 1234)),
    /tokens\.account_id/
  ],
  ['tokens an array', mutated(auth => (auth.tokens = ['x'])), /tokens is missing or not an object/],
  ['no tokens at all', mutated(auth => delete auth.tokens), /tokens is missing or not an object/],
  [
    'last_refresh a number',
    mutated(auth => (auth.last_refresh = 12)),
    /last_refresh is missing or not an RFC 3339/
  ],
  [
    'last_refresh 2026-13-45T00:00:00Z (no such day)',
    mutated(auth => (auth.last_refresh = '2026-13-45T00:00:00Z')),
    /last_refresh is missing or not an RFC 3339/
  ],
  [
    'last_refresh without a zone',
    mutated(auth => (auth.last_refresh = '2026-11-24T00:09:51')),
    /last_refresh is missing or not an RFC 3339/
  ],
  ['a JSON array holding the auth.json', f => JSON.stringify([f.seed]), /not an object/],
  ['null', () => 'null', /neither JSON nor base64|not an object/, PASTE_OR_SIGN_IN],
  ['a number', () => '42', /neither JSON nor base64|not an object/, PASTE_OR_SIGN_IN],
  [
    'a JSON string holding the auth.json (encoded twice)',
    f => JSON.stringify(JSON.stringify(f.seed)),
    /neither JSON nor base64|not an object/,
    PASTE_OR_SIGN_IN
  ],
  [
    'base64 of garbage',
    () => randomBytes(96).toString('base64'),
    /neither JSON nor base64|not valid JSON/,
    PASTE_OR_SIGN_IN
  ],
  [
    'truncated base64 of a valid auth.json',
    f => {
      const full = Buffer.from(JSON.stringify(f.seed)).toString('base64')
      return full.slice(0, Math.floor(full.length / 8) * 4)
    },
    /not valid JSON/
  ],
  [
    'base64 of an API-key auth.json',
    () => Buffer.from('{"auth_mode":"apikey"}').toString('base64'),
    /auth_mode is not "chatgpt"/,
    /CODEX_API_KEY/
  ]
]

const authJsonCases = badSecrets.map(([name, secret, wrong, fix]) =>
  refusal({
    area: 'auth-json',
    name,
    inputs: fixture => ({ 'auth-json': secret(fixture) }),
    says: [/^The 'auth-json' input is not a usable auth\.json: /, wrong, fix ?? SIGN_IN]
  })
)

// ---------------------------------------------------------------------------------------------

const PRIVATE_DIR = /Name a private directory/

export const table: SuiteTable<BadInputContext> = {
  title: 'Bad inputs: refused before anything is written',
  cases: [
    ...authJsonCases,
    refusal({
      area: 'auth-json',
      name: 'empty (the secret is not set) on a new runner, and no session stored',
      inputs: () => ({ 'auth-json': '' }),
      says: [/No ChatGPT session to start from/, /'auth-json' input is empty/, SIGN_IN]
    }),

    // codex-home ------------------------------------------------------------------------------
    refusal({
      area: 'codex-home',
      name: 'a world-writable sticky directory (like /tmp): refused, its mode unchanged',
      storage: 'directory',
      inputs: ({ job }) => ({ 'codex-home': sharedDir(job) }),
      says: [/shared directory \(sticky bit set/, PRIVATE_DIR]
    }),
    refusal({
      area: 'codex-home',
      name: 'a symbolic link to a world-writable sticky directory',
      storage: 'directory',
      inputs: ({ job }) => ({ 'codex-home': linkTo(job, sharedDir(job), 'codex-home-link') }),
      says: [/shared directory \(sticky bit set/, PRIVATE_DIR]
    }),
    refusal({
      area: 'codex-home',
      name: 'a file',
      storage: 'directory',
      inputs: ({ job }) => ({ 'codex-home': fileIn(job, 'codex-home-file') }),
      says: [/is not a directory/, PRIVATE_DIR]
    }),
    refusal({
      area: 'codex-home',
      name: 'inside a file (a part of the path is a file)',
      storage: 'directory',
      inputs: ({ job }) => ({ 'codex-home': path.join(fileIn(job, 'plain-file'), 'codex') }),
      says: [/plain-file is not a directory/, PRIVATE_DIR]
    }),
    refusal({
      area: 'codex-home',
      name: "a directory the runner's user cannot write to",
      storage: 'directory',
      unprivileged: true,
      inputs: ({ job }) => ({ 'codex-home': lockedDir(job, 'read-only-home') }),
      says: [/cannot be written by this runner's user/, PRIVATE_DIR]
    }),
    refusal({
      area: 'codex-home',
      name: 'an existing CODEX_HOME whose config.toml is a symbolic link (dotfiles) without the credential-store setting: the link and its target unchanged',
      storage: 'directory',
      inputs: fixture => {
        // A persistent runner whose ~/.codex/config.toml links into a dotfiles checkout.
        mkdirSync(fixture.codexHome, { recursive: true, mode: 0o700 })
        const target = fileIn(fixture.job, 'dotfiles/codex/config.toml', fixture.world.userConfig())
        symlinkSync(target, path.join(fixture.codexHome, 'config.toml'))
        return {}
      },
      says: [/config\.toml is a symbolic link/, /cli_auth_credentials_store = "file"/]
    }),
    refusal({
      area: 'codex-home',
      name: 'an existing CODEX_HOME whose auth.json is a symbolic link: refused before Codex, the target unchanged',
      storage: 'directory',
      inputs: fixture => {
        const home = existingCodexHome(fixture)
        const older = fixture.world.authority.signIn({
          accessExpiresInSeconds: 60,
          lastRefresh: new Date(Date.now() - 86_400_000)
        })
        const target = fileIn(fixture.job, 'elsewhere/auth.json', JSON.stringify(older))
        symlinkSync(target, path.join(home, 'auth.json'))
        return {}
      },
      says: [/auth\.json is a symbolic link/, /Replace it with a regular file/]
    }),
    refusal({
      area: 'codex-home',
      name: 'an existing CODEX_HOME whose auth.json is a directory',
      storage: 'directory',
      inputs: fixture => {
        mkdirSync(path.join(existingCodexHome(fixture), 'auth.json'))
        return {}
      },
      says: [/auth\.json is not a regular file/, /Remove it/]
    }),

    // storage-path -----------------------------------------------------------------------------
    refusal({
      area: 'storage-path',
      name: 'a world-writable sticky directory (like /tmp): refused, its mode unchanged',
      storage: 'directory',
      inputs: ({ job }) => ({ 'storage-path': sharedDir(job) }),
      says: [/shared directory \(sticky bit set/, PRIVATE_DIR]
    }),
    refusal({
      area: 'storage-path',
      name: 'a symbolic link to a world-writable sticky directory',
      storage: 'directory',
      inputs: ({ job }) => ({ 'storage-path': linkTo(job, sharedDir(job), 'store-link') }),
      says: [/shared directory \(sticky bit set/, PRIVATE_DIR]
    }),
    refusal({
      area: 'storage-path',
      name: 'a directory others can write to (mode 0777)',
      storage: 'directory',
      inputs: ({ job }) => {
        const dir = mkdtempSync(path.join(job.root, 'open-'))
        chmodSync(dir, 0o777)
        return { 'storage-path': dir }
      },
      says: [/can be written by other users \(mode 777\)/, PRIVATE_DIR]
    }),
    refusal({
      area: 'storage-path',
      name: 'a file',
      storage: 'directory',
      inputs: ({ job }) => ({ 'storage-path': fileIn(job, 'store-file') }),
      says: [/is not a directory/, PRIVATE_DIR]
    }),
    refusal({
      area: 'storage-path',
      name: 'inside a file (a part of the path is a file)',
      storage: 'directory',
      inputs: ({ job }) => ({ 'storage-path': path.join(fileIn(job, 'plain-file'), 'store') }),
      says: [/plain-file is not a directory/, PRIVATE_DIR]
    }),
    refusal({
      area: 'storage-path',
      name: "a directory the runner's user cannot write to",
      storage: 'directory',
      unprivileged: true,
      inputs: ({ job }) => ({ 'storage-path': lockedDir(job, 'read-only-store') }),
      says: [/cannot be written by this runner's user/, PRIVATE_DIR]
    }),
    refusal({
      area: 'storage-path',
      name: 'the Codex home itself',
      storage: 'directory',
      inputs: ({ codexHome }) => ({ 'storage-path': codexHome }),
      says: [/must be separate directories/]
    }),
    refusal({
      area: 'storage-path',
      name: 'inside the Codex home',
      storage: 'directory',
      inputs: ({ codexHome }) => ({ 'storage-path': path.join(codexHome, 'store') }),
      says: [/must be separate directories/]
    }),
    refusal({
      area: 'storage-path',
      name: 'a directory that holds the Codex home',
      storage: 'directory',
      inputs: ({ storePath }) => ({ 'codex-home': path.join(storePath, 'codex-home') }),
      says: [/must be separate directories/]
    }),
    refusal({
      area: 'storage-path',
      name: 'an existing storage directory whose auth.json is a symbolic link: refused before Codex, the target unchanged',
      storage: 'directory',
      inputs: ({ job, world, storePath }) => {
        mkdirSync(storePath, { recursive: true, mode: 0o700 })
        const stored = world.authority.signIn({ accessExpiresInSeconds: 60 })
        const target = fileIn(job, 'elsewhere/stored.json', JSON.stringify(stored))
        symlinkSync(target, path.join(storePath, 'auth.json'))
        return {}
      },
      says: [/auth\.json is a symbolic link/, /regular file/]
    }),
    refusal({
      area: 'storage-path',
      name: 'set without storage: directory (storage: cache)',
      inputs: ({ storePath }) => ({ 'storage-path': storePath }),
      says: [/only used with storage: directory/, /remove it or set storage/]
    }),
    refusal({
      area: 'storage-path',
      name: 'storage: directory without storage-path',
      storage: 'directory',
      inputs: () => ({ 'storage-path': null }),
      says: [/'storage-path' is required with storage: directory/, /name a directory/]
    }),

    // storage, mode ----------------------------------------------------------------------------
    refusal({
      area: 'storage',
      name: 'an unknown storage (cloud)',
      inputs: () => ({ storage: 'cloud' }),
      says: [/must be one of: cache, directory, none, github-secret, command/]
    }),
    refusal({
      area: 'storage',
      name: 'two storages (cache directory)',
      inputs: () => ({ storage: 'cache directory' }),
      says: [/must be one of: cache, directory, none, github-secret, command/]
    }),
    refusal({
      area: 'mode',
      name: 'an unknown mode (sometimes)',
      inputs: () => ({ mode: 'sometimes' }),
      says: [/must be one of: run, setup/]
    }),
    refusal({
      area: 'mode',
      name: 'an unknown mode (exec)',
      inputs: () => ({ mode: 'exec' }),
      says: [/must be one of: run, setup/]
    }),

    // prompt, prompt-file -----------------------------------------------------------------------
    refusal({
      area: 'prompt',
      name: 'prompt and prompt-file together',
      inputs: ({ job }) => ({
        prompt: 'Say OK',
        'prompt-file': fileIn(job, 'workspace/prompt.md', 'Say OK\n')
      }),
      says: [/'prompt' and 'prompt-file' exclude each other/, /set one/]
    }),
    refusal({
      area: 'prompt',
      name: 'a prompt in setup mode',
      inputs: () => ({ mode: 'setup', prompt: 'Say OK' }),
      says: [/only used with mode: run/, /later steps run codex/]
    }),
    refusal({
      area: 'prompt-file',
      name: 'a prompt-file holding a NUL byte',
      inputs: ({ job }) => ({
        'prompt-file': fileIn(job, 'workspace/prompt.bin', Buffer.from('Say OK\0\u0001\u0002'))
      }),
      says: [/holds a NUL byte/, /Name a text file/]
    }),
    refusal({
      area: 'prompt-file',
      name: 'a prompt-file that does not exist',
      inputs: () => ({ 'prompt-file': 'nope.md' }),
      says: [/cannot read .*nope\.md/, /Name a readable text file/]
    }),
    refusal({
      area: 'prompt-file',
      name: 'a prompt-file that is a directory',
      inputs: ({ job }) => {
        mkdirSync(path.join(job.workspace, 'prompts'))
        return { 'prompt-file': 'prompts' }
      },
      says: [/cannot read .*prompts/, /Name a readable text file/]
    }),
    refusal({
      area: 'prompt-file',
      name: "a prompt-file the runner's user cannot read",
      unprivileged: true,
      inputs: ({ job }) => {
        const file = fileIn(job, 'workspace/secret-prompt.md', 'Say OK\n')
        job.give(file)
        chmodSync(file, 0o000)
        return { 'prompt-file': file }
      },
      says: [/cannot read .*secret-prompt\.md/, /Name a readable text file/]
    }),
    refusal({
      area: 'prompt-file',
      name: 'an empty prompt-file',
      inputs: ({ job }) => ({ 'prompt-file': fileIn(job, 'workspace/empty.md', '') }),
      says: [/empty\.md is empty/, /Write the prompt into it/]
    }),
    refusal({
      area: 'prompt-file',
      name: 'a prompt-file of only whitespace',
      inputs: ({ job }) => ({ 'prompt-file': fileIn(job, 'workspace/blank.md', ' \n\t\n') }),
      says: [/blank\.md is empty/, /Write the prompt into it/]
    }),
    refusal({
      area: 'prompt-file',
      name: 'a prompt-file in setup mode',
      inputs: ({ job }) => ({
        mode: 'setup',
        'prompt-file': fileIn(job, 'workspace/prompt.md', 'Say OK\n')
      }),
      says: [/only used with mode: run/, /later steps run codex/]
    }),

    // codex-args -------------------------------------------------------------------------------
    refusal({
      area: 'codex-args',
      name: 'an unclosed quote',
      inputs: () => ({ 'codex-args': '--model "unclosed' }),
      says: [/unclosed " quote/]
    }),
    refusal({
      area: 'codex-args',
      name: 'a JSON array of non-strings',
      inputs: () => ({ 'codex-args': '["--model", 5, true]' }),
      says: [/must be a JSON array of strings, or a shell-like string/]
    }),
    refusal({
      area: 'codex-args',
      name: "'[' that is not JSON",
      inputs: () => ({ 'codex-args': '[--model o3' }),
      says: [/starts with '\[' but is not a JSON array of strings/]
    }),
    refusal({
      area: 'codex-args',
      name: 'codex-args in setup mode',
      inputs: () => ({ mode: 'setup', 'codex-args': '--model o3' }),
      says: [/only used with mode: run/, /later steps run codex/]
    }),
    refusal({
      area: 'codex-args',
      name: 'an override that moves the credentials out of auth.json (cli_auth_credentials_store=keyring)',
      inputs: () => ({ 'codex-args': '-c cli_auth_credentials_store=keyring' }),
      says: [/cli_auth_credentials_store/, /auth\.json/]
    }),

    // sandbox, model, effort, output-schema(-file): openai/codex-action's invocation inputs ------
    refusal({
      area: 'sandbox',
      name: 'a value Codex does not know',
      inputs: () => ({ sandbox: 'none' }),
      says: [/must be one of: read-only, workspace-write, danger-full-access/]
    }),
    refusal({
      area: 'model',
      name: 'a value that Codex would read as an option',
      inputs: () => ({ model: '--dangerously-bypass-approvals-and-sandbox' }),
      says: [/must be a model name such as gpt-5\.1-codex/, /starting with a letter or digit/]
    }),
    refusal({
      area: 'effort',
      name: 'a value Codex would pass on to the model, to be refused mid-run',
      inputs: () => ({ effort: 'extreme' }),
      says: [
        /must be one of: none, minimal, low, medium, high, xhigh/,
        /-c model_reasoning_effort=<value>/
      ]
    }),
    refusal({
      area: 'output-schema',
      name: 'not JSON',
      inputs: () => ({ 'output-schema': '{"type": "object",' }),
      says: [/is not valid JSON/, /give a JSON Schema as one JSON object/]
    }),
    refusal({
      area: 'output-schema',
      name: 'JSON, but an array',
      inputs: () => ({ 'output-schema': '[{"type": "object"}]' }),
      says: [/is JSON but not an object \(it is an array\)/, /one JSON object/]
    }),
    refusal({
      area: 'output-schema',
      name: 'together with output-schema-file',
      inputs: fixture => ({
        'output-schema': '{"type": "object"}',
        'output-schema-file': fileIn(fixture.job, 'schema.json', '{"type": "object"}')
      }),
      says: [/'output-schema' and 'output-schema-file' exclude each other: set one/]
    }),
    refusal({
      area: 'output-schema-file',
      name: 'a file that does not exist',
      inputs: () => ({ 'output-schema-file': 'schemas/missing.json' }),
      says: [
        /cannot read .*missing\.json: no such file or directory/,
        /Name a readable JSON Schema file/
      ]
    }),
    refusal({
      area: 'output-schema-file',
      name: 'a directory',
      inputs: fixture => ({ 'output-schema-file': lockedDir(fixture.job, 'schemas', 0o755) }),
      says: [/cannot read .*schemas: it is a directory/, /Name a readable JSON Schema file/]
    }),
    refusal({
      area: 'output-schema-file',
      name: 'a file that holds no JSON object',
      inputs: fixture => ({
        'output-schema-file': fileIn(fixture.job, 'schema.json', 'type: object\n')
      }),
      says: [/schema\.json is not valid JSON/, /Make it one JSON object/]
    }),
    ...(
      [
        ['sandbox', 'read-only', '--sandbox read-only', /a sandbox option in 'codex-args'/],
        ['model', 'gpt-test', '-m gpt-other', /--model in 'codex-args'/],
        [
          'effort',
          'low',
          '-c model_reasoning_effort=high',
          /-c model_reasoning_effort= in 'codex-args'/
        ],
        [
          'output-schema',
          '{"type": "object"}',
          '--output-schema=s.json',
          /--output-schema in 'codex-args'/
        ]
      ] as const
    ).map(([input, value, codexArgs, names]) =>
      refusal({
        area: input,
        name: `given as an input and in codex-args (${codexArgs})`,
        inputs: () => ({ [input]: value, 'codex-args': codexArgs }),
        says: [names, /exclude each other \(Codex refuses a repeated/, /set one of them/]
      })
    ),
    ...(
      [
        ['prompt', 'Say OK'],
        ['model', 'gpt-test'],
        ['output-schema', '{"type": "object"}']
      ] as const
    ).map(([input, value]) =>
      refusal({
        area: input,
        name: 'in verify mode (which runs no Codex)',
        inputs: () => ({ mode: 'verify', [input]: value }),
        says: [/only used with mode: run; verify mode runs no Codex/, /Remove it, or set mode: run/]
      })
    ),

    // working-directory ------------------------------------------------------------------------
    refusal({
      area: 'working-directory',
      name: 'a directory that does not exist',
      inputs: () => ({ 'working-directory': 'nowhere' }),
      says: [/nowhere is not a directory/, /Name an existing directory/]
    }),
    refusal({
      area: 'working-directory',
      name: 'a file',
      inputs: ({ job }) => ({ 'working-directory': fileIn(job, 'workspace/README.md', '# hi\n') }),
      says: [/README\.md is not a directory/, /Name an existing directory/]
    }),
    refusal({
      area: 'working-directory',
      name: "a directory the runner's user cannot enter",
      unprivileged: true,
      inputs: ({ job }) => ({ 'working-directory': lockedDir(job, 'workspace/closed', 0o000) }),
      says: [/closed/, /cannot be (entered|read)|permission/]
    }),

    // output-file ------------------------------------------------------------------------------
    refusal({
      area: 'output-file',
      name: 'CODEX_HOME/auth.json (the final message would overwrite the session)',
      storage: 'directory',
      inputs: ({ codexHome }) => ({ 'output-file': path.join(codexHome, 'auth.json') }),
      says: [/inside the Codex home or the storage directory/, /Choose a file elsewhere/]
    }),
    refusal({
      area: 'output-file',
      name: 'a file inside the storage-path',
      storage: 'directory',
      inputs: ({ storePath }) => ({ 'output-file': path.join(storePath, 'final.txt') }),
      says: [/inside the Codex home or the storage directory/, /Choose a file elsewhere/]
    }),
    refusal({
      area: 'output-file',
      name: 'a symbolic link to CODEX_HOME/auth.json (dangling on a new runner)',
      storage: 'directory',
      inputs: ({ job, codexHome }) => ({
        'output-file': linkTo(job, path.join(codexHome, 'auth.json'), 'workspace/final.txt')
      }),
      says: [/symbolic link|inside the Codex home/, /Choose a file elsewhere|regular file/]
    }),
    refusal({
      area: 'output-file',
      name: 'a directory',
      storage: 'directory',
      inputs: ({ job }) => {
        mkdirSync(path.join(job.workspace, 'out'))
        return { 'output-file': 'out' }
      },
      says: [/out is a directory/, /name a file/]
    }),
    refusal({
      area: 'output-file',
      name: 'inside a file (a part of the path is a file)',
      storage: 'directory',
      inputs: ({ job }) => ({
        'output-file': path.join(fileIn(job, 'workspace/notes'), 'final.txt')
      }),
      says: [/notes is not a directory/]
    }),
    refusal({
      area: 'output-file',
      name: "in a directory the runner's user cannot write to",
      storage: 'directory',
      unprivileged: true,
      inputs: ({ job }) => ({
        'output-file': path.join(lockedDir(job, 'workspace/locked'), 'final.txt')
      }),
      says: [/cannot be written by this runner's user/]
    }),
    refusal({
      area: 'output-file',
      name: 'an output-file in setup mode',
      inputs: () => ({ mode: 'setup', 'output-file': 'final.txt' }),
      says: [/only used with mode: run/, /later steps run codex/]
    }),

    // codex-path -------------------------------------------------------------------------------
    ...(
      [
        [
          'that does not exist',
          () => '/nonexistent/codex',
          /is not an executable file\. Name the codex binary itself/
        ],
        [
          'that is a directory',
          ({ job }: Fixture) => {
            mkdirSync(path.join(job.root, 'codex-dir'))
            return path.join(job.root, 'codex-dir')
          },
          /is not an executable file|is not a working Codex CLI/
        ],
        [
          'that is not executable',
          ({ job }: Fixture) => fileIn(job, 'bin/codex', '#!/bin/sh\necho codex-cli 0.169.0\n'),
          /is not an executable file\. Name the codex binary itself/
        ],
        ['that is not Codex (/bin/true)', () => '/bin/true', /is not a working Codex CLI/]
      ] as const
    ).map(([name, codexPath, wrong]) =>
      refusal({
        area: 'codex-path',
        name: `a codex-path ${name}`,
        // Were codex-path ignored, the install must not reach the internet.
        inputs: fixture => ({
          'codex-path': codexPath(fixture),
          'registry-url': 'http://127.0.0.1:9/'
        }),
        says: [wrong]
      })
    ),

    // codex-version, registry-url --------------------------------------------------------------
    ...['1.2', 'v0.169.0', '^0.169.0'].map(version =>
      refusal({
        area: 'codex-version',
        name: version,
        inputs: () => ({ 'codex-version': version }),
        says: [/must be 'latest' or an exact version such as 0\.169\.0/]
      })
    ),
    ...['ftp://x', 'not a url'].map(url =>
      refusal({
        area: 'registry-url',
        name: url,
        inputs: () => ({ 'registry-url': url }),
        says: [/must be an http\(s\) URL, like https:\/\/registry\.npmjs\.org\//]
      })
    ),

    // storage-timeout (not declared by the release before this work) ----------------------------
    ...['0', '-1', 'abc', '99999'].map(seconds =>
      refusal({
        area: 'storage-timeout',
        name: seconds,
        inputs: () => ({ 'storage-timeout': seconds }),
        says: [/seconds \(1 to 3600\)|between 1 and 3600 seconds/]
      })
    ),

    // storage: github-secret and storage: command -----------------------------------------------
    refusal({
      area: 'secret-token',
      name: 'storage github-secret without a secret-token',
      inputs: () => ({ storage: 'github-secret', 'encryption-key': null }),
      says: [/needs 'secret-token'/, /Secrets: write/]
    }),
    refusal({
      area: 'secret-token',
      name: "the job's GITHUB_TOKEN given as secret-token",
      inputs: () => ({
        storage: 'github-secret',
        'encryption-key': null,
        'secret-token': JOB_TOKEN
      }),
      says: [/GITHUB_TOKEN, which can never write secrets/, /installation token/]
    }),
    refusal({
      area: 'secret-org',
      name: 'secret-org together with secret-environment',
      inputs: () => ({
        storage: 'github-secret',
        'encryption-key': null,
        'secret-token': 'github_pat_test_token_0000',
        'secret-environment': 'prod',
        'secret-org': 'acme'
      }),
      says: [/'secret-environment' and 'secret-org' exclude each other/]
    }),
    refusal({
      area: 'secret-name',
      name: 'a secret-name starting with GITHUB_',
      inputs: () => ({
        storage: 'github-secret',
        'encryption-key': null,
        'secret-token': 'github_pat_test_token_0000',
        'secret-name': 'GITHUB_CODEX'
      }),
      says: [/must be a secret name/, /not starting with a digit or GITHUB_/]
    }),
    refusal({
      area: 'secret-token',
      name: 'secret-token with another storage',
      inputs: () => ({ 'secret-token': 'github_pat_test_token_0000' }),
      says: [/only used with storage: github-secret/]
    }),
    refusal({
      area: 'persist-command',
      name: 'storage command without a persist-command',
      inputs: () => ({ storage: 'command', 'encryption-key': null, 'restore-command': 'true' }),
      says: [/needs both 'restore-command'/, /'persist-command'/]
    }),
    refusal({
      area: 'restore-command',
      name: 'restore-command with another storage',
      inputs: () => ({ 'restore-command': 'cat /vault' }),
      says: [/only used with storage: command/]
    }),

    // cache-key --------------------------------------------------------------------------------
    ...(
      [
        ['with a space', 'codex auth'],
        ['with a comma', 'codex,auth'],
        ['with a slash', 'refs/heads/main'],
        ['of 101 characters', 'k'.repeat(101)]
      ] as const
    ).map(([name, key]) =>
      refusal({
        area: 'cache-key',
        name,
        inputs: () => ({ 'cache-key': key }),
        says: [/must be 1 to 100 letters, digits, '\.', '_' or '-'/]
      })
    ),
    refusal({
      area: 'cache-key',
      name: 'empty after trimming (the variable it names is empty): not silently the default key',
      inputs: () => ({ 'cache-key': '   ' }),
      says: [/is empty|must be 1 to 100/, /Set it|remove the input|letters, digits/]
    }),

    // encryption-key ---------------------------------------------------------------------------
    refusal({
      area: 'encryption-key',
      name: 'only spaces (the secret it names is missing)',
      inputs: () => ({ 'encryption-key': '    ' }),
      says: [/only whitespace/, /openssl rand -base64 32/]
    }),
    refusal({
      area: 'encryption-key',
      name: 'of 31 characters',
      inputs: () => ({ 'encryption-key': ENCRYPTION_KEY.slice(0, 31) }),
      says: [/at least 32 characters/, /openssl rand -base64 32/]
    }),
    refusal({
      area: 'encryption-key',
      name: 'storage: cache with neither encryption-key nor auth-json',
      inputs: () => ({ 'encryption-key': null, 'auth-json': null }),
      says: [/needs a key/, /set 'encryption-key'/]
    }),

    // allow-any-branch -------------------------------------------------------------------------
    ...['yes', '1'].map(value =>
      refusal({
        area: 'allow-any-branch',
        name: value,
        inputs: () => ({ 'allow-any-branch': value }),
        says: [/must be true or false/]
      })
    ),

    // allow-users, allow-bots (who may trigger a run) -----------------------------------------
    refusal({
      area: 'allow-bots',
      name: 'yes',
      inputs: () => ({ 'allow-bots': 'yes' }),
      says: [/must be true or false/]
    }),
    refusal({
      area: 'allow-users',
      name: "a login written with '@'",
      inputs: () => ({ 'allow-users': 'mona-admin, @octocat' }),
      says: [/'@octocat' is not a GitHub login/, /without '@'/, /commas/]
    }),
    refusal({
      area: 'allow-users',
      name: 'logins separated by spaces',
      inputs: () => ({ 'allow-users': 'octocat hubot' }),
      says: [/'octocat hubot' is not a GitHub login/, /separate logins with commas/]
    }),
    refusal({
      area: 'allow-users',
      name: "'*' among names",
      inputs: () => ({ 'allow-users': '*, octocat' }),
      says: [/mixes '\*' with names/, /'\*' alone lets everyone/]
    }),

    // role, refresh-ahead, min-validity (fan-out) -------------------------------------------------
    ...['Owner', 'reader', 'refresher,consumer'].map(value =>
      refusal({
        area: 'role',
        name: `unknown role ${JSON.stringify(value)}`,
        inputs: () => ({ role: value }),
        says: [/must be one of: owner, refresher, consumer/]
      })
    ),
    refusal({
      area: 'role',
      name: 'role: refresher with storage: none (no place to publish the consumer bundle)',
      inputs: () => ({ role: 'refresher', storage: 'none', 'encryption-key': null }),
      says: [/storage: none has no place/, /set storage: cache, directory/]
    }),
    ...['2', '2w', '1.5d', '30m', '-1h', '2 d'].flatMap(value =>
      (['refresh-ahead', 'min-validity'] as const).map(input =>
        refusal({
          area: input,
          name: `${JSON.stringify(value)}`,
          inputs: () => ({
            role: input === 'refresh-ahead' ? 'refresher' : 'consumer',
            [input]: value
          }),
          says: [/whole number of hours or days, like 36h/]
        })
      )
    ),
    refusal({
      area: 'auth-json',
      name: 'role: consumer with an auth-json that holds a refresh token (a full session)',
      inputs: () => ({ role: 'consumer' }),
      says: [/not a consumer bundle/, /holds a refresh token/, /must never hold one/]
    }),
    ...(['refresher', 'consumer'] as const).map(role =>
      refusal({
        area: 'encryption-key',
        name: `storage: cache with role: ${role} and no encryption-key (auth-json given)`,
        inputs: ({ seed }) => ({
          role,
          'encryption-key': null,
          'auth-json': role === 'consumer' ? consumerBundleOf(seed) : JSON.stringify(seed)
        }),
        says: [new RegExp(`role: ${role} needs 'encryption-key'`), /openssl rand -base64 32/]
      })
    ),
    refusal({
      area: 'auth-json',
      name: 'role: consumer with storage: github-secret and no auth-json (the bundle secret)',
      inputs: () => ({
        role: 'consumer',
        storage: 'github-secret',
        'auth-json': null,
        'encryption-key': null
      }),
      says: [/needs 'auth-json': the consumer bundle/, /secrets\.CODEX_AUTH_JSON_CONSUMER/]
    }),
    refusal({
      area: 'secret-token',
      name: 'role: consumer with a secret-token (a consumer must not hold a token that writes secrets)',
      inputs: ({ seed }) => ({
        role: 'consumer',
        storage: 'github-secret',
        'auth-json': consumerBundleOf(seed),
        'secret-token': 'github_pat_consumerMustNotHoldThis00',
        'encryption-key': null
      }),
      says: [/not used with role: consumer/, /Remove it/]
    }),
    refusal({
      area: 'codex-home',
      name: 'role: consumer on a runner whose CODEX_HOME holds a full session: never used, never overwritten',
      storage: 'directory',
      inputs: fixture => {
        const home = existingCodexHome(fixture)
        writeFileSync(path.join(home, 'auth.json'), JSON.stringify(fixture.seed), { mode: 0o600 })
        fixture.job.give(home)
        return { role: 'consumer', 'auth-json': consumerBundleOf(fixture.seed) }
      },
      says: [/holds a full session/, /never overwrites it/]
    }),

    // github-token -----------------------------------------------------------------------------
    refusal({
      area: 'github-token',
      name: 'two tokens pasted together (a line break inside)',
      inputs: () => ({ 'github-token': `${JOB_TOKEN}\nghp_secondTokenPastedBelow0000000000` }),
      says: [/line break|whitespace/, /one token/]
    }),
    refusal({
      area: 'github-token',
      name: "a token given with its scheme ('Bearer ghs_...')",
      inputs: () => ({ 'github-token': `Bearer ${JOB_TOKEN}` }),
      says: [/whitespace|space|Bearer/, /the token alone/]
    })
  ]
}
