/**
 * The fault suite for everything that is not the cache service: Codex killed or failing, full
 * disks, file permissions (as an unprivileged user), lock files, wrong clocks, concurrent jobs and
 * storage: none. Mostly `storage: directory` into a path that does not exist yet (a new runner),
 * unless the case is about an existing one, and then the case says so.
 *
 * Every case checks the rules: a refreshed session is stored or the step fails loudly with the
 * recovery steps; an older session never replaces a newer one; the fault never makes Codex
 * present a used refresh token (no 400 from the token endpoint) unless the case is about that.
 * The scenario's afterEach scans every step for tokens.
 *
 * No jest globals at import time: scripts/reliability.ts imports this table to render the docs.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statfsSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { AuthJson } from '../fakes/authority.js'
import { scratchDir } from '../harness/paths.js'
import type { Job, StepResult } from '../harness/runner.js'
import { codexHomeOf, errorsOf, readAuth, warningsOf, type Scenario } from '../harness/scenario.js'
import type { World } from '../harness/world.js'
import type { SuiteCase, SuiteTable } from './case.js'

export interface FaultsLocalContext {
  readonly scenario: Scenario
}

type Case = SuiteCase<FaultsLocalContext>

const DAY_MS = 24 * 60 * 60 * 1000
const YEAR_MS = 365 * DAY_MS

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** A storage directory that does not exist yet, as on a new runner: the action must create it. */
const newStore = () => path.join(scratchDir('store'), 'codex-session')
const storedFile = (store: string) => path.join(store, 'auth.json')
const diskFile = (job: Job) => path.join(codexHomeOf(job), 'auth.json')
const text = (file: string) => readFileSync(file, 'utf8')

function directoryInputs(
  world: World,
  store: string,
  seed?: AuthJson,
  extra: Record<string, string> = {}
): Record<string, string> {
  return {
    ...(seed ? { 'auth-json': JSON.stringify(seed) } : {}),
    storage: 'directory',
    'storage-path': store,
    'codex-path': world.codexPath,
    ...extra
  }
}

function noneInputs(world: World, seed: AuthJson, extra: Record<string, string> = {}) {
  return {
    'auth-json': JSON.stringify(seed),
    storage: 'none',
    'codex-path': world.codexPath,
    ...extra
  }
}

/** A session Codex would refresh on its next run: the access token expires within 5 minutes. */
const staleSession = (world: World, lastRefresh?: Date) =>
  world.authority.signIn({ accessExpiresInSeconds: 60, ...(lastRefresh ? { lastRefresh } : {}) })

/**
 * What a refresh of `from` gives (as Codex would write it): `from`'s refresh token is used up by
 * it. Done directly on the identity provider: no request reaches the token endpoint's log.
 */
function refreshedCopy(
  world: World,
  from: AuthJson,
  { lastRefresh = new Date(), accessTtlSeconds = 3600 } = {}
): AuthJson {
  const ttl = world.authority.accessTtlSeconds
  world.authority.accessTtlSeconds = accessTtlSeconds
  try {
    const answer = world.authority.refresh(from.tokens.refresh_token)
    if (answer.status !== 200) throw new Error(`the fake refused the refresh (${answer.status})`)
    const tokens = answer.body as { id_token: string; access_token: string; refresh_token: string }
    return {
      ...from,
      tokens: { ...tokens, account_id: from.tokens.account_id },
      last_refresh: lastRefresh.toISOString()
    }
  } finally {
    world.authority.accessTtlSeconds = ttl
  }
}

/** A storage directory that exists already (a mounted volume kept between jobs) holding `auth`. */
function existingStore(auth?: AuthJson): string {
  const store = newStore()
  mkdirSync(store, { mode: 0o700 })
  if (auth) writeFileSync(storedFile(store), JSON.stringify(auth, null, 2), { mode: 0o600 })
  return store
}

/** What reached the fakes from a point on: refresh requests and backend calls. */
function probe(world: World) {
  const refreshesBefore = world.tokenEndpoint.requests.length
  const backendBefore = world.backend.requests.length
  return {
    refreshes: () => world.tokenEndpoint.requests.slice(refreshesBefore),
    backendCalls: () => world.backend.requests.slice(backendBefore)
  }
}
type Probe = ReturnType<typeof probe>

/** The token endpoint never answered 400 (a used refresh token presented) since the probe. */
function expectNoUsedTokenPresented(seen: Probe): void {
  expect(seen.refreshes().filter(request => request.status === 400)).toEqual([])
}

/** Main stopped before Codex ran: no refresh, no backend call, no state for post. */
function expectRefusedBeforeCodex(main: StepResult, seen: Probe, message: RegExp): void {
  expect(main.exitCode).toBe(1)
  expect(errorsOf(main).join('\n')).toMatch(message)
  expect(errorsOf(main).join('\n')).not.toMatch(/Unexpected error/)
  expect(seen.refreshes()).toEqual([])
  expect(seen.backendCalls()).toEqual([])
  expect(main.outputs['codex-exit-code']).toBeUndefined()
  expect(main.state).toEqual({})
}

