/**
 * bench/profile: where the main and post steps spend their time. Runs one main step (mode setup,
 * storage cache) and its post step (a changed session) with `node --cpu-prof`, against the local
 * cache service, and prints the self time by source module (read from the bundle's `// path`
 * comments: the bundle is built again, not minified, into a scratch copy of the action) and by
 * function. The .cpuprofile files are kept for a closer look (Chrome DevTools).
 *
 *   npm run bench:profile
 */
import { build } from 'esbuild'
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { codexBinary, REPO_ROOT, scratchDir } from '../__tests__/e2e/harness/paths.js'
import { bundleOptions } from '../scripts/bundle-options.mjs'

// A readable build in a scratch copy of the action, which the harness runs (ACTION_UNDER_TEST).
const actionRoot = scratchDir('bench-profile-action')
copyFileSync(path.join(REPO_ROOT, 'action.yml'), path.join(actionRoot, 'action.yml'))
writeFileSync(path.join(actionRoot, 'package.json'), '{ "type": "module" }\n')
const options = bundleOptions({ readable: true })
await build({
  ...options,
  entryPoints: Object.fromEntries(
    Object.entries(options.entryPoints).map(([name, file]) => [name, path.join(REPO_ROOT, file)])
  ),
  outdir: path.join(actionRoot, 'dist')
})
process.env.ACTION_UNDER_TEST = actionRoot
const { Job } = await import('../__tests__/e2e/harness/runner.js')
const { startWorld } = await import('../__tests__/e2e/harness/world.js')

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount: number
}
interface Profile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
}

const sourceMaps = new Map<string, { line: number; source: string }[]>()

const world = await startWorld()
const dir = scratchDir('bench-profile')
const runner = { ...world.cacheRunner(), RUNNER_ENVIRONMENT: 'github-hosted' }
const inputs = {
  'auth-json': JSON.stringify(world.authority.signIn()),
  'encryption-key': 'bench-encryption-key-0123456789abcdef',
  'codex-path': codexBinary(),
  mode: 'setup'
}
try {
  // Store a first entry, untimed, so that the profiled main restores one.
  for (const profiled of [false, true]) {
    const profileDir = path.join(dir, profiled ? 'profiled' : 'warm-up')
    mkdirSync(profileDir)
    const job = new Job({
      runner,
      env: profiled
        ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-interval=250 --cpu-prof-dir=${profileDir}` }
        : {}
    })
    const main = await job.runAction(inputs)
    const auth = JSON.stringify(world.authority.signIn(), null, 2)
    writeFileSync(path.join(job.home, '.codex/auth.json'), auth, { mode: 0o600 })
    const [post] = await job.finish()
    if (main.exitCode !== 0 || post!.exitCode !== 0) throw new Error(main.stdout + post!.stdout)
  }
} finally {
  await world.close()
}
const profiles = readdirSync(path.join(dir, 'profiled')).sort()
for (const [index, file] of profiles.entries()) {
  const profile = JSON.parse(readFileSync(path.join(dir, 'profiled', file), 'utf8')) as Profile
  console.log(
    `\n${index === 0 ? 'main' : 'post'} step: ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms profiled (${path.join(dir, 'profiled', file)})`
  )
  summarise(profile)
}

function summarise(profile: Profile): void {
  const interval = (profile.endTime - profile.startTime) / 1000 / profile.samples.length
  const byModule = new Map<string, number>()
  const byFunction = new Map<string, number>()
  for (const node of profile.nodes) {
    if (node.hitCount === 0) continue
    const ms = node.hitCount * interval
    const where = moduleOf(node.callFrame.url, node.callFrame.lineNumber)
    byModule.set(where, (byModule.get(where) ?? 0) + ms)
    const name = `${node.callFrame.functionName || '(anonymous)'} [${where}]`
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms)
  }
  const top = (map: Map<string, number>, count: number) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, count)
  console.log('  self time by module:')
  for (const [name, ms] of top(byModule, 15))
    console.log(`    ${ms.toFixed(1).padStart(6)} ms  ${name}`)
  console.log('  self time by function:')
  for (const [name, ms] of top(byFunction, 12))
    console.log(`    ${ms.toFixed(1).padStart(6)} ms  ${name}`)
}

/** The source module of a bundle line: the nearest `// node_modules/...` or `// src/...` comment above it. */
function moduleOf(url: string, line: number): string {
  if (!url.startsWith('file://')) return url || '(native)'
  const file = new URL(url).pathname
  if (!file.startsWith(path.join(actionRoot, 'dist'))) return path.relative(REPO_ROOT, file)
  let marks = sourceMaps.get(file)
  if (!marks) {
    marks = readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((text, index) => {
        const m = /^\/\/ ((?:node_modules|src)\/.+)$/.exec(text)
        return m ? [{ line: index, source: m[1]! }] : []
      })
    sourceMaps.set(file, marks)
  }
  const mark = marks.filter(m => m.line <= line).at(-1)
  if (!mark) return path.relative(actionRoot, file)
  const source = mark.source
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)
  return pkg ? pkg[1]! : source
}
