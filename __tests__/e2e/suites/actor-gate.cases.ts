/**
 * Who may trigger a run: the actor check of the main step against the collaborator permission
 * endpoint of the world's REST fake (fakes/collaborators.ts), with its faults.
 *
 * Every refusal is proven complete, as a bad input's is: main exits 1 with one error annotation
 * that names the actor and the input that would let it in; the job's disk is as it was; Codex never
 * started (no token endpoint or backend request); no state was saved, so post exits 0 and does
 * nothing. The seed is stale (its access token expires in a minute): a run that wrongly went on
 * would make Codex refresh it and post would store it, which the checks above would see.
 * Every admission is proven by a real turn of Codex.
 *
 * No jest globals at import time: scripts/reliability.ts imports this table to render the docs.
 */
import path from 'node:path'
import type { RepositoryRole } from '../fakes/collaborators.js'
import { JOB_ACTOR, JOB_TOKEN, type Job, type StepResult } from '../harness/runner.js'
import { errorsOf, type Scenario } from '../harness/scenario.js'
import { snapshot } from '../harness/disk.js'
import type { SuiteCase, SuiteTable } from './case.js'

export interface ActorGateContext {
  readonly scenario: Scenario
}

type Case = SuiteCase<ActorGateContext>

interface Run {
  readonly job: Job
  readonly main: StepResult
  readonly post: StepResult
  /** Permission requests the step sent. */
  readonly asked: { username: string; status: number; token: string | undefined }[]
}

interface RunSpec {
  /** GITHUB_ACTOR; JOB_ACTOR by default. */
  readonly actor?: string
  /** GITHUB_API_URL, when not the world's REST listener. */
  readonly apiUrl?: string
  readonly role?: RepositoryRole
  readonly inputs?: Record<string, string>
  /** Done to the world before the job runs. */
  readonly before?: (scenario: Scenario) => void
}

/** One job on a new runner, directory storage into a path that does not exist yet, a stale seed. */
async function runGated(scenario: Scenario, spec: RunSpec): Promise<Run> {
  const { world } = scenario
  const collaborators = world.cache.collaborators
  const actor = spec.actor ?? JOB_ACTOR
  if (spec.role !== undefined) collaborators.grant(actor, spec.role)
  spec.before?.(scenario)
  const job = scenario.freshJob({
    runner: {
      GITHUB_ACTOR: actor,
      GITHUB_TRIGGERING_ACTOR: actor,
      ...(spec.apiUrl ? { GITHUB_API_URL: spec.apiUrl } : {})
    }
  })
  const asked = collaborators.requests.length
  const main = await job.runAction({
    'auth-json': JSON.stringify(world.authority.signIn({ accessExpiresInSeconds: 60 })),
    storage: 'directory',
    'storage-path': path.join(job.root, 'store', 'codex-session'),
    'codex-path': world.codexPath,
    ...spec.inputs
  })
  const [post] = await job.finish()
  return { job, main, post: post!, asked: collaborators.requests.slice(asked) }
}

/** Runs the job and proves it was refused before anything happened; returns the error. */
async function proveRefused(scenario: Scenario, spec: RunSpec, says: RegExp[]): Promise<Run> {
  const { world } = scenario
  const refreshes = world.tokenEndpoint.requests.length
  const backendCalls = world.backend.requests.length
  const run = await runGated(scenario, spec)
  const { job, main, post } = run
  expect({ exitCode: main.exitCode, errors: errorsOf(main).length }).toEqual({
    exitCode: 1,
    errors: 1
  })
  const [error] = errorsOf(main) as [string]
  for (const expected of says) expect(error).toMatch(expected)
  expect(error).not.toMatch(/Unexpected error/)
  expect(main.outputs['codex-exit-code']).toBeUndefined()
  expect(main.outputs['auth-source']).toBeUndefined()
  expect(main.state).toEqual({})
  expect(world.tokenEndpoint.requests.length).toBe(refreshes)
  expect(world.backend.requests.length).toBe(backendCalls)
  expect(post.exitCode).toBe(0)
  expect(errorsOf(post)).toEqual([])
  expect(post.stdout).toMatch(
    /Nothing to store: (the main step stopped before it set up a session|verify mode runs no Codex)/
  )
  // Nothing on the job's disk but what a new runner has: no CODEX_HOME, no storage directory.
  const made = Object.keys(snapshot(job.root)).map(file => path.relative(job.root, file))
  expect(made.filter(file => /^home\/\.codex|^store/.test(file))).toEqual([])
  for (const step of [main, post]) expect(step.visibleText).not.toContain(JOB_TOKEN)
  return run
}

