/**
 * persistSession's outcomes, one storage situation at a time, against an in-memory store and a
 * real CODEX_HOME on disk. The rule under test: a refreshed session is stored only after a lookup
 * that succeeded shows nothing newer, and any failure to store it is one loud error with the
 * recovery steps that never quotes a token.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { parseAuthJson, sessionSecrets, type Session } from '../../src/auth/index.js'
import { LockTimeoutError } from '../../src/platform/files.js'
import { DeadlineError } from '../../src/platform/deadline.js'
import {
  persistSession,
  SessionNotStoredError,
  type PersistOutcome
} from '../../src/app/persist.js'
import type { MainState } from '../../src/app/state.js'
import { NoStorage } from '../../src/storage/none.js'
import type { SessionStore } from '../../src/storage/types.js'
import { scratchDir } from '../e2e/harness/paths.js'
import { authText, CANARY, captureOutput, type CapturedOutput } from './fixtures.js'
import { MemoryStore } from './memory-store.js'

const NOW = new Date('2026-11-24T12:00:00Z')
const HOUR = 3600

const session = (lastRefresh: string, name: string, accessExp = NOW.getTime() / 1000 + HOUR) =>
  parseAuthJson(authText({ lastRefresh, accessExp, refreshToken: `rt_${CANARY}_${name}` }))

/** What main started from, what Codex refreshed it to, and other jobs' sessions around them. */
const started = session('2026-11-24T10:00:00Z', 'start')
const refreshed = session('2026-11-24T11:00:00Z', 'refreshed', NOW.getTime() / 1000 + 2 * HOUR)
const newerElsewhere = session('2026-11-24T11:30:00Z', 'elsewhere')
const olderElsewhere = session('2026-11-24T10:30:00Z', 'older')
const beforeStart = session('2026-11-24T09:00:00Z', 'before')
const futureDated = session('2027-06-01T00:00:00Z', 'future')
const ALL_TOKENS = [started, refreshed, newerElsewhere, olderElsewhere, beforeStart, futureDated]
  .flatMap(sessionSecrets)
  .concat(CANARY)

let codexHome: string
let output: CapturedOutput

beforeEach(() => {
  codexHome = scratchDir('unit-persist')
  output = captureOutput()
})
afterEach(async () => {
  output.restore()
  await fs.rm(codexHome, { recursive: true, force: true })
})

const authFile = () => path.join(codexHome, 'auth.json')
const leave = (on: Session | string) =>
  fs.writeFile(authFile(), typeof on === 'string' ? on : on.text, { mode: 0o600 })

function stateOf(
  storedVersion: string | undefined,
  { refreshedFingerprint }: { refreshedFingerprint?: string } = {}
): MainState {
  return {
    codexHome,
    start: {
      source: 'storage',
      fingerprint: started.fingerprint,
      lastRefresh: started.lastRefresh,
      storedVersion,
      storedReadable: storedVersion !== undefined
    },
    ...(refreshedFingerprint === undefined ? {} : { refreshedFingerprint })
  }
}

/** A store that holds what main started from, as version v1. */
function storeWithStart(keepsSessions = true): { store: MemoryStore; state: MainState } {
  const store = new MemoryStore(keepsSessions)
  const version = store.put(started)
  return { store, state: stateOf(version) }
}

const persist = (state: MainState, store: SessionStore) =>
  persistSession({ state, store, now: NOW, readRetries: 0 })

/** The error persist failed with: always SessionNotStoredError, never quoting a token. */
async function failure(work: Promise<PersistOutcome>): Promise<SessionNotStoredError> {
  const error = await work.then(
    outcome => {
      throw new Error(`expected persistSession to fail, it returned ${outcome.kind}`)
    },
    (error: unknown) => error
  )
  expect(error).toBeInstanceOf(SessionNotStoredError)
  const { message } = error as Error
  for (const token of ALL_TOKENS) expect(message).not.toContain(token)
  return error as SessionNotStoredError
}

const methods = (store: MemoryStore) => store.calls.map(call => call.method)

afterEach(() => {
  // Nothing printed (warnings included) ever shows a token; add-mask lines carry them by design.
  for (const token of ALL_TOKENS) expect(output.shown()).not.toContain(token)
})

