/**
 * The whole lifecycle, end to end: the bundled action run as the runner runs it, the real Codex CLI,
 * the loopback token endpoint and strict backend.
 */
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { Job, findLeakedTokens, type StepResult } from './harness/runner.js'
import { prepareCodexHome, startWorld, type World } from './harness/world.js'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world.close()
})

function newJob(options: ConstructorParameters<typeof Job>[0] = {}) {
  return new Job({ ...options, env: { ...world.codexEnv, ...options.env } })
}

function expectNoLeaks(results: StepResult[]) {
  expect(findLeakedTokens(results, world.authority.issued)).toEqual([])
}

const errorsOf = (step: StepResult) =>
  step.annotations.filter(a => a.level === 'error').map(a => a.message)

describe('a stale seed on an ephemeral job with directory storage', () => {
  test('Codex refreshes, post stores, and the next job restores the refreshed session without refreshing', async () => {
    const storagePath = path.join(world.tls.caFile, '..', 'store-' + Date.now())
    const seed = world.authority.signIn({ accessExpiresInSeconds: 60 })

    const first = newJob()
    const codexHome = path.join(first.home, '.codex')
    prepareCodexHome(codexHome, world.userConfig())
    const main = await first.runAction({
      'auth-json': JSON.stringify(seed),
      storage: 'directory',
      'storage-path': storagePath,
      'codex-path': world.codexPath
    })
    expect(main.exitCode).toBe(0)
    expect(main.outputs['auth-source']).toBe('secret')
    expect(main.outputs['refreshed']).toBe('true')
    expect(main.outputs['codex-exit-code']).toBe('0')
    expect(main.outputs['final-message']).toBe('OK')
    expect(world.tokenEndpoint.requests.at(-1)).toEqual({
      refreshReason: 'proactive_expiry',
      status: 200
    })
    const [post] = await first.finish()
    expect(post!.exitCode).toBe(0)
    const stored = JSON.parse(readFileSync(path.join(storagePath, 'auth.json'), 'utf8'))
    expect(stored.tokens.refresh_token).not.toBe(seed.tokens.refresh_token)
    expect(statSync(path.join(storagePath, 'auth.json')).mode & 0o777).toBe(0o600)

    const refreshesBefore = world.tokenEndpoint.requests.length
    const second = newJob()
    prepareCodexHome(path.join(second.home, '.codex'), world.userConfig())
    const restored = await second.runAction({
      'auth-json': JSON.stringify(seed),
      storage: 'directory',
      'storage-path': storagePath,
      'codex-path': world.codexPath
    })
    expect(restored.exitCode).toBe(0)
    expect(restored.outputs['auth-source']).toBe('storage')
    expect(restored.outputs['refreshed']).toBe('false')
    expect(world.tokenEndpoint.requests.length).toBe(refreshesBefore)
    await second.finish()
    expectNoLeaks([...first.results, ...second.results])
  })
})