/** Post failed loudly: exit 1, an error that says the session was not stored and how to recover. */
function expectLoudNotStored(post: StepResult | undefined, cause: RegExp): void {
  expect(post?.exitCode).toBe(1)
  const errors = errorsOf(post!).join('\n')
  expect(errors).toMatch(/could not be stored|was NOT stored|not stored/)
  expect(errors).toMatch(/To recover/)
  expect(errors).not.toMatch(/Unexpected error/)
  expect(errors).toMatch(cause)
}

/** Main failed for Codex being killed, and says so: not "exit code null". */
function expectKilledReported(main: StepResult): void {
  expect(main.exitCode).toBe(1)
  const errors = errorsOf(main).join('\n')
  expect(errors).toMatch(/codex exec/)
  expect(errors).toMatch(/killed|signal/i)
  expect(errors).not.toMatch(/exit code null/)
}

/** Nothing half-written or left behind in a storage directory: only auth.json, if anything. */
function expectCleanStore(store: string): void {
  const left = existsSync(store) ? readdirSync(store).filter(name => name !== 'auth.json') : []
  expect(left).toEqual([])
}

/**
 * A `codex-path` that runs the real Codex CLI and, for `codex exec`, kills it with SIGKILL: as soon
 * as it has rewritten auth.json (it writes atomically: a new inode), or before it starts at all.
 * The wrapper then dies by SIGKILL too, as the process the action started.
 */
function killingCodex(world: World, when: 'after-refresh' | 'before-start'): string {
  const dir = scratchDir('codex-wrapper')
  chmodSync(dir, 0o755)
  const file = path.join(dir, 'codex')
  const body =
    when === 'before-start'
      ? 'kill -KILL $$\n'
      : [
          'auth="$CODEX_HOME/auth.json"',
          'before=$(stat -c %i "$auth" 2>/dev/null)',
          // A background job of a non-interactive shell reads /dev/null: hand it our stdin (the prompt).
          'exec 3<&0',
          '"$real" "$@" 0<&3 &',
          'pid=$!',
          'while kill -0 "$pid" 2>/dev/null; do',
          '  if [ "$(stat -c %i "$auth" 2>/dev/null)" != "$before" ]; then',
          '    kill -KILL "$pid"; wait "$pid"; kill -KILL $$',
          '  fi',
          '  sleep 0.005',
          'done',
          'wait "$pid"',
          ''
        ].join('\n')
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      `real='${world.codexPath}'`,
      'if [ "$1" != exec ]; then exec "$real" "$@"; fi',
      body
    ].join('\n'),
    { mode: 0o755 }
  )
  return file
}

/**
 * Runs `work` with a small tmpfs mounted at `dir` (made when missing). Without the permission to
 * mount, the case is skipped with a warning, never passed silently.
 */
async function withTmpfs(
  dir: string,
  caseName: string,
  work: (dir: string) => Promise<void>
): Promise<void> {
  mkdirSync(dir, { recursive: true })
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0755', 'tmpfs', dir], {
      stdio: 'pipe'
    })
  } catch (error) {
    console.warn(
      `SKIPPED "${caseName}": cannot mount a tmpfs at ${dir} (${(error as Error).message.trim()}). ` +
        'Run the suite as root (or with CAP_SYS_ADMIN) to cover it.'
    )
    return
  }
  try {
    await work(dir)
  } finally {
    try {
      execFileSync('umount', [dir], { stdio: 'pipe' })
    } catch {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' })
    }
  }
}

/** Fills the file system that holds `dir` to the last byte. */
function fillDisk(dir: string): void {
  const filler = path.join(dir, 'filler')
  for (const size of [256 * 1024, 4096, 1]) {
    const chunk = Buffer.alloc(size, 0x61)
    try {
      for (;;) appendFileSync(filler, chunk)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
    }
  }
  const stats = statfsSync(dir)
  expect(stats.bavail * stats.bsize).toBeLessThan(4096)
}

/** A pid that is certainly not running (a process that has exited). */
function deadPid(): number {
  const child = spawnSync('true')
  if (child.pid === undefined) throw new Error('could not start `true`')
  return child.pid
}

/**
 * The token endpoint answers every refresh 503 (transient: Codex retries, then goes on with the
 * old access token). With a still-valid access token the turn succeeds; with an expired one Codex
 * fails. Either way the refresh token was never used: the session lives on.
 */
