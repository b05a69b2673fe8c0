/**
 * `npm run demo`: the action's main job, run locally. The bundled action (dist/) runs through the
 * runner emulation, with the real Codex CLI, against loopback fakes of the OAuth token endpoint and
 * the ChatGPT backend, and the real @actions/cache client against a local cache service. Each run is
 * a fresh, ephemeral runner; only the cache survives. Pass --verbose to see every step's log.
 */
import path from 'node:path'
import { Job, findLeakedTokens, type StepResult } from '../__tests__/e2e/harness/runner.js'
import { prepareCodexHome, startWorld } from '../__tests__/e2e/harness/world.js'

const verbose = process.argv.includes('--verbose')
const world = await startWorld()
const results: StepResult[] = []
const surprises: string[] = []

interface Outcome {
  source: string
  refreshed: boolean
  stored: boolean
  fails: boolean
}

const githubHosted = () => ({ RUNNER_ENVIRONMENT: 'github-hosted', ...world.cacheRunner() })

async function run(
  title: string,
  inputs: Record<string, string>,
  expected: Outcome,
  runner: Record<string, string> = githubHosted()
): Promise<void> {
  // The world's REST API answers the action's actor check: the job's actor is an admin there.
  const job = new Job({
    env: world.codexEnv,
    runner: { GITHUB_API_URL: world.cache.apiUrl, ...runner }
  })
  prepareCodexHome(path.join(job.home, '.codex'), world.userConfig())
  const refreshesBefore = world.tokenEndpoint.requests.length
  const main = await job.runAction({ 'codex-path': world.codexPath, ...inputs })
  const [post] = await job.finish()
  results.push(...job.results)

  const { outputs } = main
  const refreshes = world.tokenEndpoint.requests.slice(refreshesBefore)
  const actual: Outcome = {
    source: outputs['auth-source'] ?? 'none',
    refreshed: outputs.refreshed === 'true',
    stored: /Stored the refreshed session/.test(post!.stdout),
    fails: main.exitCode !== 0
  }
  const entries = world.cache.entries().filter(entry => entry.state === 'finalized')
  const lines = [
    ['session from', outputs['auth-source'] ?? '(the step stopped before choosing one)'],
    [
      'codex exec',
      outputs['codex-exit-code'] === undefined
        ? 'not run'
        : `exit ${outputs['codex-exit-code']}` +
          (outputs['final-message'] ? `, answered "${outputs['final-message']}"` : '')
    ],
    [
      'token endpoint',
      refreshes.map(r => `${r.refreshReason} -> HTTP ${r.status}`).join(', ') || 'not called'
    ],
    [
      'refreshed',
      String(actual.refreshed) +
        (outputs['expires-at'] ? ` (access token valid until ${outputs['expires-at']})` : '')
    ],
    ['post step', actual.stored ? 'stored the refreshed session' : 'nothing to store'],
    [
      'cache entries',
      entries.map(entry => `${entry.key} (${entry.sizeBytes} B, encrypted)`).join(', ') || 'none'
    ],
    ...[...main.annotations, ...post!.annotations]
      .filter(annotation => annotation.level === 'error')
      .map(error => ['error', error.message.split('\n').join('\n' + ' '.repeat(18))])
  ]
  console.log(`\n${title}`)
  for (const [label, value] of lines) console.log(`  ${`${label}:`.padEnd(16)}${value}`)
  if (verbose) {
    for (const step of job.results) {
      console.log(`  --- ${step.name} (exit ${step.exitCode})`)
      const log = step.stdout.split('\n').filter(line => line && !line.startsWith('::add-mask::'))
      for (const line of log) console.log(`  | ${line}`)
    }
  }
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    surprises.push(`${title}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }
}

try {
  console.log(
    'codex-auth-action demo: the bundled action and the real Codex CLI, on loopback only.'
  )
  console.log('Every run is a fresh runner; only the Actions cache (a local service) lasts.')
  const seed = JSON.stringify(world.authority.signIn({ accessExpiresInSeconds: 60 }))
  const inputs = { 'auth-json': seed, 'encryption-key': 'demo-encryption-key-0123456789abcdef' }

  await run('Run 1: seeded from the auth-json secret, its access token about to expire', inputs, {
    source: 'secret',
    refreshed: true,
    stored: true,
    fails: false
  })
  await run(
    'Run 2: the refreshed session is restored from the cache (newer than the secret)',
    inputs,
    {
      source: 'storage',
      refreshed: false,
      stored: false,
      fails: false
    }
  )
  world.authority.invalidateAccessTokens()
  console.log('\n(The backend now rejects every access token issued so far.)')
  await run(
    'Run 3: restored; the backend answers 401, Codex refreshes, the post step stores it',
    inputs,
    {
      source: 'storage',
      refreshed: true,
      stored: true,
      fails: false
    }
  )
  await run('Run 4: restored again; nothing to refresh', inputs, {
    source: 'storage',
    refreshed: false,
    stored: false,
    fails: false
  })
  await run(
    'Run 5: storage none on a GitHub-hosted runner: no refresh is started that could not be stored',
    { 'auth-json': seed, storage: 'none' },
    { source: 'none', refreshed: false, stored: false, fails: true }
  )
  await run(
    'Run 6: why storing matters: a self-hosted runner that starts again from the old, used secret',
    { 'auth-json': seed, storage: 'none' },
    { source: 'secret', refreshed: false, stored: false, fails: true },
    { RUNNER_ENVIRONMENT: 'self-hosted' }
  )

  const leaks = findLeakedTokens(results, world.authority.issued)
  console.log(
    `\nToken scan of every step's log, outputs, state and summary: ${leaks.join('; ') || 'clean'}.`
  )
  surprises.push(...leaks)
} finally {
  await world.close()
}
if (surprises.length > 0) console.log(`\nUNEXPECTED:\n${surprises.join('\n')}`)
process.exitCode = surprises.length > 0 ? 1 : 0
