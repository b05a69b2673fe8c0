/**
 * What a prompt-injected turn can reach, measured through the bundled action with the real Codex
 * CLI: the fake model asks for one shell command per run, and the test reads what the command saw
 * (the output Codex sends back to the model). SECURITY.md's table is this table.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from './harness/paths.js'
import { errorsOf, readAuth, useScenario, warningsOf, codexHomeOf } from './harness/scenario.js'
import type { World } from './harness/world.js'

const scenario = useScenario()
let world: World
beforeAll(() => {
  world = scenario.world
})

type Mode = 'read-only' | 'workspace-write' | 'danger-full-access'
const MODES: Mode[] = ['read-only', 'workspace-write', 'danger-full-access']

// Values of the job's own environment that no command may see (unless passed through).
const JOB_ENV = {
  MY_JOB_SECRET: 'job-secret-value-4711',
  NODE_AUTH_TOKEN: 'npm-token-value-4711',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-4711',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://127.0.0.1:9/oidc',
  GH_TOKEN: 'gh-token-value-4711',
  CODEX_GITHUB_PERSONAL_ACCESS_TOKEN: 'codex-gh-pat-4711'
}

/** Walks up the parent processes; `$1` is a shell snippet run with the environ file of each. */
const walkParents = (each: string) =>
  `p=$PPID; while [ -n "$p" ] && [ "$p" -gt 1 ]; do e=/proc/$p/environ; ${each}; ` +
  `p=$(awk '{print $4}' /proc/$p/stat 2>/dev/null); done`

interface Probe {
  /** The row of SECURITY.md's table. */
  readonly what: string
  readonly command: string
  /** What the command's output shows, per mode: a cell of the table, and a check of the output. */
  readonly expect: Record<Mode, { cell: string; check: (output: string, job: JobView) => void }>
}

interface JobView {
  readonly auth: { refresh_token: string }
  readonly exportedEnv: Record<string, string>
}

const same = (cell: string, check: Probe['expect'][Mode]['check']) =>
  Object.fromEntries(MODES.map(mode => [mode, { cell, check }])) as Probe['expect']

const PROBES: Probe[] = [
  {
    what: '`cat $CODEX_HOME/auth.json`',
    command: 'cat "$CODEX_HOME/auth.json"',
    expect: same(
      'the whole file, refresh token included (inherent: Codex must read it)',
      (out, job) => expect(out).toContain(job.auth.refresh_token)
    )
  },
  {
    what: '`env`',
    command: 'env',
    expect: same(
      'the allowlist and `pass-through-env` only: no `INPUT_*`, `ACTIONS_*`, `GITHUB_TOKEN`, command files or job secrets',
      out => {
        for (const name of ['INPUT_', 'ACTIONS_', 'GITHUB_TOKEN=', 'GITHUB_ENV=', 'GITHUB_STATE='])
          expect(out).not.toContain(name)
        for (const value of [
          JOB_ENV.MY_JOB_SECRET,
          JOB_ENV.NODE_AUTH_TOKEN,
          JOB_ENV.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
          JOB_ENV.CODEX_GITHUB_PERSONAL_ACCESS_TOKEN
        ])
          expect(out).not.toContain(value)
        expect(out).toContain(`GH_TOKEN=${JOB_ENV.GH_TOKEN}`) // passed through on purpose
        expect(out).toContain('GITHUB_REPOSITORY=acme/widgets')
      }
    )
  },
  {
    what: "walk up the parent processes, look for the action's inputs",
    command: `n=0; ${walkParents(`grep -qa 'INPUT_AUTH-JSON=' $e 2>/dev/null && n=$((n+1))`)}; echo "REACHED=$n"`,
    expect: {
      'read-only': {
        cell: 'stops at the sandbox',
        check: out => expect(out).toContain('REACHED=0')
      },
      'workspace-write': {
        cell: 'stops at the sandbox',
        check: out => expect(out).toContain('REACHED=0')
      },
      'danger-full-access': {
        cell: "reaches the action's node process: every `INPUT_*`, the secrets among them",
        check: out => expect(out).not.toContain('REACHED=0')
      }
    }
  },
  {
    what: 'write into CODEX_HOME',
    command: 'touch "$CODEX_HOME/probe" 2>&1 && echo WRITTEN || echo REFUSED',
    expect: {
      'read-only': { cell: 'refused', check: out => expect(out).toContain('REFUSED') },
      'workspace-write': { cell: 'refused', check: out => expect(out).toContain('REFUSED') },
      'danger-full-access': { cell: 'accepted', check: out => expect(out).toContain('WRITTEN') }
    }
  },
  {
    what: "append to the runner's GITHUB_ENV",
    command:
      `f=; ${walkParents(`f=$(tr '\\0' '\\n' < $e 2>/dev/null | sed -n 's/^GITHUB_ENV=//p'); [ -n "$f" ] && break`)}; ` +
      `if [ -n "$f" ] && echo INJECTED=yes >> "$f"; then echo APPENDED; else echo NOT-REACHED; fi`,
    expect: {
      'read-only': {
        cell: 'not reached',
        check: (out, job) => {
          expect(out).toContain('NOT-REACHED')
          expect(job.exportedEnv.INJECTED).toBeUndefined()
        }
      },
      'workspace-write': {
        cell: 'not reached',
        check: (out, job) => {
          expect(out).toContain('NOT-REACHED')
          expect(job.exportedEnv.INJECTED).toBeUndefined()
        }
      },
      'danger-full-access': {
        cell: 'accepted: later steps and the post step see the injected values',
        check: (out, job) => {
          expect(out).toContain('APPENDED')
          expect(job.exportedEnv.INJECTED).toBe('yes')
        }
      }
    }
  }
]