function transientRefreshCase(access: 'valid' | 'expired'): Case {
  return {
    area: 'codex',
    name:
      access === 'valid'
        ? 'the token endpoint answers every refresh 503 (transient); the access token still works'
        : 'the token endpoint answers every refresh 503 (transient); the access token has expired',
    outcome:
      access === 'valid'
        ? 'the turn succeeds on the old token; nothing stored; the session still works'
        : 'main fails for the Codex failure (not called a dead session); the session still works',
    async run({ scenario: { world, freshJob } }) {
      const store = newStore()
      const seed = world.authority.signIn({ accessExpiresInSeconds: access === 'valid' ? 60 : -60 })
      world.authority.failRefreshWith = 'server-error'
      const seen = probe(world)
      const job = freshJob()
      const main = await job.runAction(directoryInputs(world, store, seed))
      world.authority.failRefreshWith = undefined
      expect(seen.refreshes().length).toBeGreaterThan(0)
      expect(seen.refreshes().every(request => request.status === 503)).toBe(true)
      expect(main.outputs).toMatchObject({ refreshed: 'false' })
      expect(readAuth(diskFile(job))).toEqual(seed) // Codex never changes auth.json on a failure
      if (access === 'valid') {
        expect(main.exitCode).toBe(0)
      } else {
        expect(main.exitCode).toBe(1)
        const errors = errorsOf(main).join('\n')
        expect(errors).toMatch(/codex exec/)
        // The session is fine: sending the user to sign in again would be wrong.
        expect(errors).not.toMatch(/session is dead|codex login/)
      }

      const [post] = await job.finish()
      expect(post!.exitCode).toBe(0)
      expect(post!.stdout).toMatch(/did not change during this job: nothing to store/)
      expect(existsSync(storedFile(store))).toBe(false)

      // The refresh token was never used: once the endpoint is back, the next job refreshes it.
      const next = freshJob()
      const again = await next.runAction(directoryInputs(world, store, seed))
      expect(again.exitCode).toBe(0)
      expect(again.outputs).toMatchObject({ refreshed: 'true' })
      const [nextPost] = await next.finish()
      expect(nextPost!.exitCode).toBe(0)
      expect(readAuth(storedFile(store))).toEqual(readAuth(diskFile(next)))
      expectNoUsedTokenPresented(seen)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// codex: Codex killed or failing around its refresh
// ---------------------------------------------------------------------------------------------

const codexCases: Case[] = [
  {
    area: 'codex',
    name: 'Codex killed (SIGKILL) right after it rewrote auth.json',
    outcome: 'main fails for the kill; post stores the refreshed session',
    async run({ scenario: { world, freshJob } }) {
      const store = newStore()
      const seed = staleSession(world)
      const seen = probe(world)
      const job = freshJob()
      const main = await job.runAction(
        directoryInputs(world, store, seed, { 'codex-path': killingCodex(world, 'after-refresh') })
      )
      expect(main.exitCode).toBe(1)
      expect(main.outputs['codex-exit-code']).not.toBe('0')
      expect(main.outputs['final-message']).toBe('') // killed before the turn completed
      expectKilledReported(main)
      expect(seen.refreshes()).toEqual([{ refreshReason: 'proactive_expiry', status: 200 }])
      const refreshed = readAuth(diskFile(job))
      expect(refreshed.tokens.refresh_token).not.toBe(seed.tokens.refresh_token)

      const [post] = await job.finish()
      expect(post!.exitCode).toBe(0)
      expect(post!.stdout).toMatch(/Stored the refreshed session/)
      expect(readAuth(storedFile(store))).toEqual(refreshed)
      expectCleanStore(store)
      expectNoUsedTokenPresented(seen)
    }
  },
  {
    area: 'codex',
    name: 'Codex exits non-zero after a refresh (the backend answers the turn 400)',
    outcome: 'main fails naming codex exec; post stores the refreshed session',
    async run({ scenario: { world, freshJob } }) {
      const store = newStore()
      const seed = staleSession(world)
      world.backend.failTurnsWith = 400
      const seen = probe(world)
      const job = freshJob()
      const main = await job.runAction(directoryInputs(world, store, seed))
      world.backend.failTurnsWith = undefined
      expect(main.exitCode).toBe(1)
      expect(main.outputs).toMatchObject({ refreshed: 'true' })
      expect(main.outputs['codex-exit-code']).not.toBe('0')
      expect(errorsOf(main).join('\n')).toMatch(/codex exec failed with exit code/)

      const [post] = await job.finish()
      expect(post!.exitCode).toBe(0)
      expect(readAuth(storedFile(store))).toEqual(readAuth(diskFile(job)))
      expect(readAuth(storedFile(store)).tokens.refresh_token).not.toBe(seed.tokens.refresh_token)
      expectNoUsedTokenPresented(seen)
    }
  },
  {
    area: 'codex',
    name: 'Codex killed (SIGKILL) before it could refresh',
    outcome: 'main fails for the kill; post stores nothing; the seed still works',
    async run({ scenario: { world, freshJob } }) {
      const store = newStore()
      const seed = staleSession(world)
      const seen = probe(world)
      const job = freshJob()
      const main = await job.runAction(
        directoryInputs(world, store, seed, { 'codex-path': killingCodex(world, 'before-start') })
      )
      expect(main.exitCode).toBe(1)
      expect(main.outputs).toMatchObject({ refreshed: 'false' })
      expect(main.outputs['codex-exit-code']).not.toBe('0')
      expectKilledReported(main)
      expect(seen.refreshes()).toEqual([])
      expect(readAuth(diskFile(job))).toEqual(seed)

      const [post] = await job.finish()
      expect(post!.exitCode).toBe(0)
      expect(post!.stdout).toMatch(/did not change during this job: nothing to store/)
      expect(existsSync(storedFile(store))).toBe(false)

      // The session was not used up: the next job refreshes it and stores the result.
      const next = freshJob()
      const again = await next.runAction(directoryInputs(world, store, seed))
      expect(again.exitCode).toBe(0)
      expect(again.outputs).toMatchObject({ 'auth-source': 'secret', refreshed: 'true' })
      const [nextPost] = await next.finish()
      expect(nextPost!.exitCode).toBe(0)
      expect(readAuth(storedFile(store))).toEqual(readAuth(diskFile(next)))
      expectNoUsedTokenPresented(seen)
    }
  },
  transientRefreshCase('valid'),
  transientRefreshCase('expired')
]

// ---------------------------------------------------------------------------------------------
// disk: full disks
// ---------------------------------------------------------------------------------------------

const diskCases: Case[] = [
  {
    area: 'disk',
    name: 'the disk under CODEX_HOME is full before Codex runs',
    outcome: "main fails before Codex naming the full disk and 'codex-home'",
    async run({ scenario: { world, freshJob } }) {
      const job = freshJob()
      await withTmpfs(job.home, 'a full disk under CODEX_HOME', async home => {
        fillDisk(home)
        const store = newStore()
        const seen = probe(world)
        const main = await job.runAction(directoryInputs(world, store, staleSession(world)))
        expectRefusedBeforeCodex(main, seen, /full[\s\S]*'codex-home'|'codex-home'[\s\S]*full/)
        expect(errorsOf(main).join('\n')).toContain(codexHomeOf(job))
        const [post] = await job.finish()
        expect(post!.exitCode).toBe(0)
        expect(existsSync(store)).toBe(false)
      })
    }
  },
  {
    area: 'disk',
    name: 'the disk of storage-path fills up between main and post',
    outcome: 'post fails loudly naming the full disk and the storage, with "To recover"',
    async run({ scenario: { world, freshJob } }) {
      await withTmpfs(scratchDir('store-disk'), 'storage-path full in post', async disk => {
        const store = path.join(disk, 'codex-session') // does not exist yet
        const seen = probe(world)
        const job = freshJob()
        const main = await job.runAction(directoryInputs(world, store, staleSession(world)))
        expect(main.exitCode).toBe(0)
        expect(main.outputs.refreshed).toBe('true')
        const refreshed = text(diskFile(job))
        fillDisk(disk)
        const [post] = await job.finish()
        expectLoudNotStored(post, /disk[^.]*full/)
        expect(errorsOf(post!).join('\n')).toContain(store)
        expect(errorsOf(post!).join('\n')).toContain(diskFile(job))
        expect(text(diskFile(job))).toBe(refreshed) // the only copy is still there
        expect(existsSync(storedFile(store))).toBe(false)
        expectCleanStore(store)
        expectNoUsedTokenPresented(seen)
      })
    }
  },
  {
    area: 'disk',
    name: 'storage-path is on a disk that is already full when main starts',
    outcome: 'main fails before Codex naming the full disk and storage-path',
    async run({ scenario: { world, freshJob } }) {
      await withTmpfs(scratchDir('store-disk'), 'storage-path full at main', async disk => {
        fillDisk(disk)
        const store = path.join(disk, 'codex-session')
        const seen = probe(world)
        const job = freshJob()
        const main = await job.runAction(directoryInputs(world, store, staleSession(world)))
        expectRefusedBeforeCodex(main, seen, /full/)
        expect(errorsOf(main).join('\n')).toMatch(/storage/)
        const [post] = await job.finish()
        expect(post!.exitCode).toBe(0)
      })
    }
  }
]

// ---------------------------------------------------------------------------------------------
// permissions: as the unprivileged user nobody (root bypasses file permissions)
// ---------------------------------------------------------------------------------------------

const permissionCases: Case[] = [
  {
    area: 'permissions',
    name: "a read-only storage-path (an existing directory of root's, mode 0755)",
    outcome: "main fails before Codex naming 'storage-path'",
    async run({ scenario: { world, freshJob } }) {
      const store = scratchDir('store') // exists: made by root, as an admin would
      chmodSync(store, 0o755)
      const seen = probe(world)
      const job = freshJob({ unprivileged: true })
      const main = await job.runAction(directoryInputs(world, store, staleSession(world)))
      expectRefusedBeforeCodex(main, seen, /'storage-path'/)
      expect(errorsOf(main).join('\n')).toContain(store)
      const [post] = await job.finish()
      expect(post!.exitCode).toBe(0)
      expect(readdirSync(store)).toEqual([])
    }
  },
  {
    area: 'permissions',
    name: 'the storage directory made read-only between main and post',
    outcome: 'post fails loudly naming the directory, with "To recover"',
    async run({ scenario: { world, freshJob } }) {
      const store = newStore()
      const seen = probe(world)
      const job = freshJob({ unprivileged: true })
      job.give(path.dirname(store))
      const main = await job.runAction(directoryInputs(world, store, staleSession(world)))
      expect(main.exitCode).toBe(0)
      expect(main.outputs.refreshed).toBe('true')
      const refreshed = text(diskFile(job))
      mkdirSync(store, { recursive: true, mode: 0o700 })
      job.give(store)
      chmodSync(store, 0o500)
      const [post] = await job.finish()
      expectLoudNotStored(post, new RegExp(escape(store)))
      expect(existsSync(storedFile(store))).toBe(false)
      expect(text(diskFile(job))).toBe(refreshed)
      expectNoUsedTokenPresented(seen)
    }
  },
  {
    area: 'permissions',
    name: 'auth.json in CODEX_HOME made unreadable (chmod 000) before post',
    outcome: 'post fails loudly naming auth.json, with "To recover"',
    async run({ scenario: { world, freshJob } }) {
      const store = newStore()
      const seen = probe(world)
      const job = freshJob({ unprivileged: true })
      job.give(path.dirname(store))
      const main = await job.runAction(directoryInputs(world, store, staleSession(world)))
      expect(main.exitCode).toBe(0)
      expect(main.outputs.refreshed).toBe('true')
      chmodSync(diskFile(job), 0o000)
      const [post] = await job.finish()
      expectLoudNotStored(post, /permission denied/)
      expect(errorsOf(post!).join('\n')).toContain(diskFile(job))
      expect(existsSync(storedFile(store))).toBe(false)
      expectNoUsedTokenPresented(seen)
    }
  },
  {
    area: 'permissions',
    name: 'codex-home not writable (~/.codex made by root, mode 0755)',
    outcome: "main fails before Codex naming 'codex-home'",
    async run({ scenario: { world, freshJob } }) {
      const store = newStore()
      const job = freshJob({ unprivileged: true })
      job.give(path.dirname(store))
      mkdirSync(codexHomeOf(job), { mode: 0o755 }) // a persistent runner: an admin made it
      const seen = probe(world)
      const main = await job.runAction(directoryInputs(world, store, staleSession(world)))
      expectRefusedBeforeCodex(main, seen, /'codex-home'/)
      expect(errorsOf(main).join('\n')).toContain(codexHomeOf(job))
      expect(readdirSync(codexHomeOf(job))).toEqual([])
      const [post] = await job.finish()
      expect(post!.exitCode).toBe(0)
      expect(existsSync(store)).toBe(false)
    }
  },
  {
    area: 'permissions',
    name: 'the stored auth.json cannot be read (chmod 000) at main, and the seed would refresh',
    outcome: 'main fails before Codex: the stored session could not be read (never "none stored")',
    async run({ scenario: { world, freshJob } }) {
      const seed = staleSession(world, new Date(Date.now() - DAY_MS))
      // The storage (it exists: a volume kept between jobs) holds the session refreshed from the seed.
      const store = existingStore(refreshedCopy(world, seed, { accessTtlSeconds: 60 }))
      const before = text(storedFile(store))
      const job = freshJob({ unprivileged: true })
      job.give(path.dirname(store))
      chmodSync(storedFile(store), 0o000)
      const seen = probe(world)
      const main = await job.runAction(directoryInputs(world, store, seed))
      expectRefusedBeforeCodex(main, seen, /Could not read the stored session/)
      expect(errorsOf(main).join('\n')).toContain(storedFile(store))
      expect(errorsOf(main).join('\n')).not.toMatch(/holds none/)
      const [post] = await job.finish()
      expect(post!.exitCode).toBe(0)
      expect(text(storedFile(store))).toBe(before)
    }
  }
]

// ---------------------------------------------------------------------------------------------
// locks: the lock file beside the stored auth.json
// ---------------------------------------------------------------------------------------------

/** A storage directory (it exists: a crashed or running job made it) holding only a lock file. */
function storeWithLock(holder: string, ageMs = 0): { store: string; lock: string } {
  const store = existingStore()
  const lock = `${storedFile(store)}.lock`
  writeFileSync(lock, holder, { mode: 0o600 })
  if (ageMs > 0) {
    const then = new Date(Date.now() - ageMs)
    utimesSync(lock, then, then)
  }
  return { store, lock }
}

async function expectStoredDespiteLock(
  world: World,
  job: Job,
  store: string,
  lock: string,
  seed: AuthJson,
  release?: () => void
): Promise<number> {
  const main = await job.runAction(directoryInputs(world, store, seed))
  expect(main.exitCode).toBe(0)
  expect(main.outputs.refreshed).toBe('true')
  const started = Date.now()
  const finishing = job.finish()
  release?.()
  const [post] = await finishing
  const took = Date.now() - started
  expect(post!.exitCode).toBe(0)
  expect(post!.stdout).toMatch(/Stored the refreshed session/)
  expect(readAuth(storedFile(store))).toEqual(readAuth(diskFile(job)))
  expect(existsSync(lock)).toBe(false)
  expectCleanStore(store)
  return took
}

const lockCases: Case[] = [
  {
    area: 'locks',
    name: 'a lock file left by a crashed job (this host, a pid that is gone)',
    outcome: 'post takes it over at once and stores',
    async run({ scenario: { world, freshJob } }) {
      const { store, lock } = storeWithLock(`${os.hostname()} ${deadPid()}`)
      const seen = probe(world)
      const took = await expectStoredDespiteLock(
        world,
        freshJob(),
        store,
        lock,
        staleSession(world)
      )
      expect(took).toBeLessThan(10_000)
      expectNoUsedTokenPresented(seen)
    }
  },
  {
    area: 'locks',
    name: 'an old lock file with no holder, last changed over 60 s ago',
    outcome: 'post takes it over and stores',
    async run({ scenario: { world, freshJob } }) {
      const { store, lock } = storeWithLock('', 120_000)
      const seen = probe(world)
      const took = await expectStoredDespiteLock(
        world,
        freshJob(),
        store,
        lock,
        staleSession(world)
      )
      expect(took).toBeLessThan(10_000)
      expectNoUsedTokenPresented(seen)
    }
  },
  {
    area: 'locks',
    name: 'a live lock (held by a running process), released after 2 s',
    outcome: 'post waits for it, then stores',
    async run({ scenario: { world, freshJob } }) {
      const { store, lock } = storeWithLock(`${os.hostname()} ${process.pid}`)
      const seen = probe(world)
      const took = await expectStoredDespiteLock(
        world,
        freshJob(),
        store,
        lock,
        staleSession(world),
        () => {
          setTimeout(() => rmSync(lock, { force: true }), 2000)
        }
      )
      expect(took).toBeGreaterThanOrEqual(2000)
      expectNoUsedTokenPresented(seen)
    }
  }
]

// ---------------------------------------------------------------------------------------------
// clocks: last_refresh in the future, and older copies
// ---------------------------------------------------------------------------------------------

const clockCases: Case[] = [
  {
    area: 'clocks',
    name: 'a seed with last_refresh a year in the future, and a valid stored session',
    outcome: 'the stored session is used, with a warning naming the future timestamp',
    async run({ scenario: { world, freshJob } }) {
      const seed = staleSession(world, new Date(Date.now() + YEAR_MS))
      // The storage (a volume kept between jobs) holds the session refreshed from the seed.
      const store = existingStore(refreshedCopy(world, seed))
      const before = text(storedFile(store))
      const seen = probe(world)
      const job = freshJob()
      const main = await job.runAction(directoryInputs(world, store, seed))
      expect(main.exitCode).toBe(0)
      expect(main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'false' })
      expect(warningsOf(main).join('\n')).toContain(seed.last_refresh)
      expect(warningsOf(main).join('\n')).toMatch(/future/)
      expect(seen.refreshes()).toEqual([])
      const [post] = await job.finish()
      expect(post!.exitCode).toBe(0)
      expect(text(storedFile(store))).toBe(before)
    }
  },
  {
    area: 'clocks',
    name: 'the only stored session says last_refresh is a year in the future; Codex refreshes it',
    outcome: 'post stores the refreshed session (not refused as older)',
    async run({ scenario: { world, freshJob } }) {
      // Stored by a machine whose clock was a year ahead; the storage exists (kept between jobs).
      const future = staleSession(world, new Date(Date.now() + YEAR_MS))
      const store = existingStore(future)
      const seen = probe(world)
      const job = freshJob()
      const main = await job.runAction(directoryInputs(world, store))
      expect(main.exitCode).toBe(0)
      expect(main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'true' })
      expect(warningsOf(main).join('\n')).toContain(future.last_refresh)
      const [post] = await job.finish()
      expect(post!.exitCode).toBe(0)
      expect(post!.stdout).toMatch(/Stored the refreshed session/)
      expect(readAuth(storedFile(store))).toEqual(readAuth(diskFile(job)))
      expectNoUsedTokenPresented(seen)
    }
  },
  {
    area: 'clocks',
    name: 'a stored copy from the future (its token used) and a valid seed that Codex refreshes',
    outcome: 'the seed is used, with a warning; post stores its refresh over the future copy',
    async run({ scenario: { world, freshJob } }) {
      const old = staleSession(world, new Date(Date.now() + YEAR_MS))
      world.authority.refresh(old.tokens.refresh_token) // that copy is used up
      const store = existingStore(old)
      const seed = staleSession(world) // a new sign-in, put into the secret
      const seen = probe(world)
      const job = freshJob()
      const main = await job.runAction(directoryInputs(world, store, seed))
      expect(main.exitCode).toBe(0)
      expect(main.outputs).toMatchObject({ 'auth-source': 'secret', refreshed: 'true' })
      expect(warningsOf(main).join('\n')).toContain(old.last_refresh)
      const [post] = await job.finish()
      expect(post!.exitCode).toBe(0)
      expect(readAuth(storedFile(store))).toEqual(readAuth(diskFile(job)))
      expectNoUsedTokenPresented(seen)
    }
  },
  {
    area: 'clocks',
    name: 'a later step puts an OLDER copy of the session into CODEX_HOME',
    outcome: 'post refuses to store it, loudly; the stored session stays',
    async run({ scenario: { world, freshJob } }) {
      const seed = staleSession(world, new Date(Date.now() - 2 * DAY_MS))
      const start = refreshedCopy(world, seed, {
        lastRefresh: new Date(Date.now() - 60 * 60 * 1000),
        accessTtlSeconds: 60
      })
      const store = existingStore(start) // a volume kept between jobs
      const before = text(storedFile(store))
      const seen = probe(world)
      const job = freshJob()
      const main = await job.runAction(directoryInputs(world, store, seed))
      expect(main.exitCode).toBe(0)
      expect(main.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'true' })
      const older = path.join(job.root, 'old-auth.json') // outside the scanned workspace: the test's own copy
      writeFileSync(older, JSON.stringify(seed, null, 2))
      await job.runCommand('cp', [older, diskFile(job)], 'restore an old auth.json')
      const [post] = await job.finish()
      expectLoudNotStored(post, /older/)
      expect(errorsOf(post!).join('\n')).toContain(seed.last_refresh)
      expect(text(storedFile(store))).toBe(before)
      expectNoUsedTokenPresented(seen)
    }
  },
  {
    area: 'clocks',
    name: 'a later step puts back the very copy the job started from, after Codex refreshed it',
    outcome: 'post fails loudly: the refreshed session was replaced; the stored one stays',
    async run({ scenario: { world, freshJob } }) {
      const store = newStore()
      const seed = staleSession(world)
      const seen = probe(world)
      const job = freshJob()
      const main = await job.runAction(directoryInputs(world, store, seed))
      expect(main.exitCode).toBe(0)
      expect(main.outputs.refreshed).toBe('true')
      // e.g. a later step that writes the auth-json secret into ~/.codex again
      const copy = path.join(job.root, 'secret-auth.json') // the test's own copy, outside the workspace
      writeFileSync(copy, JSON.stringify(seed))
      await job.runCommand('cp', [copy, diskFile(job)], 'write the secret again')
      const [post] = await job.finish()
      expectLoudNotStored(post, new RegExp(escape(diskFile(job))))
      expect(existsSync(storedFile(store))).toBe(false)
      expectNoUsedTokenPresented(seen)
    }
  }
]

