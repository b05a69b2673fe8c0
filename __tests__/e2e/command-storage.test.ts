/**
 * storage: command, end to end: real bash commands that keep the session in a file (standing in for a
 * secret manager's CLI), the bundled action, the real Codex CLI.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import type { AuthJson } from './fakes/authority.js'
import { scratchDir } from './harness/paths.js'
import type { Job } from './harness/runner.js'
import { codexHomeOf, errorsOf, readAuth, useScenario, warningsOf } from './harness/scenario.js'

const scenario = useScenario()

/** A "secret manager": a file that does not exist yet, and a log of what each command saw. */
function manager() {
  const root = scratchDir('secret-manager')
  const file = path.join(root, 'vault', 'codex-auth.json')
  const log = path.join(root, 'log')
  mkdirSync(log)
  // Each command records its environment and arguments, so the test can show the session is not there.
  const record = (name: string) =>
    `env > "$LOG_DIR/${name}-$$.env"; printf '%s\\n' "$0" "$@" > "$LOG_DIR/${name}-$$.args"`
  return {
    file,
    env: { VAULT_FILE: file, LOG_DIR: log },
    inputs: {
      storage: 'command',
      'restore-command': `${record('restore')}; if [ -f "$VAULT_FILE" ]; then cat "$VAULT_FILE"; fi`,
      'persist-command': `${record('persist')}; mkdir -p "$(dirname "$VAULT_FILE")"; cat > "$VAULT_FILE"`
    },
    calls: (name: string) =>
      readdirSync(log).filter(f => f.startsWith(`${name}-`) && f.endsWith('.env')).length,
    seen: () =>
      readdirSync(log)
        .map(f => readFileSync(path.join(log, f), 'utf8'))
        .join('\n'),
    stored: () =>
      existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as AuthJson) : undefined
  }
}

type Manager = ReturnType<typeof manager>

function job(vault: Manager): Job {
  return scenario.freshJob({ env: vault.env })
}

function inputs(vault: Manager, seed: AuthJson, extra: Record<string, string> = {}) {
  return {
    'auth-json': JSON.stringify(seed),
    'codex-path': scenario.world.codexPath,
    ...vault.inputs,
    ...extra
  }
}

const refreshes = () => scenario.world.tokenEndpoint.requests.length

test('a stale seed: refreshed, persisted through stdin, restored by the next job without refreshing', async () => {
  const { world } = scenario
  const vault = manager()
  const seed = world.authority.signIn({ accessExpiresInSeconds: 60 })
  const first = job(vault)
  const main = await first.runAction(inputs(vault, seed))
  expect(main.outputs).toMatchObject({ 'auth-source': 'secret', refreshed: 'true' })
  const [post] = await first.finish()
  expect(post!.exitCode).toBe(0)
  expect(post!.stdout).toMatch(/Stored the refreshed session .* in persist-command/)
  expect(vault.stored()).toEqual(readAuth(path.join(codexHomeOf(first), 'auth.json')))

  const before = refreshes()
  const second = job(vault)
  const restored = await second.runAction(inputs(vault, seed))
  expect(restored.outputs).toMatchObject({ 'auth-source': 'storage', refreshed: 'false' })
  expect(refreshes()).toBe(before)
  // What restore printed is masked before anything about it is logged.
  expect(restored.masks).toContain(vault.stored()!.tokens.refresh_token)
  const [secondPost] = await second.finish()
  expect(secondPost!.stdout).toMatch(/did not change during this job: nothing to store/)
  // The session never passed through a command's argv or environment.
  const seen = vault.seen()
  for (const token of world.authority.issued) expect(seen).not.toContain(token)
  expect(seen).not.toMatch(/^INPUT_/m)
})

test('unchanged: post runs no persist-command', async () => {
  const vault = manager()
  const j = job(vault)
  await j.runAction(
    inputs(vault, scenario.world.authority.signIn({ accessExpiresInSeconds: 3600 }))
  )
  await j.finish()
  expect(vault.calls('persist')).toBe(0)
  expect(vault.stored()).toBeUndefined()
})