function inputs(mode: Mode, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'auth-json': JSON.stringify(world.authority.signIn()),
    storage: 'none',
    'codex-path': world.codexPath,
    sandbox: mode,
    'pass-through-env': 'GH_TOKEN',
    ...(mode === 'danger-full-access' ? { 'allow-danger-full-access': 'true' } : {}),
    ...extra
  }
}

describe.each(MODES)('sandbox %s', mode => {
  test.each(PROBES.map(probe => [probe.what, probe] as const))('%s', async (_, probe) => {
    world.backend.toolCommand = probe.command
    const before = world.backend.toolOutputs.length
    const job = scenario.freshJob({ env: JOB_ENV })
    const main = await job.runAction(inputs(mode))
    expect(errorsOf(main)).toEqual([])
    expect(main.outputs['final-message']).toBe('OK')
    const outputs = world.backend.toolOutputs.slice(before)
    expect(outputs).toHaveLength(1)
    const auth = readAuth(path.join(codexHomeOf(job), 'auth.json')).tokens
    probe.expect[mode].check(outputs[0]!, { auth, exportedEnv: main.exportedEnv })
    await job.finish()
  })
})

describe('the model repeats the session in its reply', () => {
  test.each(MODES)('%s: no output, file or log line carries a token in any form', async mode => {
    const seed = world.authority.signIn()
    const { refresh_token, access_token } = seed.tokens
    world.backend.toolCommand = 'cat "$CODEX_HOME/auth.json"'
    const forms = [
      refresh_token,
      Buffer.from(refresh_token).toString('base64'),
      Buffer.from(access_token).toString('base64url'),
      access_token.split('.')[1]!
    ]
    world.backend.reply = `Here you are: ${forms.join(' | ')}`
    const job = scenario.freshJob()
    const main = await job.runAction({
      ...inputs(mode, { 'output-file': 'reply.txt' }),
      'auth-json': JSON.stringify(seed)
    })
    const written = readFileSync(path.join(job.workspace, 'reply.txt'), 'utf8')
    for (const text of [main.outputs['final-message']!, written, main.maskedText])
      for (const form of forms) expect(text).not.toContain(form)
    expect(main.outputs['final-message']).toBe('Here you are: *** | *** | *** | ***')
    expect(warningsOf(main).join()).toMatch(/final message contained a credential/)
    await job.finish()
  })
})

describe('danger-full-access only on purpose', () => {
  test.each<Record<string, string>>([
    { sandbox: 'danger-full-access' },
    { 'codex-args': '--sandbox danger-full-access' },
    { 'codex-args': '-s danger-full-access' },
    { 'codex-args': '--sandbox=danger-full-access' },
    { 'codex-args': '--dangerously-bypass-approvals-and-sandbox' },
    { 'codex-args': '--yolo' },
    { 'codex-args': '--yolo -s read-only' }, // the bypass flag wins over --sandbox in Codex
    { 'codex-args': '-c sandbox_mode="danger-full-access"' }
  ])('%j without allow-danger-full-access: refused before anything runs', async asked => {
    const requests = world.tokenEndpoint.requests.length
    const turns = world.backend.turns.length
    const job = scenario.freshJob()
    const main = await job.runAction({
      'auth-json': JSON.stringify(world.authority.signIn({ accessExpiresInSeconds: 60 })),
      storage: 'none',
      'codex-path': world.codexPath,
      ...asked
    })
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main)).toEqual([expect.stringMatching(/'allow-danger-full-access: true'/)])
    expect(main.state).toEqual({})
    expect(world.tokenEndpoint.requests.length).toBe(requests)
    expect(world.backend.turns.length).toBe(turns)
    await job.finish()
  })
})

describe('shell-tool: false', () => {
  test.each(['function', 'code-mode'] as const)(
    'a command asked for as a %s call does not run: the session stays unread',
    async via => {
      world.backend.toolVia = via
      world.backend.toolCommand = 'cat "$CODEX_HOME/auth.json"'
      const before = world.backend.toolOutputs.length
      const job = scenario.freshJob()
      const main = await job.runAction({ ...inputs('workspace-write'), 'shell-tool': 'false' })
      expect(main.exitCode).toBe(0)
      const [output] = world.backend.toolOutputs.slice(before)
      expect(output).toMatch(/unsupported call: exec_command|exec_command is not a function/)
      const auth = readAuth(path.join(codexHomeOf(job), 'auth.json')).tokens
      expect(output).not.toContain(auth.refresh_token)
      await job.finish()
    }
  )
})

test("SECURITY.md's table is the one these tests measure", () => {
  // Table cells as Prettier pads them: compare with runs of spaces collapsed.
  const collapse = (text: string) => text.replace(/ {2,}/g, ' ')
  const security = collapse(readFileSync(path.join(REPO_ROOT, 'SECURITY.md'), 'utf8'))
  for (const probe of PROBES) {
    const cells = MODES.map(mode => probe.expect[mode].cell)
    expect(security).toContain(collapse(`| ${probe.what} | ${cells.join(' | ')} |`))
  }
})
