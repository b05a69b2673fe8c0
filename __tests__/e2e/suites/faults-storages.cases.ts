/**
 * The fault suite of the storages beyond the cache: `storage: github-secret` against the loopback
 * secrets API behind the fault-injecting proxy (statuses, resets, stalls, cut bodies), and
 * `storage: command` with real bash commands that fail, hang, die or print too little.
 *
 * Every case checks the rules: a refreshed session is stored or the step fails loudly with the
 * recovery steps; an older session never replaces a newer one; a failed read before a refresh
 * stops the run before Codex. The scenario's afterEach scans every step for tokens, and the
 * secrets harness for the secret-token.
 *
 * No jest globals at import time: scripts/reliability.ts imports this table to render the docs.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { FaultMatcher } from '../fakes/fault-proxy.js'
import { githubTime } from '../fakes/secrets-api.js'
import {
  REPO,
  SECRET,
  authOnDisk,
  commandInputs,
  commandVault,
  freshSeed,
  refreshCount,
  staleSeed,
  type SecretsHarness
} from '../harness/other-storages.js'
import type { StepResult } from '../harness/runner.js'
import { codexHomeOf, errorsOf, runJob, warningsOf, type Scenario } from '../harness/scenario.js'
import type { SuiteCase, SuiteTable } from './case.js'

export interface FaultsStoragesContext {
  readonly scenario: Scenario
  readonly secrets: SecretsHarness
}

type Case = SuiteCase<FaultsStoragesContext>

const STALL_BOUND = { 'storage-timeout': '2' }

const secretPath = /\/actions\/secrets\/CODEX_AUTH_JSON$/
const publicKeyPath = /\/actions\/secrets\/public-key$/
const probePath = /\/actions\/secrets\/[A-Z_]*_PROBE_[0-9A-F]{8}$/
const request =
  (method: string, pattern: RegExp): FaultMatcher =>
  r =>
    r.method === method && pattern.test(r.path.split('?', 1)[0]!)

/** The loud post failure: the session is named as on this runner only, with the recovery steps. */
function expectLoudlyNotStored(post: StepResult, reason: RegExp) {
  expect(post.exitCode).toBe(1)
  const [error] = errorsOf(post)
  expect(error).toMatch(/could not be stored/)
  expect(error).toMatch(reason)
  expect(error).toMatch(/To recover/)
}

// ---------------------------------------------------------------------------------------------
// storage: github-secret
// ---------------------------------------------------------------------------------------------

/** A stale seed stored as the secret; main refreshes it; then `fault` is added before post. */
async function secretPostFault(
  { scenario, secrets }: FaultsStoragesContext,
  fault: (ctx: FaultsStoragesContext) => void,
  extra: Record<string, string> = {}
) {
  const seed = staleSeed(scenario)
  secrets.storeSeed(REPO, seed)
  const job = secrets.job()
  const main = await job.runAction(secrets.inputs(seed, extra))
  expect(main.outputs.refreshed).toBe('true')
  fault({ scenario, secrets })
  const [post] = await job.finish()
  return { seed, job, post: post! }
}

/** `seed` stored as the secret, `fault` added, then a whole job; with the token calls it made. */
async function secretMainFault(
  { scenario, secrets }: FaultsStoragesContext,
  seed: ReturnType<typeof staleSeed>,
  fault: (secrets: SecretsHarness) => void,
  extra: Record<string, string> = {}
) {
  secrets.storeSeed(REPO, seed)
  fault(secrets)
  const refreshes = refreshCount(scenario)
  const started = Date.now()
  const run = await runJob(secrets.job(), secrets.inputs(seed, extra))
  return { ...run, refreshed: refreshCount(scenario) - refreshes, took: Date.now() - started }
}