// ---------------------------------------------------------------------------------------------
// concurrency: jobs that overlap on one directory storage
// ---------------------------------------------------------------------------------------------

const concurrencyCases: Case[] = [
  {
    area: 'concurrency',
    name: 'two overlapping jobs start from one stale stored session',
    outcome: "the second fails explaining the reuse; the first's session is stored and restored",
    async run({ scenario: { world, freshJob } }) {
      // Expired: the job that cannot refresh it cannot go on with the old access token either.
      const seed = world.authority.signIn({ accessExpiresInSeconds: -60 })
      const store = existingStore(seed) // a volume both jobs mount
      const first = freshJob()
      const second = freshJob()
      const a = await first.runAction(directoryInputs(world, store, seed))
      expect(a.exitCode).toBe(0)
      expect(a.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'true' })
      const b = await second.runAction(directoryInputs(world, store, seed))
      expect(b.exitCode).toBe(1)
      expect(b.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'false' })
      expect(errorsOf(b).join('\n')).toMatch(/already used/)
      expect(errorsOf(b).join('\n')).toMatch(/another job|concurrency group/)
      const [bPost] = await second.finish()
      expect(bPost!.exitCode).toBe(0)
      const [aPost] = await first.finish()
      expect(aPost!.exitCode).toBe(0)
      expect(readAuth(storedFile(store))).toEqual(readAuth(diskFile(first)))

      const seen = probe(world)
      const third = freshJob()
      const c = await third.runAction(directoryInputs(world, store, seed))
      expect(c.exitCode).toBe(0)
      expect(c.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'false' })
      expect(seen.refreshes()).toEqual([])
      const [cPost] = await third.finish()
      expect(cPost!.exitCode).toBe(0)
      expect(readAuth(storedFile(store))).toEqual(readAuth(diskFile(first)))
    }
  },
  {
    area: 'concurrency',
    name: 'the post steps of two jobs run at the same time',
    outcome: 'both finish; the newest session is stored whole; no lock or temp file left',
    async run({ scenario: { world, freshJob } }) {
      const store = newStore() // neither job finds it: both posts create it
      const seen = probe(world)
      const first = freshJob()
      const second = freshJob()
      const a = await first.runAction(directoryInputs(world, store, staleSession(world)))
      const b = await second.runAction(directoryInputs(world, store, staleSession(world)))
      expect([a.outputs.refreshed, b.outputs.refreshed]).toEqual(['true', 'true'])
      const newest = readAuth(diskFile(second)) // refreshed last
      const posts = (await Promise.all([first.finish(), second.finish()])).map(p => p[0]!)
      for (const post of posts) {
        if (post.exitCode === 0) continue
        expect(errorsOf(post).join('\n')).toMatch(/a newer one .* is already stored/)
      }
      expect(posts[1]!.exitCode).toBe(0) // the newest is never refused
      expect(readAuth(storedFile(store))).toEqual(newest)
      expectCleanStore(store)
      expectNoUsedTokenPresented(seen)
    }
  }
]

