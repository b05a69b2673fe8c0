/**
 * bench/steps: the action's main and post steps side by side with their floors, in one run,
 * against the same local cache service (the e2e fake, spoken to by the real @actions/cache client).
 *
 *   npm run bench:steps            (BENCH_PAIRS=N to choose the number of pairs; 15 by default)
 *
 * - main: `mode: setup`, storage cache, `codex-path` given: restore, decrypt and validate the
 *   newest stored session, write it to a new runner's CODEX_HOME. Floor: a bundled script that
 *   only calls restoreCache for the same entry.
 * - post: the session changed (as when a later step ran Codex and it refreshed): lookup, encrypt,
 *   save, prune. Floor: a bundled script that only calls saveCache for a file of the same size.
 * - cold load: a Node process that loads each bundle (the action's entry with the cache storage,
 *   or the floor script) and exits.
 * Each pair runs its two sides back to back, in alternating order; ratios are taken per pair, and
 * the CPU-time ratio is shown beside the wall-time one (the machine may be shared).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { spawn } from 'node:child_process'
import { codexBinary, REPO_ROOT, actionNode, scratchDir } from '../__tests__/e2e/harness/paths.js'
import { startWorld } from '../__tests__/e2e/harness/world.js'
import { deriveEntryKey, sealEntry } from '../src/storage/crypto.js'
import { buildFloors } from './lib/floors.js'
import {
  cacheBenchRunner,
  interleaved,
  MeasuredJob,
  RUSAGE_PRELOAD,
  type Measured
} from './lib/step-runs.js'
import {
  CLOCK_TICKS,
  isEntry,
  mb,
  msSpread,
  pairsFromEnv,
  printSection,
  ratioSpread,
  spread,
  type Section
} from './lib/stats.js'

const ENCRYPTION_KEY = 'bench-encryption-key-0123456789abcdef'
const CACHE_KEY = 'codex-auth'
const ARCHIVED_PATH = `.codex-auth-action/${CACHE_KEY}.session`

export const TARGETS = { main: 1.0, post: 1.15, rssMb: 70 }

interface Pair {
  readonly action: Measured
  readonly floor: Measured
}

export async function benchSteps(pairs = pairsFromEnv(15)): Promise<Section[]> {
  const floors = await buildFloors()
  const world = await startWorld()
  const runner = cacheBenchRunner(world)
  const seed = world.authority.signIn()
  const gatedInputs = {
    'auth-json': JSON.stringify(seed),
    'encryption-key': ENCRYPTION_KEY,
    'codex-path': codexBinary(),
    mode: 'setup'
  }
  // What the floor does too: restore, nothing else. The actor check (a REST call the floor does
  // not make) is measured on its own, below.
  const inputs = { ...gatedInputs, 'allow-users': '*' }
  const main: Pair[] = []
  const gated: Pair[] = []
  const post: Pair[] = []
  try {
    // Pair -1 is a warm-up that stores the first entry; it is not counted.
    for (let pair = -1; pair < pairs; pair++) {
      const action = new MeasuredJob({ runner })
      const restoreFloor = new MeasuredJob({
        runner,
        env: { BENCH_CACHE_PATH: ARCHIVED_PATH, BENCH_CACHE_KEY: `${CACHE_KEY}-` }
      })
      const runMain = () => action.measure(job => job.runAction(inputs))
      // Nothing is stored before the warm-up: its floor would miss.
      const [mainRun, restoreRun] =
        pair < 0
          ? [await runMain(), undefined]
          : await interleaved(pair, runMain, () => restoreFloor.node(floors.restore))
      if (!/Restored the session stored/.test(mainRun.step.stdout) && pair >= 0)
        throw new Error(`main did not restore from the cache:\n${mainRun.step.stdout}`)
      if (restoreRun !== undefined) {
        // The same main step with the actor check on (the default): the permission API of the fake.
        const checked = new MeasuredJob({ runner })
        gated.push({
          action: await checked.measure(job => job.runAction(gatedInputs)),
          floor: restoreRun
        })
        checked.dispose()
      }

      // A later step refreshed the session (as Codex does): post has a changed session to store.
      const refreshed = JSON.stringify(world.authority.signIn(), null, 2)
      writeFileSync(path.join(action.job.home, '.codex', 'auth.json'), refreshed, { mode: 0o600 })
      const saveFloor = new MeasuredJob({
        runner,
        env: {
          BENCH_CACHE_PATH: ARCHIVED_PATH,
          BENCH_CACHE_KEY: `bench-floor-save-${pair}-${Date.now()}`
        }
      })
      // The same bytes count as the action's entry: the session sealed as the action seals it.
      const sealed = sealEntry(refreshed, deriveEntryKey(ENCRYPTION_KEY), CACHE_KEY, 'size')
      mkdirSync(path.join(saveFloor.job.workspace, path.dirname(ARCHIVED_PATH)), {
        recursive: true
      })
      writeFileSync(path.join(saveFloor.job.workspace, ARCHIVED_PATH), sealed)
      const [postRun, saveRun] = await interleaved(
        Math.max(pair, 0),
        async () => {
          const downloads = () => world.cache.blobCalls.filter(c => c.operation === 'get').length
          const before = downloads()
          const result = await action.measure(async job => (await job.finish())[0]!)
          if (!/Stored the refreshed session/.test(result.step.stdout))
            throw new Error(`post did not store the session:\n${result.step.stdout}`)
          // The newest key is the one main restored: "is a newer one stored?" needs no download.
          if (downloads() !== before) throw new Error('post downloaded a cache entry')
          return result
        },
        () => saveFloor.node(floors.save)
      )
      if (restoreRun !== undefined) {
        main.push({ action: mainRun, floor: restoreRun })
        post.push({ action: postRun, floor: saveRun })
        process.stdout.write(
          `pair ${pair + 1}/${pairs}: main ${Math.round(mainRun.wallMs)} vs ${Math.round(restoreRun.wallMs)} ms, ` +
            `post ${Math.round(postRun.wallMs)} vs ${Math.round(saveRun.wallMs)} ms\n`
        )
      }
      for (const job of [action, restoreFloor, saveFloor]) job.dispose()
    }
    const live = world.cache.entries().filter(entry => entry.key.startsWith(`${CACHE_KEY}-`))
    if (live.length > 2) throw new Error(`post left ${live.length} entries: pruning failed`)
  } finally {
    await world.close()
  }
  const loads = await coldLoads(pairs, floors)
  return [stepSection(main, post, gated), loadSection(loads, pairs)]
}

function stepSection(main: Pair[], post: Pair[], gated: Pair[]): Section {
  const rows = [
    row('main step (setup, cache restore + decrypt + validate)', 'bare restoreCache', main),
    row('post step (changed session: lookup, encrypt, save, prune)', 'bare saveCache', post),
    row('main step as above, with the actor check (the default)', 'bare restoreCache', gated)
  ]
  const wallRatio = (pairs: Pair[]) => spread(pairs.map(p => p.action.wallMs / p.floor.wallMs))
  const rss = (pairs: Pair[]) => spread(pairs.map(p => p.action.maxRssKb))
  const floorRss = (pairs: Pair[]) => spread(pairs.map(p => p.floor.maxRssKb))
  return {
    title: 'Main and post steps against their floors',
    lines: [
      `${main.length} interleaved pairs; each ratio is taken within a pair; median (min-max).`,
      '',
      '| step | action | floor | wall ratio | CPU-time ratio |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
      '',
      '| peak RSS | action | floor |',
      '| --- | --- | --- |',
      `| main step | ${mb(rss(main).median)} (max ${mb(rss(main).max)}) | ${mb(floorRss(main).median)} |`,
      `| post step | ${mb(rss(post).median)} (max ${mb(rss(post).max)}) | ${mb(floorRss(post).median)} |`,
      `| main step with the actor check | ${mb(rss(gated).median)} (max ${mb(rss(gated).max)}) | ${mb(floorRss(main).median)} |`,
      '',
      "The main step runs with `allow-users: '*'`, as the floor checks no one; the third row is the " +
        "default, which asks GitHub's permission API (here the local fake's) who triggered the run."
    ],
    targets: [
      {
        what: `main <= ${TARGETS.main.toFixed(2)}x its floor (median wall ratio ${wallRatio(main).median.toFixed(2)}x)`,
        met: wallRatio(main).median <= TARGETS.main
      },
      {
        what: `post <= ${TARGETS.post.toFixed(2)}x its floor (median wall ratio ${wallRatio(post).median.toFixed(2)}x)`,
        met: wallRatio(post).median <= TARGETS.post
      },
      {
        what:
          `peak RSS of each step <= ${TARGETS.rssMb} MB (medians ${mb(rss(main).median)}, ` +
          `${mb(rss(post).median)} and ${mb(rss(gated).median)}; the most in one run, which is judged, ` +
          `${mb(Math.max(rss(main).max, rss(post).max, rss(gated).max))})`,
        met: Math.max(rss(main).max, rss(post).max, rss(gated).max) <= TARGETS.rssMb * 1024
      }
    ]
  }
}

function row(what: string, floor: string, pairs: Pair[]): string {
  const wall = (side: 'action' | 'floor') => spread(pairs.map(p => p[side].wallMs))
  const ratios = spread(pairs.map(p => p.action.wallMs / p.floor.wallMs))
  const cpu = spread(pairs.map(p => p.action.cpuMs / p.floor.cpuMs))
  return `| ${what} | ${msSpread(wall('action'))} | ${msSpread(wall('floor'))} (${floor}) | ${ratioSpread(ratios)} | ${ratioSpread(cpu)} |`
}

// ---- cold load ----

interface LoadPairs {
  readonly node: Measured[]
  readonly main: Pair[]
  readonly post: Pair[]
}

/**
 * The modules an entry of dist/ loads before it runs with storage: cache (its static imports and
 * the cache chunk; for post also the upload SDK, which main never loads).
 */