/** Runs the job and proves Codex completed a turn and post stored the refreshed session. */
async function proveAdmitted(scenario: Scenario, spec: RunSpec, says: RegExp): Promise<Run> {
  const turns = scenario.world.backend.turns.length
  const run = await runGated(scenario, spec)
  expect({ exitCode: run.main.exitCode, errors: errorsOf(run.main) }).toEqual({
    exitCode: 0,
    errors: []
  })
  expect(run.main.stdout).toMatch(says)
  expect(run.main.outputs).toMatchObject({ 'codex-exit-code': '0', refreshed: 'true' })
  expect(scenario.world.backend.turns.length).toBe(turns + 1)
  expect(run.post.exitCode).toBe(0)
  expect(run.post.stdout).toMatch(/Stored the refreshed session/)
  return run
}

const NAMES_ALLOW_USERS = /add it to 'allow-users'/

function refusedRole(role: RepositoryRole, shown: string): Case {
  return {
    area: 'permission',
    name: `the actor has ${role} permission`,
    outcome: 'refused before anything is written, naming the actor, its role and allow-users',
    run: async ({ scenario }) => {
      const run = await proveRefused(scenario, { actor: 'outside-dev', role }, [
        /outside-dev, who triggered this run/,
        new RegExp(`has ${shown} permission on acme/widgets`),
        /write, maintain or admin/,
        NAMES_ALLOW_USERS
      ])
      expect(run.asked.map(r => [r.username, r.status, r.token])).toEqual([
        ['outside-dev', 200, JOB_TOKEN]
      ])
    }
  }
}

function admittedRole(role: RepositoryRole): Case {
  return {
    area: 'permission',
    name: `the actor has ${role} permission`,
    outcome: 'runs: Codex completes a turn, post stores the refreshed session',
    run: async ({ scenario }) => {
      const run = await proveAdmitted(
        scenario,
        { actor: `a-${role}`, role },
        new RegExp(`Allowed to run: a-${role} has ${role} permission on acme/widgets`)
      )
      expect(run.asked.map(r => r.status)).toEqual([200])
    }
  }
}

/** A fault of the permission API on every attempt: refused, after three attempts. */
function failsClosed(name: string, fault: Parameters<typeof fakeFault>[0], says: RegExp): Case {
  return {
    area: 'permission API',
    name,
    outcome: 'fails closed: refused after 3 attempts, nothing written, Codex not run',
    run: async ({ scenario }) => {
      const run = await proveRefused(scenario, { before: s => fakeFault(fault, s, 3) }, [
        new RegExp(`Could not confirm that ${JOB_ACTOR}, who triggered this run`),
        says
      ])
      expect(run.asked).toHaveLength(3)
      expect(run.main.stdout).toMatch(/retrying in \d+ ms/)
    }
  }
}

function fakeFault(fault: { status: number } | 'reset', scenario: Scenario, count: number): void {
  scenario.world.cache.collaborators.failNext(
    fault === 'reset' ? { kind: 'reset' } : { kind: 'status', status: fault.status },
    count
  )
}

