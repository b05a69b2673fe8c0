/**
 * chooseStart: which session Codex starts from, and when the run is refused before anything is
 * written. An in-memory store and a real CODEX_HOME on disk.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { parseAuthJson, sessionSecrets, type Session } from '../../src/auth/index.js'
import { BootstrapError, chooseStart, type Start } from '../../src/app/bootstrap.js'
import { scratchDir } from '../e2e/harness/paths.js'
import { authText, CANARY, captureOutput, type CapturedOutput } from './fixtures.js'
import { MemoryStore } from './memory-store.js'

const NOW = new Date('2026-11-24T12:00:00Z')
const nowSeconds = NOW.getTime() / 1000

const session = (lastRefresh: string, name: string, accessExp = nowSeconds + 3600) =>
  parseAuthJson(authText({ lastRefresh, accessExp, refreshToken: `rt_${CANARY}_${name}` }))

/** A seed Codex will not refresh on this run, and one it will (its access token expired). */
const freshSeed = session('2026-11-24T08:00:00Z', 'fresh-seed')
const staleSeed = session('2026-11-24T08:00:00Z', 'stale-seed', nowSeconds - 60)
const storedNewer = session('2026-11-24T10:00:00Z', 'stored')
const storedOlder = session('2026-11-23T10:00:00Z', 'stored-older')
const onDisk = session('2026-11-24T11:00:00Z', 'disk')
const futureSeed = session('2027-03-01T00:00:00Z', 'future-seed')
const ALL_TOKENS = [freshSeed, staleSeed, storedNewer, storedOlder, onDisk, futureSeed]
  .flatMap(sessionSecrets)
  .concat(CANARY)

let codexHome: string
let output: CapturedOutput

beforeEach(() => {
  codexHome = scratchDir('unit-bootstrap')
  output = captureOutput()
})
afterEach(async () => {
  output.restore()
  for (const token of ALL_TOKENS) expect(output.shown()).not.toContain(token)
  await fs.rm(codexHome, { recursive: true, force: true })
})

const authFile = () => path.join(codexHome, 'auth.json')
const start = (seed: Session | undefined, store: MemoryStore) =>
  chooseStart({ codexHome, seed, store, now: NOW })

async function refusal(work: Promise<Start>): Promise<BootstrapError> {
  const error = await work.then(
    chosen => {
      throw new Error(`expected chooseStart to refuse, it chose ${chosen.source}`)
    },
    (error: unknown) => error
  )
  expect(error).toBeInstanceOf(BootstrapError)
  for (const token of ALL_TOKENS) expect((error as Error).message).not.toContain(token)
  return error as BootstrapError
}

/** chooseStart never writes: not to the store, not to CODEX_HOME. */
async function expectNothingWritten(store: MemoryStore): Promise<void> {
  expect(store.called('write')).toEqual([])
  expect(store.called('prune')).toEqual([])
  await expect(fs.readdir(codexHome)).resolves.toEqual([])
}

describe('the storage cannot be read', () => {
  test('and the seed would be refreshed: refused, naming the storage and re-run', async () => {
    const store = new MemoryStore()
    store.failures.load = 'the cache service answered 503'
    const error = await refusal(start(staleSeed, store))
    expect(error.message).toContain(
      'Could not read the stored session from memory (test): the cache service answered 503'
    )
    expect(error.message).toContain('re-run the job')
    expect(error.message).toContain("did not fall back to the 'auth-json' input")
    expect(error.message).toContain('its access token expired at')
    await expectNothingWritten(store)
  })

  test('and there is nothing else: refused, re-run', async () => {
    const store = new MemoryStore()
    store.failures.load = 'timed out'
    const error = await refusal(start(undefined, store))
    expect(error.message).toContain('re-run the job')
    await expectNothingWritten(store)
  })

  test('and the seed would not be refreshed: the seed, with a warning', async () => {
    const store = new MemoryStore()
    store.failures.load = 'the cache service answered 503'
    const chosen = await start(freshSeed, store)
    expect(chosen).toEqual({
      source: 'secret',
      session: freshSeed,
      storedVersion: undefined,
      storedReadable: false
    })
    expect(output.commands('warning').join('\n')).toContain(
      "Using the 'auth-json' input instead: Codex will not need to refresh it on this run."
    )
    await expectNothingWritten(store)
  })
})