function actionModules(entry: 'main' | 'post'): string[] {
  const dist = path.join(REPO_ROOT, 'dist')
  const text = readFileSync(path.join(dist, `${entry}.js`), 'utf8')
  // Static imports only (`import"./chunks/x.js"`, `import{a}from"./chunks/x.js"`), not import().
  const statics = [
    ...text.matchAll(/\bimport\s*(?:[^"'();]*?\bfrom\s*)?["'](\.\/chunks\/[^"']+)["']/g)
  ].map(m => path.join(dist, m[1]!))
  const cacheChunk = readdirSync(path.join(dist, 'chunks')).find(name =>
    /^cache-.*\.js$/.test(name)
  )
  if (statics.length === 0 || cacheChunk === undefined)
    throw new Error(`cannot tell which modules dist/${entry}.js loads`)
  const cache = path.join(dist, 'chunks', cacheChunk)
  if (entry === 'main') return [...statics, cache]
  // Post with storage: cache also loads the upload SDK (src/storage/index.ts preloadWriting).
  const uploadSdk = /yield import\("\.\/([^"]+)"\)\)\.BlobClient\(/.exec(
    readFileSync(cache, 'utf8')
  )
  if (uploadSdk === null) throw new Error('cannot tell which chunk holds the upload SDK')
  return [...statics, cache, path.join(dist, 'chunks', uploadSdk[1]!)]
}

