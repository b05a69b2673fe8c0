/**
 * bench/churn: how many cache entries a month of daily runs writes and leaves behind, with the real
 * Codex CLI (which refreshes the session when its access token is about to expire), the local
 * cache service and its REST API for pruning.
 *
 *   npm run bench:churn     (BENCH_CHURN_DAYS, BENCH_REFRESH_DAYS, BENCH_DAY_MS to change the month)
 *
 * Days are simulated by shifting token expiries, never by calling the token endpoint: a simulated
 * day lasts BENCH_DAY_MS of real time, one job runs at the start of each, and every access token
 * the identity provider issues expires (as Codex sees it: 5 minutes early) within the second before
 * the day it is due, BENCH_REFRESH_DAYS later. So Codex refreshes on those days and on no other,
 * as long as each job ends a second before the next day begins.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { codexBinary } from '../__tests__/e2e/harness/paths.js'
import { Job } from '../__tests__/e2e/harness/runner.js'
import { withCodexConfig } from '../__tests__/e2e/harness/scenario.js'
import { startWorld } from '../__tests__/e2e/harness/world.js'
import { isEntry, ms, printSection, type Section } from './lib/stats.js'

const CODEX_EARLY_S = 300 // Codex refreshes when the access token expires within 5 minutes
const numberFromEnv = (name: string, fallback: number) => Number(process.env[name]) || fallback

export async function benchChurn(): Promise<Section> {
  const days = numberFromEnv('BENCH_CHURN_DAYS', 30)
  const every = numberFromEnv('BENCH_REFRESH_DAYS', 10)
  const dayMs = numberFromEnv('BENCH_DAY_MS', 4000)
  const world = await startWorld()
  const start = Date.now() + 1000
  /** The expiry (seconds) that makes Codex see a token as due from the start of `day` on. */
  const dueOn = (day: number) => Math.floor((start + day * dayMs) / 1000) + CODEX_EARLY_S
  const seed = world.authority.signIn({
    accessExpiresInSeconds: dueOn(every) - Math.floor(Date.now() / 1000)
  })
  const refreshDays: number[] = []
  let maxLive = 0
  let dayDurations: number[] = []
  const cachePrefix = 'codex-auth-'
  const live = () =>
    world.cache.entries().filter(e => e.state === 'finalized' && e.key.startsWith(cachePrefix))
      .length
  try {
    for (let day = 0; day <= days; day++) {
      const late = Date.now() - (start + day * dayMs)
      if (late < 0) await sleep(-late)
      const began = Date.now()
      // A refresh on this day is due `every` days later.
      world.authority.refreshedAccessExpiresAt = dueOn(day + every)
      const refreshesBefore = world.tokenEndpoint.requests.length
      const job = new Job({
        runner: { ...world.cacheRunner(), RUNNER_ENVIRONMENT: 'github-hosted' },
        env: world.codexEnv,
        transformInputs: inputs => withCodexConfig(inputs, world.codexArgs)
      })
      const main = await job.runAction({
        'auth-json': JSON.stringify(seed),
        'encryption-key': 'bench-encryption-key-0123456789abcdef',
        'codex-path': codexBinary(),
        prompt: 'Say OK.'
      })
      const [post] = await job.finish()
      if (main.exitCode !== 0 || post!.exitCode !== 0)
        throw new Error(`day ${day} failed:\n${main.stdout}\n${post!.stdout}`)
      if (world.tokenEndpoint.requests.length > refreshesBefore) refreshDays.push(day)
      maxLive = Math.max(maxLive, live())
      dayDurations.push(Date.now() - began)
      process.stdout.write(
        `day ${day}: ${refreshDays.at(-1) === day ? 'refreshed' : 'no refresh'}, ${live()} live\n`
      )
    }
  } finally {
    await world.close()
  }
  const refreshes = world.tokenEndpoint.requests.length
  const written = world.cache.callCount('FinalizeCacheEntryUpload')
  const expected = Array.from({ length: Math.floor(days / every) }, (_, i) => (i + 1) * every)
  dayDurations = dayDurations.sort((a, b) => a - b)
  const overran = dayDurations.at(-1)! > dayMs - 1000
  return {
    title: 'Cache churn',
    lines: [
      `${days} simulated days (days 0 to ${days}), one job a day (mode run: the real Codex, ` +
        `storage cache), the access token due every ${every} days; a day lasts ${ms(dayMs)} of ` +
        `real time (jobs took ${ms(dayDurations[0]!)}-${ms(dayDurations.at(-1)!)}` +
        `${overran ? '; a job overran its day, so Codex may have refreshed a day early: raise BENCH_DAY_MS' : ''}).`,
      '',
      '| refreshes (token endpoint calls, all by Codex) | entries written | live at the end | most live at once | refresh days |',
      '| --- | --- | --- | --- | --- |',
      `| ${refreshes} | ${written} | ${live()} | ${maxLive} | ${refreshDays.join(', ')} (due: ${expected.join(', ')}) |`
    ],
    targets: [
      {
        what: `entries written = refreshes (${written} = ${refreshes})`,
        met: written === refreshes
      },
      { what: `live entries <= 2 (at most ${maxLive})`, met: maxLive <= 2 },
      {
        what: `Codex refreshed exactly on the days due (${refreshDays.join(', ')})`,
        met: refreshDays.join() === expected.join()
      }
    ]
  }
}

if (isEntry(import.meta.url)) printSection(await benchChurn())
