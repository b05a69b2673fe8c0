/**
 * `npm run demo`: the action's main job, run locally. The bundled action (dist/) runs through the
 * runner emulation, with the real Codex CLI, against loopback fakes of the OAuth token endpoint and
 * the ChatGPT backend. Each run is a fresh, ephemeral runner; only the storage directory survives.
 * Pass --verbose to see every step's log.
 */
import { rmSync } from 'node:fs'
import path from 'node:path'
import { Job, findLeakedTokens, type StepResult } from '../__tests__/e2e/harness/runner.js'
import { scratchDir } from '../__tests__/e2e/harness/paths.js'
import { prepareCodexHome, startWorld } from '../__tests__/e2e/harness/world.js'

const verbose = process.argv.includes('--verbose')
const world = await startWorld()
const store = scratchDir('demo-store')
const results: StepResult[] = []
const surprises: string[] = []

interface Expected {
  source: string
  refreshed: boolean
  stored: boolean
  fails?: boolean
}

async function run(
  title: string,
  inputs: Record<string, string>,
  expected: Expected
): Promise<void> {
  const job = new Job({ env: world.codexEnv })
  prepareCodexHome(path.join(job.home, '.codex'), world.userConfig())
  const refreshesBefore = world.tokenEndpoint.requests.length
  const main = await job.runAction({ 'codex-path': world.codexPath, ...inputs })
  const [post] = await job.finish()
  results.push(...job.results)

  const refreshes = world.tokenEndpoint.requests.slice(refreshesBefore)
  const stored = /Stored the refreshed session/.test(post!.stdout)
  const errors = [...main.annotations, ...post!.annotations].filter(a => a.level === 'error')
  console.log(`\n${title}`)
  console.log(`  session from:    ${main.outputs['auth-source']}`)
  console.log(
    `  codex exec:      exit ${main.outputs['codex-exit-code']}${main.outputs['final-message'] ? `, answered "${main.outputs['final-message']}"` : ''}`
  )
  console.log(
    `  token endpoint:  ${refreshes.length ? refreshes.map(r => `${r.refreshReason} -> HTTP ${r.status}`).join(', ') : 'not called'}`
  )
  console.log(
    `  refreshed:       ${main.outputs.refreshed}${main.outputs['expires-at'] ? ` (access token valid until ${main.outputs['expires-at']})` : ''}`
  )
  console.log(`  post step:       ${stored ? 'stored the refreshed session' : 'nothing to store'}`)
  for (const error of errors)
    console.log(`  error annotation: ${error.message.split('\n').join('\n                    ')}`)
  if (verbose) {
    for (const step of job.results) {
      console.log(`  --- ${step.name} (exit ${step.exitCode})`)
      for (const line of step.stdout.split('\n'))
        if (line && !line.startsWith('::add-mask::')) console.log(`  | ${line}`)
    }
  }

  const actual = {
    source: main.outputs['auth-source'],
    refreshed: main.outputs.refreshed === 'true',
    stored,
    fails: main.exitCode !== 0
  }
  const wanted = {
    source: expected.source,
    refreshed: expected.refreshed,
    stored: expected.stored,
    fails: expected.fails ?? false
  }
  if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
    surprises.push(`${title}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }
}

try {
  console.log(
    'codex-auth-action demo: the bundled action and the real Codex CLI against loopback fakes.'
  )
  console.log('Every run is a fresh runner; only the storage directory survives between runs.')
  const seed = JSON.stringify(world.authority.signIn({ accessExpiresInSeconds: 60 }))
  const withStorage = { 'auth-json': seed, storage: 'directory', 'storage-path': store }

  await run(
    'Run 1: seeded from the auth-json secret, whose access token is about to expire',
    withStorage,
    {
      source: 'secret',
      refreshed: true,
      stored: true
    }
  )
  await run(
    'Run 2: the refreshed session is restored from storage (newer than the secret)',
    withStorage,
    {
      source: 'storage',
      refreshed: false,
      stored: false
    }
  )
  world.authority.invalidateAccessTokens()
  console.log(
    '\n(The backend now rejects every access token issued so far, as when they are invalidated.)'
  )
  await run(
    'Run 3: restored; the backend answers 401, Codex refreshes, the new session is stored',
    withStorage,
    {
      source: 'storage',
      refreshed: true,
      stored: true
    }
  )
  await run('Run 4: restored again; nothing to refresh', withStorage, {
    source: 'storage',
    refreshed: false,
    stored: false
  })
  await run(
    'Run 5: what happens without stored sessions: a runner that starts again from the old secret',
    { 'auth-json': seed },
    { source: 'secret', refreshed: false, stored: false, fails: true }
  )

  const leaks = findLeakedTokens(results, world.authority.issued)
  console.log(
    `\nToken scan of every step's log, outputs, state and summary: ${leaks.length ? leaks.join('; ') : 'clean'}.`
  )
  surprises.push(...leaks)
} finally {
  await world.close()
  rmSync(store, { recursive: true, force: true })
}
if (surprises.length) console.log(`\nUNEXPECTED:\n${surprises.join('\n')}`)
process.exitCode = surprises.length ? 1 : 0