async function coldLoads(
  pairs: number,
  floors: { restore: string; save: string }
): Promise<LoadPairs> {
  const loader = path.join(REPO_ROOT, 'bench/lib/load.mjs')
  const result: LoadPairs = { node: [], main: [], post: [] }
  for (let pair = 0; pair < pairs; pair++) {
    result.node.push(await loadOnce(loader, []))
    for (const [entry, floor] of [
      ['main', floors.restore],
      ['post', floors.save]
    ] as const) {
      const [action, bare] = await interleaved(
        pair,
        () => loadOnce(loader, actionModules(entry)),
        () => loadOnce(loader, [floor])
      )
      result[entry].push({ action, floor: bare })
    }
  }
  return result
}

async function loadOnce(loader: string, modules: string[]): Promise<Measured> {
  const dir = scratchDir('bench-load')
  const usageFile = path.join(dir, 'usage.jsonl')
  const started = performance.now()
  await new Promise<void>((resolve, reject) => {
    const child = spawn(actionNode(), ['--require', RUSAGE_PRELOAD, loader, ...modules], {
      env: { PATH: process.env.PATH, BENCH_RUSAGE_FILE: usageFile, BENCH_LOAD_ONLY: '1' },
      stdio: ['ignore', 'ignore', 'inherit']
    })
    child.on('error', reject)
    child.on('close', code => (code === 0 ? resolve() : reject(new Error(`load exited ${code}`))))
  })
  const wallMs = performance.now() - started
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as {
    cpuMs: number
    childTicks: number
    maxRssKb: number
  }
  return {
    wallMs,
    cpuMs: usage.cpuMs + (usage.childTicks * 1000) / CLOCK_TICKS,
    maxRssKb: usage.maxRssKb
  }
}

function loadSection(loads: LoadPairs, pairs: number): Section {
  const line = (what: string, list: Pair[]) => {
    const ratios = spread(list.map(p => p.action.wallMs / p.floor.wallMs))
    const cpu = spread(list.map(p => p.action.cpuMs / p.floor.cpuMs))
    return (
      `| ${what} | ${msSpread(spread(list.map(p => p.action.wallMs)))} | ` +
      `${msSpread(spread(list.map(p => p.floor.wallMs)))} | ${ratioSpread(ratios)} | ${ratioSpread(cpu)} |`
    )
  }
  return {
    title: 'Cold load of each bundle',
    lines: [
      `A new Node process that loads the bundle and exits; ${pairs} interleaved pairs, median (min-max).`,
      `Node alone starts in ${msSpread(spread(loads.node.map(n => n.wallMs)))}.`,
      '',
      '| bundle | action | floor | wall ratio | CPU-time ratio |',
      '| --- | --- | --- | --- | --- |',
      line('dist/main.js + cache chunk vs restore floor', loads.main),
      line('dist/post.js + cache chunk + upload SDK vs save floor', loads.post)
    ],
    targets: []
  }
}

if (isEntry(import.meta.url)) {
  for (const section of await benchSteps()) printSection(section)
}