describe('nothing to store', () => {
  test('unchanged: the session main started from is still there', async () => {
    const { store, state } = storeWithStart()
    await leave(started)
    // Even a store that could not be written to: nothing needs writing.
    store.failures.notWritable = { reason: 'read-only', fix: 'do something' }
    expect(await persist(state, store)).toEqual({ kind: 'unchanged', session: started })
    expect(store.called('write')).toEqual([])
    expect(store.called('prune')).toEqual([])
  })

  test('missing, and Codex did not refresh during main: nothing to store', async () => {
    const { store, state } = storeWithStart()
    expect(await persist(state, store)).toEqual({ kind: 'missing' })
    expect(store.calls).toEqual([])
  })

  test('missing although Codex refreshed during main: the loud error', async () => {
    const { store } = storeWithStart()
    const state = stateOf('v1', { refreshedFingerprint: refreshed.fingerprint })
    const error = await failure(persist(state, store))
    expect(error.message).toContain(`${authFile()} is gone`)
    expect(error.message).toContain('To recover')
    expect(store.called('write')).toEqual([])
  })

  test('a CODEX_HOME that no longer exists is missing, not a crash', async () => {
    const { store } = storeWithStart()
    const state = { ...stateOf('v1'), codexHome: path.join(codexHome, 'gone') }
    expect(await persist(state, store)).toEqual({ kind: 'missing' })
  })
})

describe('the session on disk cannot be stored', () => {
  test('corrupt: refused, the stored session left as it was, no token quoted', async () => {
    const { store, state } = storeWithStart()
    await leave(`{"tokens": "${CANARY}"`)
    const error = await failure(persist(state, store))
    expect(error.message).toContain(`${authFile()} is not a usable session any more`)
    expect(error.message).toContain('not valid JSON')
    expect(error.message).toMatch(/codex login/)
    expect(store.versions.map(v => v.version)).toEqual(['v1'])
    expect(store.called('write')).toEqual([])
  })

  test('older than the session main started from (a later step put an old copy back)', async () => {
    const { store, state } = storeWithStart()
    await leave(beforeStart)
    const error = await failure(persist(state, store))
    expect(error.message).toContain(beforeStart.lastRefresh)
    expect(error.message).toContain(
      `older than the one this job started from (${started.lastRefresh})`
    )
    expect(error.message).toContain('To recover')
    expect(store.called('write')).toEqual([])
    expect(store.called('checkWritable')).toEqual([])
  })
})

describe('changed and stored', () => {
  test('nothing stored since main: written, then the checked version pruned', async () => {
    const { store, state } = storeWithStart()
    await leave(refreshed)
    const outcome = await persist(state, store)
    expect(outcome).toEqual({
      kind: 'stored',
      session: refreshed,
      written: { version: 'v2', where: 'memory (test)' }
    })
    expect(methods(store)).toEqual(['checkWritable', 'exclusive', 'head', 'write', 'prune'])
    // The lookup, the write and the prune all ran with other jobs kept out.
    for (const call of store.calls.filter(
      c => c.method !== 'checkWritable' && c.method !== 'exclusive'
    ))
      expect(call.insideExclusive).toBe(true)
    expect(store.called('prune')[0]?.args).toEqual([
      { version: 'v2', where: 'memory (test)' },
      'v1'
    ])
    expect(store.versions).toEqual([{ version: 'v2', session: refreshed }])
  })

  test('nothing was ever stored: written, nothing to prune', async () => {
    const store = new MemoryStore()
    await leave(refreshed)
    expect((await persist(stateOf(undefined), store)).kind).toBe('stored')
    expect(store.called('load')).toEqual([])
    expect(store.called('prune')[0]?.args[1]).toBeUndefined()
  })

  test('the storage was emptied since main: written, nothing to prune', async () => {
    const store = new MemoryStore()
    await leave(refreshed)
    expect((await persist(stateOf('v7'), store)).kind).toBe('stored')
    expect(store.called('prune')[0]?.args[1]).toBeUndefined()
  })
})

