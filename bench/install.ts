/**
 * bench/install: how long the action takes to provide Codex, side by side with npm, in one run,
 * against the same loopback registry serving the real packages of the pinned version.
 *
 *   npm run bench:install       (BENCH_PAIRS=N to choose the rounds; 15 by default)
 *
 * - npm:    `npm install -g @openai/codex@<version>` into a fresh prefix, with a fresh npm cache.
 * - cold:   the bundled action's main step (mode setup) with an empty tool cache.
 * - warm:   the same step again, on the same tool cache (once per round).
 * For the action, the whole step (a Node process, as the runner runs it) and the time it spends
 * providing Codex (its own log line: lookup or install, then `codex --version`) are both reported.
 * Each round is a pair (npm and the cold step, in alternating order) and the ratio is taken within
 * it; CPU time (the process and the children it waited for) is measured beside wall time. The warm
 * target (50 ms) is for providing Codex from the tool cache; the whole warm step is shown beside it.
 */
import { spawn } from 'node:child_process'
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { Authority } from '../__tests__/e2e/fakes/authority.js'
import {
  PLATFORMS,
  launcherManifest,
  packRealCodex,
  platformManifest
} from '../__tests__/e2e/fakes/codex-package.js'
import { startRegistry } from '../__tests__/e2e/fakes/registry.js'
import { scratchDir } from '../__tests__/e2e/harness/paths.js'
import { Job } from '../__tests__/e2e/harness/runner.js'
import { PINNED_CODEX_VERSION as VERSION } from '../src/names.js'
import { RUSAGE_PRELOAD } from './lib/step-runs.js'
import {
  CLOCK_TICKS,
  isEntry,
  median,
  ms,
  msSpread,
  pairsFromEnv,
  printSection,
  ratioSpread,
  spread,
  type Section
} from './lib/stats.js'

export const INSTALL_TARGETS = { cold: 0.5, warmMs: 50 }