// ---------------------------------------------------------------------------------------------
// storage: none
// ---------------------------------------------------------------------------------------------

const noneCases: Case[] = [
  {
    area: 'save',
    name: 'a persistent runner: Codex refreshes the session in CODEX_HOME',
    outcome: 'post says it stays in CODEX_HOME (never "Stored"); the next job uses it',
    async run({ scenario: { world, freshJob, newJob } }) {
      const seed = staleSession(world)
      const seen = probe(world)
      const job = freshJob()
      const main = await job.runAction(noneInputs(world, seed))
      expect(main.exitCode).toBe(0)
      expect(main.outputs.refreshed).toBe('true')
      const [post] = await job.finish()
      expect(post!.exitCode).toBe(0)
      expect(post!.stdout).toMatch(/stays in .*auth\.json/)
      expect(post!.stdout).not.toMatch(/Stored/)
      expect(post!.summary).not.toMatch(/stored/i)

      const next = newJob({ root: job.root }) // the same machine, the same disk
      const again = await next.runAction(noneInputs(world, seed))
      expect(again.outputs).toMatchObject({ 'auth-source': 'disk', refreshed: 'false' })
      await next.finish()
      expectNoUsedTokenPresented(seen)
    }
  },
  {
    area: 'save',
    name: 'a GitHub-hosted runner in setup mode, where a later step refreshes',
    outcome: 'post fails loudly: the runner discards CODEX_HOME, "To recover"',
    async run({ scenario: { world, freshJob } }) {
      // Fresh enough that main lets it through: the refresh happens in a later step.
      const seed = world.authority.signIn({ accessExpiresInSeconds: 3600 })
      const seen = probe(world)
      const job = freshJob({ runner: { RUNNER_ENVIRONMENT: 'github-hosted' } })
      const setup = await job.runAction(noneInputs(world, seed, { mode: 'setup' }))
      expect(setup.exitCode).toBe(0)
      // The backend ends the access token: Codex refreshes after its second 401.
      world.authority.invalidateAccessTokens()
      const later = await job.runCommand(
        world.codexPath,
        ['exec', ...world.codexArgs, '--json', '--skip-git-repo-check', 'Say OK'],
        'codex exec'
      )
      expect(later.exitCode).toBe(0)
      expect(seen.refreshes()).toEqual([{ refreshReason: 'unauthorized_recovery', status: 200 }])
      const [post] = await job.finish()
      expectLoudNotStored(post, /GitHub-hosted/)
      expect(post!.stdout).not.toMatch(/Stored the refreshed session/)
    }
  }
]

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export const table: SuiteTable<FaultsLocalContext> = {
  title: 'Faults outside the cache service (directory and none storages, Codex, disk, clocks)',
  cases: [
    ...codexCases,
    ...diskCases,
    ...permissionCases,
    ...lockCases,
    ...clockCases,
    ...concurrencyCases,
    ...noneCases
  ]
}