export const table: SuiteTable<ActorGateContext> = {
  title: 'Who may trigger a run: the actor check',
  cases: [
    admittedRole('admin'),
    admittedRole('maintain'),
    admittedRole('write'),
    refusedRole('triage', 'triage'),
    refusedRole('read', 'read'),
    refusedRole('none', 'none'),
    {
      area: 'permission',
      name: 'the actor is not a collaborator (404)',
      outcome: 'refused, naming the actor and allow-users',
      run: async ({ scenario }) => {
        const run = await proveRefused(scenario, { actor: 'drive-by-user' }, [
          /drive-by-user is not a collaborator on acme\/widgets \(the permission API answered 404/,
          NAMES_ALLOW_USERS
        ])
        expect(run.asked.map(r => r.status)).toEqual([404])
      }
    },
    {
      area: 'permission',
      name: 'the actor is a bot (dependabot[bot]), allow-bots false',
      outcome: 'refused without asking the API, naming allow-bots and allow-users',
      run: async ({ scenario }) => {
        const run = await proveRefused(scenario, { actor: 'dependabot[bot]', role: 'write' }, [
          /triggered by the bot dependabot\[bot\]/,
          /'allow-bots: true'/,
          /'allow-users: dependabot\[bot\]'/
        ])
        expect(run.asked).toEqual([])
      }
    },
    {
      area: 'permission',
      name: 'the actor is a bot, allow-bots true',
      outcome: 'runs without asking the API',
      run: async ({ scenario }) => {
        const run = await proveAdmitted(
          scenario,
          { actor: 'renovate[bot]', inputs: { 'allow-bots': 'true' } },
          /Allowed to run: 'allow-bots' lets bots run it/
        )
        expect(run.asked).toEqual([])
      }
    },
    {
      area: 'permission',
      name: 'a read-only actor listed in allow-users (in other letter case)',
      outcome: 'runs without asking the API',
      run: async ({ scenario }) => {
        const run = await proveAdmitted(
          scenario,
          {
            actor: 'Release-Bot-Human',
            role: 'read',
            inputs: { 'allow-users': 'someone, release-bot-human' }
          },
          /Allowed to run: Release-Bot-Human is listed in 'allow-users'/
        )
        expect(run.asked).toEqual([])
      }
    },
    {
      area: 'permission',
      name: "allow-users '*' while the API is unreachable",
      outcome: 'runs: the check is off, nothing asked',
      run: async ({ scenario }) => {
        const run = await proveAdmitted(
          scenario,
          { apiUrl: 'http://127.0.0.1:9', inputs: { 'allow-users': '*' } },
          /Allowed to run: 'allow-users' is '\*': the actor check is off/
        )
        expect(run.asked).toEqual([])
      }
    },
    {
      area: 'permission',
      name: 'GITHUB_ACTOR is empty (not set)',
      outcome: "refused, naming allow-users: '*'",
      run: async ({ scenario }) => {
        const run = await proveRefused(scenario, { actor: '' }, [
          /GITHUB_ACTOR is not set/,
          /'allow-users: \*'/
        ])
        expect(run.asked).toEqual([])
      }
    },
    {
      area: 'permission',
      name: 'mode setup, a read-only actor',
      outcome: 'refused in setup mode too: CODEX_HOME not exported',
      run: async ({ scenario }) => {
        const run = await proveRefused(
          scenario,
          { actor: 'reader', role: 'read', inputs: { mode: 'setup' } },
          [/reader, who triggered this run, has read permission/, NAMES_ALLOW_USERS]
        )
        expect(run.main.exportedEnv).toEqual({})
      }
    },
    {
      area: 'permission',
      name: 'mode verify, a read-only actor',
      outcome: 'refused in verify mode too: nothing reported about the session',
      run: async ({ scenario }) => {
        const run = await proveRefused(
          scenario,
          { actor: 'reader', role: 'read', inputs: { mode: 'verify' } },
          [/reader, who triggered this run, has read permission/, NAMES_ALLOW_USERS]
        )
        expect(run.main.outputs['will-refresh']).toBeUndefined()
        expect(run.main.outputs['auth-source']).toBeUndefined()
      }
    },
    failsClosed('answers 500 on every attempt', { status: 500 }, /answered 500/),
    failsClosed('answers 503 on every attempt', { status: 503 }, /answered 503/),
    failsClosed(
      'resets the connection on every attempt',
      'reset',
      /could not reach http:\/\/127\.0\.0\.1:\d+/
    ),
    {
      area: 'permission API',
      name: 'answers 502 once, then the permission',
      outcome: 'retried: runs',
      run: async ({ scenario }) => {
        const run = await proveAdmitted(
          scenario,
          { before: s => fakeFault({ status: 502 }, s, 1) },
          /Allowed to run: mona-admin has admin permission/
        )
        expect(run.asked.map(r => r.status)).toEqual([502, 200])
      }
    },
    {
      area: 'permission API',
      name: 'is unreachable (connection refused)',
      outcome: 'fails closed, naming the API URL and allow-users',
      run: async ({ scenario }) => {
        await proveRefused(scenario, { apiUrl: 'http://127.0.0.1:9' }, [
          /could not reach http:\/\/127\.0\.0\.1:9/,
          /fails closed/,
          /add mona-admin to 'allow-users'/
        ])
      }
    },
    {
      area: 'permission API',
      name: 'rejects github-token (401)',
      outcome: 'refused at once, naming github-token',
      run: async ({ scenario }) => {
        const run = await proveRefused(
          scenario,
          { before: s => s.world.cache.collaborators.revoke(JOB_TOKEN) },
          [/did not accept 'github-token' \(401/, NAMES_ALLOW_USERS]
        )
        expect(run.asked.map(r => r.status)).toEqual([401])
      }
    },
    {
      area: 'permission API',
      name: 'answers 403 (the token may not read the repository)',
      outcome: 'refused at once, naming github-token',
      run: async ({ scenario }) => {
        const run = await proveRefused(
          scenario,
          { before: s => fakeFault({ status: 403 }, s, 1) },
          [/'github-token' may not read collaborator permissions/, NAMES_ALLOW_USERS]
        )
        expect(run.asked.map(r => r.status)).toEqual([403])
      }
    },
    {
      area: 'permission API',
      name: 'fails after main let the actor in',
      outcome: 'post does not ask again: it stores the refreshed session',
      run: async ({ scenario }) => {
        const { world } = scenario
        const job = scenario.freshJob()
        const main = await job.runAction({
          'auth-json': JSON.stringify(world.authority.signIn({ accessExpiresInSeconds: 60 })),
          storage: 'directory',
          'storage-path': path.join(job.root, 'store', 'codex-session'),
          'codex-path': world.codexPath
        })
        expect(main.exitCode).toBe(0)
        expect(main.outputs.refreshed).toBe('true')
        world.cache.collaborators.failNext({ kind: 'status', status: 500 }, 10)
        const asked = world.cache.collaborators.requests.length
        const [post] = await job.finish()
        expect(post!.exitCode).toBe(0)
        expect(post!.stdout).toMatch(/Stored the refreshed session/)
        expect(world.cache.collaborators.requests.length).toBe(asked)
      }
    }
  ]
}