describe('another job stored a version after main looked', () => {
  test('a newer one: not written (conflict), nothing pruned', async () => {
    const { store, state } = storeWithStart()
    store.put(newerElsewhere)
    await leave(refreshed)
    const error = await failure(persist(state, store))
    expect(error.message).toContain('was NOT stored')
    expect(error.message).toContain(`a newer one (last refresh ${newerElsewhere.lastRefresh})`)
    expect(error.message).toMatch(/concurrency group/)
    expect(store.called('write')).toEqual([])
    expect(store.called('prune')).toEqual([])
    expect(store.versions.map(v => v.version)).toEqual(['v1', 'v2'])
  })

  test('the same session (stored by a job that shares this CODEX_HOME): already stored', async () => {
    const { store, state } = storeWithStart()
    store.put(refreshed)
    await leave(refreshed)
    expect(await persist(state, store)).toEqual({ kind: 'already-stored', session: refreshed })
    expect(store.called('write')).toEqual([])
    expect(store.called('prune')).toEqual([])
  })

  test('an older one: written, and prune told the version that was checked', async () => {
    const { store, state } = storeWithStart()
    const other = store.put(olderElsewhere)
    await leave(refreshed)
    const outcome = await persist(state, store)
    expect(outcome.kind).toBe('stored')
    expect(store.called('prune')[0]?.args[1]).toBe(other)
    expect(store.versions.map(v => v.version)).toEqual(['v3'])
  })

  test('a future-dated one does not block a believable refreshed session', async () => {
    const { store, state } = storeWithStart()
    const other = store.put(futureDated)
    await leave(refreshed)
    expect((await persist(state, store)).kind).toBe('stored')
    expect(store.called('prune')[0]?.args[1]).toBe(other)
    expect(store.newest).toEqual({ version: 'v3', session: refreshed })
  })

  test('one that cannot be read: written as newer, with a warning; nothing pruned on its account', async () => {
    const { store, state } = storeWithStart()
    store.putUnreadable('it does not decrypt with this key')
    await leave(refreshed)
    expect((await persist(state, store)).kind).toBe('stored')
    expect(output.commands('warning').join('\n')).toContain(
      'The newest stored session cannot be used (it does not decrypt with this key)'
    )
    // It may be another workflow's entry (another key): never pruned because of it.
    expect(store.called('prune')[0]?.args[1]).toBeUndefined()
  })

  test('and reading it fails: not written, nothing pruned', async () => {
    const { store, state } = storeWithStart()
    store.put(olderElsewhere)
    store.failures.load = 'the cache service answered 503'
    await leave(refreshed)
    const error = await failure(persist(state, store))
    expect(error.message).toContain('the cache service answered 503')
    expect(error.message).toContain('an older session must never replace a newer one')
    expect(error.message).toContain('To recover')
    expect(store.called('write')).toEqual([])
    expect(store.called('prune')).toEqual([])
  })
})