const secretCases: Case[] = [
  {
    area: 'github-secret save',
    name: 'the PUT answers 500',
    outcome: 'post fails loudly with the recovery steps; the secret keeps its value',
    async run(ctx) {
      const { seed, post } = await secretPostFault(ctx, ({ secrets }) =>
        secrets.api.failNext({ status: 500, method: 'PUT', path: secretPath })
      )
      expectLoudlyNotStored(
        post,
        /writing secret CODEX_AUTH_JSON: the API answered 500 \(Injected failure\)/
      )
      expect(errorsOf(post)[0]).toMatch(/exists only in .*auth.json on this runner/)
      expect(ctx.secrets.api.value(REPO, SECRET)).toBe(JSON.stringify(seed))
    }
  },
  {
    area: 'github-secret save',
    name: 'every PUT of the secret is reset (no answer)',
    outcome: 'post fails loudly with the recovery steps; the secret keeps its value',
    async run(ctx) {
      const { seed, post } = await secretPostFault(ctx, ({ secrets }) =>
        secrets.proxy.add({ match: request('PUT', secretPath), action: { kind: 'reset' } })
      )
      expectLoudlyNotStored(post, /writing secret CODEX_AUTH_JSON/)
      expect(ctx.secrets.api.value(REPO, SECRET)).toBe(JSON.stringify(seed))
      expect(ctx.secrets.putsTo(SECRET)).toEqual([])
    }
  },
  {
    area: 'github-secret save',
    name: 'the PUT stalls',
    outcome: 'post gives up after storage-timeout and fails loudly; the secret keeps its value',
    async run(ctx) {
      const started = Date.now()
      const { seed, post } = await secretPostFault(
        ctx,
        ({ secrets }) =>
          secrets.proxy.add({ match: request('PUT', secretPath), action: { kind: 'stall' } }),
        STALL_BOUND
      )
      expectLoudlyNotStored(post, /gave no answer within 2 s/)
      expect(Date.now() - started).toBeLessThan(60_000)
      expect(ctx.secrets.api.value(REPO, SECRET)).toBe(JSON.stringify(seed))
    }
  },
  {
    area: 'github-secret save',
    name: "the public key's answer is cut short",
    outcome: 'post fails loudly with the recovery steps; nothing is PUT',
    async run(ctx) {
      const { seed, post } = await secretPostFault(ctx, ({ secrets }) =>
        secrets.proxy.add({
          match: request('GET', publicKeyPath),
          action: { kind: 'cut', afterBytes: 12 }
        })
      )
      expectLoudlyNotStored(
        post,
        /reading the public key of repository acme\/widgets: .* is not a public key/
      )
      expect(ctx.secrets.putsTo(SECRET)).toEqual([])
      expect(ctx.secrets.api.value(REPO, SECRET)).toBe(JSON.stringify(seed))
    }
  },
  {
    area: 'github-secret lookup',
    name: "post's metadata read answers 500",
    outcome: 'post never writes after a failed lookup: it fails loudly; the secret keeps its value',
    async run(ctx) {
      const { seed, post } = await secretPostFault(ctx, ({ secrets }) =>
        secrets.api.failNext({ status: 500, method: 'GET', path: secretPath })
      )
      expectLoudlyNotStored(post, /the API answered 500/)
      expect(ctx.secrets.putsTo(SECRET)).toEqual([])
      expect(ctx.secrets.api.value(REPO, SECRET)).toBe(JSON.stringify(seed))
    }
  },
  {
    area: 'github-secret lookup',
    name: 'the secret updated by another job between main and post',
    outcome: "post refuses older-over-newer, loudly; the other job's value survives",
    async run(ctx) {
      const { scenario, secrets } = ctx
      const other = JSON.stringify(freshSeed(scenario))
      const { post } = await secretPostFault(ctx, ({ secrets }) =>
        secrets.api.setSecret(REPO, SECRET, {
          value: other,
          updatedAt: githubTime(Date.now() + 1000)
        })
      )
      expect(post.exitCode).toBe(1)
      const [error] = errorsOf(post)
      expect(error).toMatch(
        /GitHub secret CODEX_AUTH_JSON \(repository acme\/widgets\) was updated since this job started[^]*another job stored a session[^]*cannot be read back/
      )
      expect(error).toMatch(/To recover/)
      expect(secrets.api.value(REPO, SECRET)).toBe(other)
      expect(secrets.putsTo(SECRET)).toEqual([])
    }
  },
  {
    area: 'github-secret restore',
    name: "main's metadata read answers 500, and Codex would refresh",
    outcome: 'main fails before Codex runs, saying re-run; nothing is written',
    async run(ctx) {
      const { main, post, refreshed } = await secretMainFault(ctx, staleSeed(ctx.scenario), s =>
        s.api.failNext({ status: 500, method: 'GET', path: secretPath })
      )
      expect(main.exitCode).toBe(1)
      expect(errorsOf(main)[0]).toMatch(
        /Could not read the stored session from GitHub secret CODEX_AUTH_JSON \(repository acme\/widgets\): reading secret CODEX_AUTH_JSON: the API answered 500[^]*re-run the job/
      )
      expect(refreshed).toBe(0)
      expect(post.exitCode).toBe(0)
      expect(ctx.secrets.putsTo(SECRET)).toEqual([])
    }
  },
  {
    area: 'github-secret restore',
    name: "main's metadata read answers 502, and the session is fresh",
    outcome: 'a warning; the run goes on from the seed without refreshing',
    async run(ctx) {
      const { main } = await secretMainFault(ctx, freshSeed(ctx.scenario), s =>
        s.api.failNext({ status: 502, method: 'GET', path: secretPath })
      )
      expect(main.exitCode).toBe(0)
      expect(main.outputs).toMatchObject({ 'auth-source': 'secret', refreshed: 'false' })
      expect(warningsOf(main).join()).toMatch(/Could not read the stored session[^]*502/)
    }
  },
  {
    area: 'github-secret restore',
    name: "main's metadata read stalls",
    outcome: 'bounded by storage-timeout: main fails before Codex runs, saying re-run',
    async run(ctx) {
      const { main, refreshed, took } = await secretMainFault(
        ctx,
        staleSeed(ctx.scenario),
        s => s.proxy.add({ match: request('GET', secretPath), action: { kind: 'stall' } }),
        STALL_BOUND
      )
      expect(main.exitCode).toBe(1)
      expect(errorsOf(main).join()).toMatch(
        /reading secret CODEX_AUTH_JSON: .* gave no answer within 2 s[^]*re-run/
      )
      expect(took).toBeLessThan(30_000)
      expect(refreshed).toBe(0)
    }
  },
  {
    area: 'github-secret preflight',
    name: "main's write probe is reset, and Codex would refresh",
    outcome: 'main fails before Codex runs (a refresh that cannot be stored is never started)',
    async run(ctx) {
      const seed = staleSeed(ctx.scenario)
      const { main, post, refreshed } = await secretMainFault(ctx, seed, s =>
        s.proxy.add({ match: request('PUT', probePath), action: { kind: 'reset' } })
      )
      expect(main.exitCode).toBe(1)
      expect(errorsOf(main)[0]).toMatch(
        /Codex would refresh this session on this run[^]*could not be stored/
      )
      expect(refreshed).toBe(0)
      expect(main.outputs['codex-exit-code']).toBeUndefined()
      expect(post.exitCode).toBe(0)
      expect(ctx.secrets.api.value(REPO, SECRET)).toBe(JSON.stringify(seed))
    }
  }
]