test('a persist-command that fails: post fails loudly with the recovery steps', async () => {
  const vault = manager()
  const j = job(vault)
  const main = await j.runAction(
    inputs(vault, scenario.world.authority.signIn({ accessExpiresInSeconds: 60 }), {
      'persist-command': 'cat > /dev/null; echo "vault: permission denied" >&2; exit 5'
    })
  )
  expect(main.outputs.refreshed).toBe('true')
  const [post] = await j.finish()
  expect(post!.exitCode).toBe(1)
  const [error] = errorsOf(post!)
  expect(error).toMatch(/could not be stored: persist-command failed: exit code 5/)
  expect(error).toMatch(/To recover/)
  expect(post!.stdout).toContain('vault: permission denied')
})

test('a restore-command that fails, and Codex would refresh: main fails before Codex, saying re-run', async () => {
  const vault = manager()
  const before = refreshes()
  const j = job(vault)
  const main = await j.runAction(
    inputs(vault, scenario.world.authority.signIn({ accessExpiresInSeconds: 60 }), {
      'restore-command': 'echo "vault unreachable" >&2; exit 3'
    })
  )
  expect(main.exitCode).toBe(1)
  expect(errorsOf(main).join()).toMatch(/restore-command failed: exit code 3[\s\S]*re-run/)
  expect(refreshes()).toBe(before)
  expect(existsSync(path.join(codexHomeOf(j), 'auth.json'))).toBe(false)
  await j.finish()
})

test('a restore-command that fails, and the seed would not refresh: the seed, with a warning', async () => {
  const vault = manager()
  const j = job(vault)
  const main = await j.runAction(
    inputs(vault, scenario.world.authority.signIn({ accessExpiresInSeconds: 3600 }), {
      'restore-command': 'exit 3'
    })
  )
  expect(main.exitCode).toBe(0)
  expect(main.outputs['auth-source']).toBe('secret')
  expect(warningsOf(main).join()).toMatch(/restore-command failed/)
  await j.finish()
})

test('a restore-command that prints something else: ignored with a warning, never echoed', async () => {
  const vault = manager()
  const j = job(vault)
  const main = await j.runAction(
    inputs(vault, scenario.world.authority.signIn({ accessExpiresInSeconds: 3600 }), {
      'restore-command': 'echo "not-a-session-but-private-7734"'
    })
  )
  expect(main.outputs['auth-source']).toBe('secret')
  expect(warningsOf(main).join()).toMatch(
    /Ignoring the stored session: what restore-command printed/
  )
  expect(main.visibleText).not.toContain('not-a-session-but-private-7734')
  await j.finish()
})

test('another job persisted a newer session meanwhile: post refuses older-over-newer, loudly', async () => {
  const { world } = scenario
  const vault = manager()
  const j = job(vault)
  const main = await j.runAction(
    inputs(vault, world.authority.signIn({ accessExpiresInSeconds: 60 }))
  )
  expect(main.outputs.refreshed).toBe('true')
  const newer = world.authority.signIn({ lastRefresh: new Date(Date.now() + 60_000) })
  mkdirSync(path.dirname(vault.file), { recursive: true })
  writeFileSync(vault.file, JSON.stringify(newer, null, 2))
  const [post] = await j.finish()
  expect(post!.exitCode).toBe(1)
  expect(errorsOf(post!).join()).toMatch(/NOT stored: a newer one .* is already stored/)
  expect(vault.stored()!.tokens.refresh_token).toBe(newer.tokens.refresh_token)
})

test('a command that hangs: bounded by storage-timeout, a failed read', async () => {
  const vault = manager()
  const j = job(vault)
  const started = Date.now()
  const main = await j.runAction(
    inputs(vault, scenario.world.authority.signIn({ accessExpiresInSeconds: 60 }), {
      'restore-command': 'sleep 60',
      'storage-timeout': '2'
    })
  )
  expect(main.exitCode).toBe(1)
  expect(errorsOf(main).join()).toMatch(
    /restore-command failed: the command did not finish within 2 s/
  )
  expect(Date.now() - started).toBeLessThan(30_000)
  await j.finish()
})

test('the inputs of storage: command are checked before anything runs', async () => {
  const vault = manager()
  const j = job(vault)
  const main = await j.runAction({
    ...inputs(vault, scenario.world.authority.signIn()),
    'persist-command': ''
  })
  expect(main.exitCode).toBe(1)
  expect(errorsOf(main).join()).toMatch(/storage: command needs both 'restore-command'/)
  expect(vault.calls('restore')).toBe(0)
  await j.finish()
})