describe('choosing the newest', () => {
  test('an unreadable stored session: a warning, and the seed', async () => {
    const store = new MemoryStore()
    const version = store.putUnreadable('it does not decrypt with this key')
    const chosen = await start(freshSeed, store)
    expect(chosen).toEqual({
      source: 'secret',
      session: freshSeed,
      storedVersion: version,
      storedReadable: false
    })
    expect(output.commands('warning').join('\n')).toMatch(
      /Ignoring the stored session.*: it does not decrypt with this key/
    )
  })

  test('a stored session newer than the seed: storage', async () => {
    const store = new MemoryStore()
    const version = store.put(storedNewer)
    expect(await start(freshSeed, store)).toEqual({
      source: 'storage',
      session: storedNewer,
      storedVersion: version,
      storedReadable: true
    })
    await expectNothingWritten(store)
  })

  test('a seed newer than the stored session: the seed, and the stored version is kept for post', async () => {
    const store = new MemoryStore()
    const version = store.put(storedOlder)
    expect(await start(freshSeed, store)).toEqual({
      source: 'secret',
      session: freshSeed,
      storedVersion: version,
      storedReadable: true
    })
  })

  test('a future-dated seed against a believable stored session: storage', async () => {
    const store = new MemoryStore()
    const version = store.put(storedNewer)
    expect(await start(futureSeed, store)).toEqual({
      source: 'storage',
      session: storedNewer,
      storedVersion: version,
      storedReadable: true
    })
    expect(output.commands('warning').join('\n')).toContain(
      `says it was last refreshed at ${futureSeed.lastRefresh}, which is in the future`
    )
  })

  test('the session already on disk, when it is the newest', async () => {
    await fs.writeFile(authFile(), onDisk.text, { mode: 0o600 })
    const store = new MemoryStore()
    const version = store.put(storedNewer)
    const chosen = await start(freshSeed, store)
    expect(chosen.source).toBe('disk')
    expect(chosen.session.fingerprint).toBe(onDisk.fingerprint)
    expect(chosen.storedVersion).toBe(version)
  })

  test('nothing anywhere: refused, with how to sign in', async () => {
    const error = await refusal(start(undefined, new MemoryStore()))
    expect(error.message).toContain('No ChatGPT session to start from')
    expect(error.message).toContain('codex login')
  })
})

describe('a refresh that could not be stored', () => {
  test('is refused before Codex runs, with the fix', async () => {
    const store = new MemoryStore()
    store.failures.notWritable = {
      reason: 'this run cannot save to the cache',
      fix: 'run on the default branch'
    }
    const error = await refusal(start(staleSeed, store))
    expect(error.message).toContain('Codex would refresh this session on this run')
    expect(error.message).toContain(
      'the refreshed session could not be stored: this run cannot save to the cache'
    )
    expect(error.message).toContain('To fix: run on the default branch.')
    await expectNothingWritten(store)
  })

  test('does not matter when Codex will not refresh', async () => {
    const store = new MemoryStore()
    store.failures.notWritable = { reason: 'read-only', fix: 'x' }
    expect((await start(freshSeed, store)).source).toBe('secret')
    expect(store.called('checkWritable')).toEqual([])
  })
})

describe('an auth.json in CODEX_HOME that is not ours to use', () => {
  test('a symbolic link is refused, and left alone', async () => {
    const target = path.join(codexHome, 'elsewhere.json')
    await fs.writeFile(target, onDisk.text, { mode: 0o600 })
    await fs.symlink(target, authFile())
    const store = new MemoryStore()
    store.put(storedNewer)
    const error = await refusal(start(freshSeed, store))
    expect(error.message).toContain(`${authFile()} is a symbolic link`)
    expect(error.message).toContain('Nothing was changed')
    expect(await fs.readlink(authFile())).toBe(target)
    expect(await fs.readFile(target, 'utf8')).toBe(onDisk.text)
    expect(store.called('load')).toEqual([])
  })

  test('a directory is refused', async () => {
    await fs.mkdir(authFile())
    const error = await refusal(start(freshSeed, new MemoryStore()))
    expect(error.message).toContain(`${authFile()} is not a regular file`)
  })

  test('a corrupt file is refused, not replaced, and not quoted', async () => {
    await fs.writeFile(authFile(), `{"tokens": "${CANARY}"}`, { mode: 0o600 })
    const error = await refusal(start(freshSeed, new MemoryStore()))
    expect(error.message).toContain('exists but is not a usable ChatGPT session')
    expect(await fs.readFile(authFile(), 'utf8')).toBe(`{"tokens": "${CANARY}"}`)
  })
})