describe('a failure to store is one loud error with the recovery steps', () => {
  test('head unavailable: nothing written, nothing pruned', async () => {
    const { store, state } = storeWithStart()
    store.failures.head = 'the cache service did not answer within 120 s'
    await leave(refreshed)
    const error = await failure(persist(state, store))
    expect(error.message).toContain('could not check whether a newer session is stored')
    expect(error.message).toContain('the cache service did not answer within 120 s')
    expect(error.message).toContain('To recover')
    expect(error.message).toContain(authFile())
    expect(store.called('write')).toEqual([])
    expect(store.called('load')).toEqual([])
    expect(store.called('prune')).toEqual([])
  })

  test('a full disk on write: names the disk, the recovery, and the auth.json to copy', async () => {
    const { store, state } = storeWithStart()
    store.failures.write = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      path: '/srv/codex-auth/auth.json'
    })
    await leave(refreshed)
    const error = await failure(persist(state, store))
    expect(error.message).toContain('the disk is full (ENOSPC) on /srv/codex-auth/auth.json')
    expect(error.message).toContain('To recover')
    expect(error.message).toContain(authFile())
    expect(store.called('prune')).toEqual([])
  })

  test.each<[string, unknown, string]>([
    [
      'a lock time-out',
      new LockTimeoutError('timed out waiting for the lock /srv/auth.json.lock'),
      'timed out waiting for the lock /srv/auth.json.lock'
    ],
    [
      'a storage deadline',
      new DeadlineError('saving to the Actions cache did not finish within 120 s'),
      'saving to the Actions cache did not finish within 120 s'
    ],
    [
      'permission denied',
      Object.assign(new Error("EACCES: permission denied, open '/srv/x'"), {
        code: 'EACCES',
        path: '/srv/x'
      }),
      'permission denied (EACCES) on /srv/x'
    ],
    ['an unexpected error', new Error('socket hang up'), 'socket hang up']
  ])('%s on write', async (_, thrown, expected) => {
    const { store, state } = storeWithStart()
    store.failures.write = thrown
    await leave(refreshed)
    const error = await failure(persist(state, store))
    expect(error.message).toContain(`could not be stored: ${expected}`)
    expect(error.message).toContain('To recover')
  })

  test('a lock that cannot be taken: nothing read or written', async () => {
    const { store, state } = storeWithStart()
    store.failures.exclusive = new LockTimeoutError('timed out waiting for the lock')
    await leave(refreshed)
    const error = await failure(persist(state, store))
    expect(error.message).toContain('timed out waiting for the lock')
    expect(methods(store)).toEqual(['checkWritable', 'exclusive'])
  })

  // A storage client may reject with something that is not an Error (a string, undefined):
  // the session is just as lost, and the user needs the same recovery steps.
  test.each<[string, unknown]>([
    ['a string', 'the service went away'],
    ['undefined', undefined]
  ])('a write that rejects with %s', async (_, thrown) => {
    const { store, state } = storeWithStart()
    store.failures.write = thrown
    await leave(refreshed)
    const error = await failure(persist(state, store))
    expect(error.message).toContain('To recover')
    expect(error.message).toContain(authFile())
  })

  test('a storage that cannot be written from this run: the reason and the fix', async () => {
    const { store, state } = storeWithStart()
    store.failures.notWritable = {
      reason: 'this run of a pull request cannot save to the cache of main',
      fix: 'run on a push to the default branch, or set allow-any-branch'
    }
    await leave(refreshed)
    const error = await failure(persist(state, store))
    expect(error.message).toContain('this run of a pull request cannot save to the cache of main')
    expect(error.message).toContain(
      'to fix: run on a push to the default branch, or set allow-any-branch'
    )
    expect(error.message).toContain('To recover')
    expect(methods(store)).toEqual(['checkWritable'])
  })
})

describe('storage: none keeps the session where it is', () => {
  test('a store that keeps no sessions: kept in place, never stored', async () => {
    const { store, state } = storeWithStart(false)
    await leave(refreshed)
    expect(await persist(state, store)).toEqual({ kind: 'kept-in-place', session: refreshed })
    expect(methods(store)).toEqual(['checkWritable'])
  })

  test('NoStorage on a self-hosted runner: kept in place', async () => {
    await leave(refreshed)
    const outcome = await persist(stateOf(undefined), new NoStorage(codexHome, 'self-hosted'))
    expect(outcome.kind).toBe('kept-in-place')
  })

  test('NoStorage on a GitHub-hosted runner: the loud error, with the fix', async () => {
    await leave(refreshed)
    const error = await failure(
      persist(stateOf(undefined), new NoStorage(codexHome, 'github-hosted'))
    )
    expect(error.message).toContain('storage is none on a GitHub-hosted runner')
    expect(error.message).toContain('to fix: set storage: cache')
  })
})

describe('a storage that cannot be read back (a GitHub secret)', () => {
  test('its version moved since main: not written over, loudly; nothing pruned', async () => {
    const store = new MemoryStore(true, false)
    const startVersion = store.put(started)
    const state = stateOf(startVersion)
    store.put(newerElsewhere) // another job stored one: its value cannot be read back
    await leave(refreshed)
    const error = await persist(state, store).catch((e: Error) => e)
    expect(error).toBeInstanceOf(SessionNotStoredError)
    expect((error as Error).message).toMatch(/updated since this job started[\s\S]*To recover/)
    expect(store.called('write')).toEqual([])
    expect(store.called('load')).toEqual([])
  })

  test('its version is the one main saw: written', async () => {
    const store = new MemoryStore(true, false)
    const state = stateOf(store.put(started))
    await leave(refreshed)
    expect((await persist(state, store)).kind).toBe('stored')
  })
})
