/**
 * storage: command, end to end: real bash commands that keep the session in a file (standing in for a
 * secret manager's CLI), the bundled action, the real Codex CLI. Its faults (commands that fail,
 * hang, die or print too little) are rows of the fault suite: suites/faults-storages.cases.ts.
 */
import path from 'node:path'
import {
  commandInputs,
  commandVault,
  refreshCount,
  type CommandVault
} from './harness/other-storages.js'
import type { AuthJson } from './fakes/authority.js'
import type { Job } from './harness/runner.js'
import { codexHomeOf, errorsOf, readAuth, useScenario } from './harness/scenario.js'

const scenario = useScenario()
const manager = commandVault

function job(vault: CommandVault): Job {
  return scenario.freshJob({ env: vault.env })
}

const inputs = (vault: CommandVault, seed: AuthJson, extra: Record<string, string> = {}) =>
  commandInputs(scenario, vault, seed, extra)
const refreshes = () => refreshCount(scenario)

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
