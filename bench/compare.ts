/**
 * bench/compare: this checkout's main step beside another checkout's (an earlier commit, built),
 * and both beside the bare restoreCache floor, in one run against the same local cache service.
 * To find what made a step slower between two commits:
 *
 *   git worktree add /tmp/old <commit>     (its dist/ is committed; `npm run package` if not)
 *   npm run bench:compare -- /tmp/old      (BENCH_PAIRS=N; 15 by default)
 *
 * Each round runs the three in a rotating order; ratios are taken within a round.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { codexBinary, REPO_ROOT } from '../__tests__/e2e/harness/paths.js'
import { startWorld } from '../__tests__/e2e/harness/world.js'
import { buildFloors } from './lib/floors.js'
import { cacheBenchRunner, MeasuredJob, type Measured } from './lib/step-runs.js'
import { mb, msSpread, pairsFromEnv, ratioSpread, spread } from './lib/stats.js'

const other = process.argv[2]
if (other === undefined) throw new Error('usage: npm run bench:compare -- <other checkout>')
const rounds = pairsFromEnv(15)
const floors = await buildFloors()
const world = await startWorld()
const runner = cacheBenchRunner(world)
const inputs = {
  'auth-json': JSON.stringify(world.authority.signIn()),
  'encryption-key': 'bench-encryption-key-0123456789abcdef',
  'codex-path': codexBinary(),
  mode: 'setup',
  'allow-users': process.env.BENCH_ACTOR_CHECK === '1' ? '' : '*'
}
const sides = {
  here: (): Promise<Measured> => step(REPO_ROOT),
  other: (): Promise<Measured> => step(path.resolve(other)),
  floor: async (): Promise<Measured> => {
    const job = new MeasuredJob({
      runner,
      env: {
        BENCH_CACHE_PATH: '.codex-auth-action/codex-auth.session',
        BENCH_CACHE_KEY: 'codex-auth-'
      }
    })
    try {
      return await job.node(floors.restore)
    } finally {
      job.dispose()
    }
  }
}
async function step(actionRoot: string): Promise<Measured> {
  const job = new MeasuredJob({ runner, actionRoot })
  try {
    const run = await job.measure(j => j.runAction(inputs))
    if (!/Restored the session stored/.test(run.step.stdout)) throw new Error(run.step.stdout)
    return run
  } finally {
    job.dispose()
  }
}
type Side = keyof typeof sides
const results: Record<Side, Measured[]> = { here: [], other: [], floor: [] }
try {
  // A first entry, stored by a warm-up main and post (not counted).
  const warm = new MeasuredJob({ runner })
  await warm.measure(j => j.runAction(inputs))
  const refreshed = JSON.stringify(world.authority.signIn(), null, 2)
  writeFileSync(path.join(warm.job.home, '.codex', 'auth.json'), refreshed, { mode: 0o600 })
  await warm.measure(async j => (await j.finish())[0]!)
  warm.dispose()
  const order: Side[] = ['here', 'other', 'floor']
  for (let round = 0; round < rounds; round++) {
    const rotated = [...order.slice(round % 3), ...order.slice(0, round % 3)]
    for (const side of rotated) results[side].push(await sides[side]())
    process.stdout.write(
      `round ${round + 1}/${rounds}: ` +
        order.map(s => `${s} ${Math.round(results[s].at(-1)!.wallMs)} ms`).join(', ') +
        '\n'
    )
  }
} finally {
  await world.close()
}
const within = (a: Side, b: Side, of: 'wallMs' | 'cpuMs') =>
  ratioSpread(spread(results[a].map((m, i) => m[of] / results[b][i]![of])))
console.log(`\n${rounds} rounds, median (min-max); main step, mode setup, cache restore\n`)
console.log('| side | wall | CPU | peak RSS (median, max) |\n| --- | --- | --- | --- |')
for (const side of ['here', 'other', 'floor'] as const) {
  const of = (k: keyof Measured) => spread(results[side].map(m => m[k]))
  console.log(
    `| ${side === 'other' ? other : side} | ${msSpread(of('wallMs'))} | ${msSpread(of('cpuMs'))} | ${mb(of('maxRssKb').median)}, ${mb(of('maxRssKb').max)} |`
  )
}
console.log('\n| ratio | wall | CPU |\n| --- | --- | --- |')
for (const [a, b] of [
  ['here', 'floor'],
  ['other', 'floor'],
  ['here', 'other']
] as const)
  console.log(`| ${a} / ${b} | ${within(a, b, 'wallMs')} | ${within(a, b, 'cpuMs')} |`)
