/**
 * The fake backend's scripted tool call, against the real Codex CLI: the model asks for one shell
 * command, Codex runs it under its sandbox and sends the output back, the model answers `reply`.
 * Codex is run directly here (`codex exec`), not through the action.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { AuthJson } from './fakes/authority.js'
import { codexBinary, scratchDir } from './harness/paths.js'
import { useScenario } from './harness/scenario.js'
import { prepareCodexHome, type World } from './harness/world.js'

const scenario = useScenario()
let world: World
beforeAll(() => {
  world = scenario.world
})
afterEach(() => {
  world.backend.toolCommand = undefined
})

type Sandbox = 'read-only' | 'workspace-write' | 'danger-full-access'

interface CodexRun {
  readonly exitCode: number | null
  readonly stderr: string
  /** The `--json` events on stdout. */
  readonly events: { type: string; item?: { type: string; text?: string } }[]
  /** The last agent message. */
  readonly finalMessage: string | undefined
  /** The environment Codex was given. */
  readonly env: Record<string, string>
  readonly codexHome: string
  readonly cwd: string
  /** The session seeded into CODEX_HOME/auth.json. */
  readonly auth: AuthJson
}

/** `codex exec` with a signed-in CODEX_HOME, the prompt on stdin, in a scratch directory. */
async function runCodex(
  sandbox: Sandbox,
  extraEnv: Record<string, string> = {}
): Promise<CodexRun> {
  const codexHome = path.join(scratchDir('tools-home'), '.codex')
  const auth = world.authority.signIn()
  prepareCodexHome(codexHome, world.userConfig(), auth)
  const cwd = scratchDir('tools-cwd')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    // A HOME of its own: the login shell Codex runs commands in finds no profile of this machine.
    HOME: scratchDir('tools-user'),
    ...world.codexEnv,
    CODEX_HOME: codexHome,
    ...extraEnv
  }
  const args = [
    'exec',
    '--json',
    '--skip-git-repo-check',
    '--sandbox',
    sandbox,
    ...world.codexArgs,
    '-'
  ]
  const child = spawn(world.codexPath, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  child.stdin.end('Run the command.')
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', code => resolve(code))
  }).finally(() => clearTimeout(timer))
  const events = stdout
    .split('\n')
    .filter(line => line.trim() !== '')
    .map(line => JSON.parse(line) as CodexRun['events'][number])
  const finalMessage = events
    .filter(e => e.type === 'item.completed' && e.item?.type === 'agent_message')
    .at(-1)?.item?.text
  return { exitCode, stderr, events, finalMessage, env, codexHome, cwd, auth }
}

/** What the command printed: the tool output after its `Output:` header. */
const commandOutput = (toolOutput: string) => toolOutput.split('\nOutput:\n').slice(1).join('')

/** `NAME=value` lines as a map (values holding newlines are not expected here). */
function parseEnv(text: string): Map<string, string> {
  const vars = new Map<string, string>()
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0) vars.set(line.slice(0, eq), line.slice(eq + 1))
  }
  return vars
}

interface RequestItem {
  type?: string
  name?: string
  call_id?: string
  output?: unknown
  arguments?: string
  tools?: RequestItem[]
}
const inputOf = (turn: string) => (JSON.parse(turn) as { input: RequestItem[] }).input

describe('a scripted shell command', () => {
  test('Codex runs it, sends its output back, and the model then answers reply', async () => {
    const backend = world.backend
    const before = { outputs: backend.toolOutputs.length, turns: backend.turns.length }
    backend.toolCommand = 'echo TOOL-RAN-$((6*7))'
    backend.reply = 'the command ran'

    const run = await runCodex('workspace-write')

    expect(run.exitCode).toBe(0)
    expect(run.finalMessage).toBe('the command ran')
    const outputs = backend.toolOutputs.slice(before.outputs)
    expect(outputs).toHaveLength(1)
    expect(outputs[0]).toMatch(
      /^Chunk ID: \S+\nWall time: [\d.]+ seconds\nProcess exited with code 0\n/
    )
    expect(commandOutput(outputs[0]!)).toBe('TOOL-RAN-42\n')
    // The events Codex printed show the command it ran.
    expect(run.events).toContainEqual(
      expect.objectContaining({
        type: 'item.completed',
        item: expect.objectContaining({
          type: 'command_execution',
          command: "/bin/bash -lc 'echo TOOL-RAN-$((6*7))'",
          exit_code: 0
        })
      })
    )

    // Two model requests: the prompt, then the prompt, the call and its output.
    const turns = backend.turns.slice(before.turns)
    expect(turns).toHaveLength(2)
    const first = inputOf(turns[0]!)
    // Tools come as an `additional_tools` input item (the body has no `tools`); the shell is
    // nested in the code-mode `exec` tool, not offered at the top level.
    const offered = first
      .filter(item => item.type === 'additional_tools')
      .flatMap(item => item.tools ?? [])
      .flatMap(namespace => (namespace.tools ?? []).map(tool => `${namespace.name}.${tool.name}`))
    expect(offered).toContain('functions.exec')
    expect(offered).not.toContain('functions.exec_command')
    const second = inputOf(turns[1]!)
    const call = second.find(item => item.type === 'function_call')
    expect(call).toMatchObject({ name: 'exec_command' })
    expect(JSON.parse(call!.arguments!)).toEqual({ cmd: 'echo TOOL-RAN-$((6*7))' })
    expect(second.at(-1)).toMatchObject({
      type: 'function_call_output',
      call_id: call!.call_id,
      output: outputs[0]
    })
  })

  test('without toolCommand the model answers at once', async () => {
    const before = world.backend.turns.length
    const run = await runCodex('workspace-write')
    expect(run.exitCode).toBe(0)
    expect(run.finalMessage).toBe('OK')
    expect(world.backend.turns.length - before).toBe(1)
  })
})