// ---------------------------------------------------------------------------------------------
// storage: command
// ---------------------------------------------------------------------------------------------

const commandCases: Case[] = [
  {
    area: 'command save',
    name: 'persist-command exits non-zero',
    outcome: 'post fails loudly with the recovery steps, showing what the command printed',
    async run({ scenario }) {
      const vault = commandVault()
      const job = scenario.freshJob({ env: vault.env })
      const main = await job.runAction(
        commandInputs(scenario, vault, staleSeed(scenario), {
          'persist-command': 'cat > /dev/null; echo "vault: permission denied" >&2; exit 5'
        })
      )
      expect(main.outputs.refreshed).toBe('true')
      const [post] = await job.finish()
      expectLoudlyNotStored(post!, /persist-command failed: exit code 5/)
      expect(post!.stdout).toContain('vault: permission denied')
    }
  },
  {
    area: 'command save',
    name: 'persist-command is killed by a signal',
    outcome: 'post fails loudly with the recovery steps; nothing stored',
    async run({ scenario }) {
      const vault = commandVault()
      const job = scenario.freshJob({ env: vault.env })
      const { main, post } = await runJob(
        job,
        commandInputs(scenario, vault, staleSeed(scenario), {
          'persist-command': 'kill -KILL $$'
        })
      )
      expect(main.outputs.refreshed).toBe('true')
      expectLoudlyNotStored(post, /persist-command failed/)
      expect(vault.stored()).toBeUndefined()
    }
  },
  {
    area: 'command save',
    name: 'persist-command hangs',
    outcome: 'bounded by storage-timeout: post fails loudly with the recovery steps',
    async run({ scenario }) {
      const vault = commandVault()
      const job = scenario.freshJob({ env: vault.env })
      const started = Date.now()
      const { post } = await runJob(
        job,
        commandInputs(scenario, vault, staleSeed(scenario), {
          'persist-command': 'cat > /dev/null; sleep 60',
          ...STALL_BOUND
        })
      )
      expectLoudlyNotStored(post, /persist-command failed: the command did not finish within 2 s/)
      expect(Date.now() - started).toBeLessThan(60_000)
    }
  },
  {
    area: 'command lookup',
    name: "post's restore-command fails (the look before writing)",
    outcome: 'post never writes after a failed lookup: it fails loudly; persist-command never runs',
    async run({ scenario }) {
      const vault = commandVault()
      // The second restore (post's) fails: a marker file counts the calls.
      const restore = `${vault.record('restore')}; if [ -f "$VAULT_FILE.read" ]; then echo "vault down" >&2; exit 4; fi; mkdir -p "$(dirname "$VAULT_FILE")"; touch "$VAULT_FILE.read"`
      const job = scenario.freshJob({ env: vault.env })
      const { main, post } = await runJob(
        job,
        commandInputs(scenario, vault, staleSeed(scenario), { 'restore-command': restore })
      )
      expect(main.outputs.refreshed).toBe('true')
      expectLoudlyNotStored(post, /restore-command failed: exit code 4/)
      expect(vault.calls('restore')).toBe(2)
      expect(vault.calls('persist')).toBe(0)
    }
  },
  {
    area: 'command lookup',
    name: 'another job persisted a newer session meanwhile',
    outcome: "post refuses older-over-newer, loudly; the other job's session survives",
    async run({ scenario }) {
      const vault = commandVault()
      const job = scenario.freshJob({ env: vault.env })
      const main = await job.runAction(commandInputs(scenario, vault, staleSeed(scenario)))
      expect(main.outputs.refreshed).toBe('true')
      const newer = scenario.world.authority.signIn({
        lastRefresh: new Date(Date.now() + 60_000)
      })
      mkdirSync(path.dirname(vault.file), { recursive: true })
      writeFileSync(vault.file, JSON.stringify(newer, null, 2))
      const [post] = await job.finish()
      expect(post!.exitCode).toBe(1)
      expect(errorsOf(post!).join()).toMatch(/NOT stored: a newer one .* is already stored/)
      expect(vault.stored()!.tokens.refresh_token).toBe(newer.tokens.refresh_token)
    }
  },
  {
    area: 'command restore',
    name: 'restore-command exits non-zero, and Codex would refresh',
    outcome: 'main fails before Codex runs, saying re-run; CODEX_HOME gets no auth.json',
    async run({ scenario }) {
      const vault = commandVault()
      const before = refreshCount(scenario)
      const job = scenario.freshJob({ env: vault.env })
      const main = await job.runAction(
        commandInputs(scenario, vault, staleSeed(scenario), {
          'restore-command': 'echo "vault unreachable" >&2; exit 3'
        })
      )
      expect(main.exitCode).toBe(1)
      expect(errorsOf(main).join()).toMatch(/restore-command failed: exit code 3[\s\S]*re-run/)
      expect(refreshCount(scenario)).toBe(before)
      expect(() => readFileSync(path.join(codexHomeOf(job), 'auth.json'))).toThrow()
      await job.finish()
    }
  },
  {
    area: 'command restore',
    name: 'restore-command exits non-zero, and the seed would not refresh',
    outcome: 'a warning; the run goes on from the seed',
    async run({ scenario }) {
      const vault = commandVault()
      const job = scenario.freshJob({ env: vault.env })
      const main = await job.runAction(
        commandInputs(scenario, vault, freshSeed(scenario), { 'restore-command': 'exit 3' })
      )
      expect(main.exitCode).toBe(0)
      expect(main.outputs['auth-source']).toBe('secret')
      expect(warningsOf(main).join()).toMatch(/restore-command failed/)
      await job.finish()
    }
  },
  {
    area: 'command restore',
    name: 'restore-command hangs',
    outcome: 'bounded by storage-timeout: a failed read, main fails before Codex runs',
    async run({ scenario }) {
      const vault = commandVault()
      const job = scenario.freshJob({ env: vault.env })
      const started = Date.now()
      const main = await job.runAction(
        commandInputs(scenario, vault, staleSeed(scenario), {
          'restore-command': 'sleep 60',
          ...STALL_BOUND
        })
      )
      expect(main.exitCode).toBe(1)
      expect(errorsOf(main).join()).toMatch(
        /restore-command failed: the command did not finish within 2 s/
      )
      expect(Date.now() - started).toBeLessThan(30_000)
      await job.finish()
    }
  },
  {
    area: 'command restore',
    name: 'restore-command prints something that is not a session',
    outcome: 'ignored with a warning, never echoed; the run goes on from the seed',
    async run({ scenario }) {
      const vault = commandVault()
      const job = scenario.freshJob({ env: vault.env })
      const main = await job.runAction(
        commandInputs(scenario, vault, freshSeed(scenario), {
          'restore-command': 'echo "not-a-session-but-private-7734"'
        })
      )
      expect(main.outputs['auth-source']).toBe('secret')
      expect(warningsOf(main).join()).toMatch(
        /Ignoring the stored session: what restore-command printed/
      )
      expect(main.visibleText).not.toContain('not-a-session-but-private-7734')
      await job.finish()
    }
  },
  {
    area: 'command restore',
    name: 'restore-command prints a stored session cut short',
    outcome: 'ignored with a warning, no part of it echoed; the run goes on from the seed',
    async run({ scenario }) {
      const vault = commandVault()
      const stored = freshSeed(scenario)
      mkdirSync(path.dirname(vault.file), { recursive: true })
      writeFileSync(vault.file, JSON.stringify(stored, null, 2))
      const job = scenario.freshJob({ env: vault.env })
      const main = await job.runAction(
        commandInputs(scenario, vault, freshSeed(scenario), {
          'restore-command': 'head -c 400 "$VAULT_FILE"'
        })
      )
      expect(main.exitCode).toBe(0)
      expect(main.outputs['auth-source']).toBe('secret')
      expect(warningsOf(main).join()).toMatch(/Ignoring the stored session/)
      expect(authOnDisk(job).tokens.refresh_token).not.toBe(stored.tokens.refresh_token)
      await job.finish()
    }
  }
]

export const table: SuiteTable<FaultsStoragesContext> = {
  title: 'Faults of storage: github-secret and storage: command',
  cases: [...secretCases, ...commandCases]
}