export async function benchInstall(rounds = pairsFromEnv(15)): Promise<Section> {
  console.log(
    `Packing @openai/codex@${VERSION} (launcher and linux-x64) from node_modules (cached in .tmp)...`
  )
  const tarballs = packRealCodex(VERSION)
  const registry = await startRegistry()
  registry.publish({ manifest: launcherManifest(VERSION), tarball: tarballs.launcher })
  for (const platform of Object.keys(PLATFORMS)) {
    // npm reads every optional platform package's manifest but downloads only the runner's.
    const tarball = platform === 'linux-x64' ? tarballs.platform : Buffer.from('not downloaded')
    registry.publish({ manifest: platformManifest(VERSION, platform), tarball })
  }
  const seed = JSON.stringify(new Authority().signIn())
  /** Directories a round wrote: removed after the round, so that the disk does not fill up. */
  const scratch: string[] = []

  /** Runs a command to completion without blocking this process (it serves the registry). */
  function run(
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv
  ): Promise<{ status: number; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', chunk => (stderr += chunk))
      child.on('error', reject)
      child.on('close', status => resolve({ status: status ?? 1, stderr }))
    })
  }

  /** The CPU time a measured Node process reported (rusage.cjs), children included. */
  function cpuOf(usageFile: string): number {
    const lines = readFileSync(usageFile, 'utf8').trim().split('\n')
    return lines
      .map(line => JSON.parse(line) as { cpuMs: number; childTicks: number })
      .reduce((sum, u) => sum + u.cpuMs + (u.childTicks * 1000) / CLOCK_TICKS, 0)
  }

  async function npmInstall(): Promise<{ wall: number; cpu: number }> {
    const prefix = scratchDir('npm-prefix')
    const cache = scratchDir('npm-cache')
    const userconfig = path.join(scratchDir('npm-config'), '.npmrc')
    const usageFile = path.join(path.dirname(userconfig), 'usage.jsonl')
    writeFileSync(userconfig, '')
    scratch.push(prefix, cache, path.dirname(userconfig))
    const started = performance.now()
    const result = await run(
      'npm',
      [
        'install',
        '-g',
        `@openai/codex@${VERSION}`,
        '--prefix',
        prefix,
        '--registry',
        registry.url,
        '--cache',
        cache,
        '--no-audit',
        '--no-fund',
        '--loglevel=error'
      ],
      {
        ...process.env,
        npm_config_userconfig: userconfig,
        NODE_OPTIONS: `--require ${RUSAGE_PRELOAD}`,
        BENCH_RUSAGE_FILE: usageFile
      }
    )
    const elapsed = performance.now() - started
    if (result.status !== 0) throw new Error(`npm install failed: ${result.stderr}`)
    return { wall: elapsed, cpu: cpuOf(usageFile) }
  }

  async function actionStep(
    toolCache: string
  ): Promise<{ step: number; cpu: number; provide: number; phases: string }> {
    const usageFile = path.join(scratchDir('bench-usage'), 'usage.jsonl')
    const job = new Job({
      runner: { RUNNER_TOOL_CACHE: toolCache },
      env: { NODE_OPTIONS: `--require ${RUSAGE_PRELOAD}`, BENCH_RUSAGE_FILE: usageFile }
    })
    scratch.push(job.root, job.temp, path.dirname(usageFile))
    const started = performance.now()
    const main = await job.runAction({
      'auth-json': seed,
      storage: 'none',
      mode: 'setup',
      'registry-url': registry.url,
      // No REST API here: the actor check is off (it is not what this measures).
      'allow-users': '*'
    })
    const step = performance.now() - started
    if (main.exitCode !== 0) throw new Error(`the action failed: ${main.stdout}`)
    const provide = Number(
      /Codex \S+ (?:found in|installed into) the tool cache \((\d+) ms\)/.exec(main.stdout)?.[1]
    )
    const phases = /Codex \S+: (downloaded.*)\./.exec(main.stdout)?.[1] ?? ''
    return { step, cpu: cpuOf(usageFile), provide, phases }
  }

  const times = {
    npm: [] as number[],
    npmCpu: [] as number[],
    coldCpu: [] as number[],
    coldStep: [] as number[],
    coldProvide: [] as number[],
    warmStep: [] as number[],
    warmProvide: [] as number[]
  }
  try {
    for (let round = 1; round <= rounds; round++) {
      const toolCache = scratchDir('tool-cache')
      scratch.push(toolCache)
      let phases = ''
      const runNpm = async () => {
        const npm = await npmInstall()
        times.npm.push(npm.wall)
        times.npmCpu.push(npm.cpu)
      }
      const runCold = async () => {
        const cold = await actionStep(toolCache)
        times.coldCpu.push(cold.cpu)
        phases = cold.phases
        times.coldStep.push(cold.step)
        times.coldProvide.push(cold.provide)
      }
      // Alternate the order, so neither side always runs on a warmer page cache.
      if (round % 2 === 1) {
        await runNpm()
        await runCold()
      } else {
        await runCold()
        await runNpm()
      }
      const warm = await actionStep(toolCache)
      times.warmStep.push(warm.step)
      times.warmProvide.push(warm.provide)
      console.log(
        `round ${round}: npm ${ms(times.npm.at(-1)!)}, action cold ${ms(times.coldStep.at(-1)!)} (${phases}), ` +
          `warm ${ms(times.warmStep.at(-1)!)}`
      )
      for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true })
    }
  } finally {
    await registry.close()
  }

  const npm = median(times.npm)
  const coldRatios = spread(times.coldStep.map((cold, i) => cold / times.npm[i]!))
  const provideRatios = spread(times.coldProvide.map((provide, i) => provide / times.npm[i]!))
  const warmProvide = median(times.warmProvide)
  const tarballMb = (statSync(tarballs.platform).size / 1048576).toFixed(0)
  const cpuRatios = spread(times.coldCpu.map((cpu, i) => cpu / times.npmCpu[i]!))
  return {
    title: 'Installing Codex',
    lines: [
      `@openai/codex@${VERSION} (linux-x64 tarball ${tarballMb} MB) from a loopback registry serving the real packages; ` +
        `${rounds} rounds, each a pair (npm and the cold step, in alternating order; the ratio is taken ` +
        'within the pair), then one warm step; median (min-max).',
      '',
      '| what | time | ratio to npm | CPU-time ratio |',
      '| --- | --- | --- | --- |',
      `| npm install -g (fresh prefix and cache) | ${msSpread(spread(times.npm))} | 1.00x | 1.00x |`,
      `| action step, cold tool cache | ${msSpread(spread(times.coldStep))} | ${ratioSpread(coldRatios)} | ${ratioSpread(cpuRatios)} |`,
      `| ... of which providing Codex | ${msSpread(spread(times.coldProvide))} | ${ratioSpread(provideRatios)} | |`,
      `| action step, warm tool cache | ${msSpread(spread(times.warmStep))} | ${(median(times.warmStep) / npm).toFixed(3)}x | |`,
      `| ... of which providing Codex (the warm target) | ${msSpread(spread(times.warmProvide))} | ${(warmProvide / npm).toFixed(3)}x | |`,
      '',
      'The warm target (50 ms) is for providing Codex from the tool cache (looking it up, and its ' +
        'version); the whole warm step also starts Node, reads the inputs and writes CODEX_HOME.'
    ],
    targets: [
      {
        what: `cold step <= ${INSTALL_TARGETS.cold}x npm (median ratio ${coldRatios.median.toFixed(2)}x)`,
        met: coldRatios.median <= INSTALL_TARGETS.cold
      },
      {
        what: `warm: providing Codex <= ${INSTALL_TARGETS.warmMs} ms (${ms(warmProvide)}; the whole warm step ${ms(median(times.warmStep))})`,
        met: warmProvide <= INSTALL_TARGETS.warmMs
      }
    ]
  }
}

if (isEntry(import.meta.url)) printSection(await benchInstall())