describe('what the sandbox does to the command', () => {
  const write = 'echo hi > written.txt; echo "exit=$?"'

  test('read-only: writing a file in the working directory is refused', async () => {
    world.backend.toolCommand = write
    const run = await runCodex('read-only')

    expect(run.exitCode).toBe(0)
    const output = commandOutput(world.backend.toolOutputs.at(-1)!)
    expect(output).toContain('written.txt: Read-only file system')
    expect(output).toContain('exit=1')
    expect(existsSync(path.join(run.cwd, 'written.txt'))).toBe(false)
  })

  test('workspace-write: the same command writes the file', async () => {
    world.backend.toolCommand = write
    const run = await runCodex('workspace-write')

    expect(commandOutput(world.backend.toolOutputs.at(-1)!)).toBe('exit=0\n')
    expect(existsSync(path.join(run.cwd, 'written.txt'))).toBe(true)
  })

  test('workspace-write: CODEX_HOME is not writable, but read-only still reads auth.json', async () => {
    world.backend.toolCommand = 'echo x > "$CODEX_HOME/probe"; echo "exit=$?"'
    const writing = await runCodex('workspace-write')
    expect(commandOutput(world.backend.toolOutputs.at(-1)!)).toContain('Read-only file system')
    expect(existsSync(path.join(writing.codexHome, 'probe'))).toBe(false)

    // Reads are not confined in any mode: the model can see the session's tokens.
    world.backend.toolCommand = 'cat "$CODEX_HOME/auth.json"'
    const reading = await runCodex('read-only')
    const seen = world.backend.toolOutputs.at(-1)!
    const { access_token, refresh_token } = reading.auth.tokens
    // Booleans: a failure must not print the tokens.
    expect([seen.includes(access_token), seen.includes(refresh_token)]).toEqual([true, true])
  })
})

describe('the environment a command gets', () => {
  test('env runs; Codex passes on what it was given, secrets included, and adds its own', async () => {
    world.backend.toolCommand = 'env'
    const given = {
      BACKEND_TOOLS_MARKER: 'marker-value',
      // Names Codex's old default excludes (*KEY*, *SECRET*, *TOKEN*) would have dropped.
      FAKE_GITHUB_TOKEN: 'not-a-real-token',
      FAKE_API_KEY: 'not-a-real-key',
      FAKE_SECRET: 'not-a-real-secret'
    }
    const run = await runCodex('workspace-write', given)

    expect(run.exitCode).toBe(0)
    const seen = parseEnv(commandOutput(world.backend.toolOutputs.at(-1)!))
    // Everything given arrives unchanged, except PATH: Codex puts its helper directory (rg) in
    // front of what the login shell (`bash -lc`) made of it; Debian's /etc/profile resets it.
    const changed = Object.entries(run.env)
      .filter(([name, value]) => seen.get(name) !== value)
      .map(([name]) => name)
    expect(changed).toEqual(['PATH'])
    expect(seen.get('FAKE_GITHUB_TOKEN')).toBe(given.FAKE_GITHUB_TOKEN)
    const helpers = path.join(path.dirname(path.dirname(codexBinary())), 'codex-path')
    expect(seen.get('PATH')?.startsWith(`${helpers}:`)).toBe(true)
    // What Codex adds (bash adds PWD, SHLVL and _).
    const added = [...seen.keys()].filter(name => !(name in run.env))
    expect(added).toEqual(
      expect.arrayContaining([
        'CODEX_CI',
        'CODEX_SANDBOX_NETWORK_DISABLED',
        'CODEX_SESSION_ID',
        'CODEX_THREAD_ID',
        'CODEX_TOOL_CALL_ID',
        'CODEX_VERSION',
        'NO_COLOR',
        'PAGER',
        'GIT_PAGER',
        'GH_PAGER',
        'TERM',
        'LC_ALL'
      ])
    )
    expect(seen.get('CODEX_SANDBOX_NETWORK_DISABLED')).toBe('1')
    expect(seen.get('CODEX_VERSION')).toBe('0.169.0')
    expect(seen.get('CODEX_TOOL_CALL_ID')).toMatch(/^call_fake_\d+$/)
  })
})
