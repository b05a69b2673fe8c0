/**
 * The roles in the app layer, against an in-memory store and a real CODEX_HOME on disk: what a
 * consumer starts from (and refuses), how the refresher publishes the bundle, and that the working
 * copy of refresh-ahead is never stored.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import {
  consumerBundle,
  forcedRefreshCopy,
  parseAuthJson,
  sessionSecrets,
  type Session
} from '../../src/auth/index.js'
import { BootstrapError, type Start } from '../../src/app/bootstrap.js'
import { persistSession, SessionNotStoredError } from '../../src/app/persist.js'
import {
  BundleNotPublishedError,
  consumerStart,
  planRefreshAhead,
  publishBundle,
  settleRefreshAhead
} from '../../src/app/roles.js'
import type { MainState } from '../../src/app/state.js'
import { ActionError } from '../../src/errors.js'
import { scratchDir } from '../e2e/harness/paths.js'
import { authText, CANARY, captureOutput, type CapturedOutput } from './fixtures.js'
import { MemoryStore } from './memory-store.js'

const HOUR_MS = 3600_000
const nowS = () => Math.floor(Date.now() / 1000)
const session = (expiresInS: number, lastRefresh: string, name: string) =>
  parseAuthJson(
    authText({ accessExp: nowS() + expiresInS, lastRefresh, refreshToken: `rt_${CANARY}_${name}` })
  )
const older = session(10 * 3600, '2026-11-24T10:00:00Z', 'older')
const newer = session(20 * 3600, '2026-11-24T11:00:00Z', 'newer')
const ALL_TOKENS = [older, newer].flatMap(sessionSecrets)

let codexHome: string
let output: CapturedOutput
beforeEach(() => {
  codexHome = scratchDir('unit-roles')
  output = captureOutput()
})
afterEach(async () => {
  output.restore()
  await fs.rm(codexHome, { recursive: true, force: true })
  for (const token of ALL_TOKENS) expect(output.shown()).not.toContain(token)
})

const start = (s: Session, storedVersion?: string): Start => ({
  source: 'storage',
  session: s,
  storedVersion,
  storedReadable: storedVersion !== undefined
})

describe('consumerStart', () => {
  const input = (bundleStore: MemoryStore, seed?: Session, minValidityMs = HOUR_MS) => ({
    codexHome,
    seed,
    bundleStore,
    minValidityMs,
    now: new Date()
  })

  test('the newest bundle of the stored one and the auth-json input', async () => {
    const store = new MemoryStore()
    const version = store.put(consumerBundle(newer))
    const chosen = await consumerStart(input(store, consumerBundle(older)))
    expect(chosen).toMatchObject({ source: 'storage', storedVersion: version })
    expect(chosen.session.fingerprint).toBe(consumerBundle(newer).fingerprint)
    const fromSeed = await consumerStart(input(new MemoryStore(), consumerBundle(newer)))
    expect(fromSeed.source).toBe('secret')
  })

  test('a store that cannot be read back (a GitHub secret) is not asked: the bundle comes from auth-json', async () => {
    const store = new MemoryStore(true, false)
    const chosen = await consumerStart(input(store, consumerBundle(older)))
    expect(chosen.source).toBe('secret')
    expect(store.calls).toEqual([])
  })

  test('no bundle anywhere: refused, naming the refresher', async () => {
    await expect(consumerStart(input(new MemoryStore()))).rejects.toThrow(
      /No consumer bundle to start from .* \(role: refresher/
    )
  })

  test('a bundle that expires within min-validity: refused before anything is written', async () => {
    const store = new MemoryStore()
    store.put(consumerBundle(older)) // 10 hours left
    await expect(consumerStart(input(store, undefined, 11 * HOUR_MS))).rejects.toThrow(
      /expires at .* within min-validity \(11h\)\. .* Codex was not run/
    )
    await expect(fs.readdir(codexHome)).resolves.toEqual([])
  })

  test('a full session in CODEX_HOME: refused, and left as it is', async () => {
    await fs.writeFile(path.join(codexHome, 'auth.json'), older.text, { mode: 0o600 })
    const store = new MemoryStore()
    store.put(consumerBundle(newer))
    const error = await consumerStart(input(store)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BootstrapError)
    expect((error as Error).message).toMatch(/holds a full session .* never overwrites it/)
    expect(await fs.readFile(path.join(codexHome, 'auth.json'), 'utf8')).toBe(older.text)
  })

  test('a bundle already in CODEX_HOME counts as a candidate', async () => {
    await fs.writeFile(path.join(codexHome, 'auth.json'), consumerBundle(newer).text)
    const chosen = await consumerStart(input(new MemoryStore(), consumerBundle(older)))
    expect(chosen.source).toBe('disk')
  })
})

describe('refresh-ahead', () => {
  const plan = (s: Session, store: MemoryStore, refreshAheadMs: number, runsCodex = true) =>
    planRefreshAhead(start(s), store, { refreshAheadMs, runsCodex, now: new Date() })

  test('forced only within refresh-ahead, in mode run, and only where the refresh could be stored', async () => {
    const store = new MemoryStore()
    expect(await plan(older, store, 5 * HOUR_MS)).toBeUndefined()
    expect(await plan(older, store, 11 * HOUR_MS, false)).toBeUndefined()
    const forced = await plan(older, store, 11 * HOUR_MS)
    expect(forced?.copy.file.tokens.refresh_token).toBe(older.file.tokens.refresh_token)
    store.failures.notWritable = { reason: 'a read-only cache token', fix: 'run on main' }
    await expect(plan(older, store, 11 * HOUR_MS)).rejects.toThrow(
      /could not be stored: a read-only cache token\. Nothing was changed\. To fix: run on main/
    )
  })

  test('the working copy still in CODEX_HOME after the run: the original goes back, and the step fails', async () => {
    const forced = { copy: forcedRefreshCopy(older, new Date()), expiresAt: new Date() }
    await fs.writeFile(path.join(codexHome, 'auth.json'), forced.copy.text, { mode: 0o600 })
    await expect(settleRefreshAhead(codexHome, start(older), forced)).rejects.toThrow(ActionError)
    expect(await fs.readFile(path.join(codexHome, 'auth.json'), 'utf8')).toBe(older.text)
    // Refreshed by Codex: nothing to do.
    await fs.writeFile(path.join(codexHome, 'auth.json'), newer.text, { mode: 0o600 })
    await settleRefreshAhead(codexHome, start(older), forced)
    expect(await fs.readFile(path.join(codexHome, 'auth.json'), 'utf8')).toBe(newer.text)
  })

  test('post never stores the working copy, even when main could not put the original back', async () => {
    const store = new MemoryStore()
    const version = store.put(older)
    const copy = forcedRefreshCopy(older, new Date())
    await fs.writeFile(path.join(codexHome, 'auth.json'), copy.text, { mode: 0o600 })
    const state: MainState = {
      codexHome,
      start: {
        source: 'storage',
        fingerprint: older.fingerprint,
        lastRefresh: older.lastRefresh,
        storedVersion: version,
        storedReadable: true
      },
      role: 'refresher',
      forcedFingerprint: copy.fingerprint
    }
    const error = await persistSession({ state, store, now: new Date(), readRetries: 0 }).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(SessionNotStoredError)
    expect((error as Error).message).toMatch(/working copy that refresh-ahead handed Codex/)
    expect(store.called('write')).toEqual([])
  })
})

describe('publishBundle', () => {
  test('writes the bundle of the session (no refresh token) and prunes the one it replaced', async () => {
    const store = new MemoryStore()
    const old = store.put(consumerBundle(older))
    await publishBundle(newer, store)
    const written = store.called('write')[0]!.args[0] as Session
    expect(written.fingerprint).toBe(consumerBundle(newer).fingerprint)
    expect(written.text).not.toContain(newer.file.tokens.refresh_token)
    expect(store.called('prune')[0]!.args[1]).toBe(old)
    expect(store.called('write')[0]!.insideExclusive).toBe(true)
  })

  test('the same bundle already published: nothing written; a newer one published: kept', async () => {
    const same = new MemoryStore()
    same.put(consumerBundle(newer))
    await publishBundle(newer, same)
    expect(same.called('write')).toEqual([])
    const ahead = new MemoryStore()
    ahead.put(consumerBundle(newer))
    await publishBundle(older, ahead)
    expect(ahead.called('write')).toEqual([])
    expect(output.shown()).toMatch(/A newer consumer bundle is already published/)
  })

  test('a failed read of the published bundle is not "none published": nothing written, a loud error', async () => {
    const store = new MemoryStore()
    store.put(consumerBundle(newer))
    store.failures.load = 'the service timed out'
    const error = await publishBundle(older, store).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BundleNotPublishedError)
    expect((error as Error).message).toMatch(
      /could not read the bundle published before \(the service timed out\)[^]*Re-run the refresher/
    )
    expect(store.called('write')).toEqual([])
    expect(store.called('prune')).toEqual([])
  })

  test('an unreadable published bundle is replaced with a warning, and not pruned by version', async () => {
    const store = new MemoryStore()
    store.putUnreadable('it does not decrypt with this key')
    await publishBundle(newer, store)
    expect(store.called('write')).toHaveLength(1)
    expect(store.called('prune')[0]!.args[1]).toBeUndefined()
    expect(output.shown()).toMatch(
      /consumer bundle in memory \(test\) cannot be used \(it does not decrypt with this key\): replacing it/
    )
  })

  test('a store that cannot be read back is written without a look; a failed write is its own loud error', async () => {
    const blind = new MemoryStore(true, false)
    await publishBundle(newer, blind)
    expect(blind.called('load')).toEqual([])
    expect(blind.called('write')).toHaveLength(1)
    const failing = new MemoryStore()
    failing.failures.write = new Error('the service said no')
    const error = await publishBundle(newer, failing).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BundleNotPublishedError)
    expect((error as Error).message).toMatch(
      /The session is stored, but the consumer bundle could not be published .* the service said no\. Consumers keep the bundle published before/
    )
  })
})
