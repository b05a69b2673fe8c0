/**
 * `npm run bench`: every benchmark in bench/, one after the other, and bench/RESULTS.md written
 * from what they measured (with the machine, the Node version and the number of pairs).
 *
 *   npm run bench            (BENCH_PAIRS=N pairs per side-by-side figure, 15 by default)
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { actionNode, REPO_ROOT } from '../__tests__/e2e/harness/paths.js'
import { benchChurn } from './churn.js'
import { benchInstall } from './install.js'
import { ms, pairsFromEnv, printSection, type Section } from './lib/stats.js'
import { benchSteps } from './steps.js'

const started = performance.now()
const pairs = pairsFromEnv(15)
const load = os.loadavg()
execFileSync('npm', ['run', 'package', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' })

const sections: Section[] = []
for (const bench of [
  () => benchSteps(pairs),
  async () => [await benchInstall(pairs)],
  async () => [await benchChurn()]
]) {
  for (const section of await bench()) {
    printSection(section)
    sections.push(section)
  }
}

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
  cwd: REPO_ROOT,
  encoding: 'utf8'
}).trim()
const dirty =
  execFileSync('git', ['status', '--porcelain', '--', 'src', 'dist'], {
    cwd: REPO_ROOT,
    encoding: 'utf8'
  }).trim() !== ''
const actionNodeVersion = execFileSync(actionNode(), ['--version'], { encoding: 'utf8' }).trim()
const targets = sections.flatMap(section => section.targets)
const text = [
  '# Benchmark results',
  '',
  'Written by `npm run bench` (see [bench/](.)); do not edit by hand. To reproduce from a fresh clone:',
  '`npm ci && npm run bench` (`BENCH_PAIRS=N` chooses the number of interleaved pairs).',
  'What each change to the start path gained, measured before and after it: [HISTORY.md](HISTORY.md).',
  '',
  `- When: ${new Date().toISOString()}, commit ${commit}${dirty ? ' (with uncommitted changes)' : ''}`,
  `- Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ` +
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}; load average at the start ${load.map(l => l.toFixed(2)).join(' ')}`,
  `- Node: ${actionNodeVersion} runs the steps (as \`runs.using: node24\`); the bench itself ran on ${process.version}`,
  `- Pairs: ${pairs} per side-by-side figure, each pair run back to back in alternating order; ratios are taken within a pair`,
  `- Took ${ms(performance.now() - started)}`,
  '',
  '## Targets',
  '',
  ...targets.map(t => `- ${t.met ? 'met' : '**NOT met**'}: ${t.what}`),
  ...sections.flatMap(section => ['', `## ${section.title}`, '', ...section.lines]),
  ''
].join('\n')
const file = path.join(REPO_ROOT, 'bench/RESULTS.md')
writeFileSync(file, text)
execFileSync(path.join(REPO_ROOT, 'node_modules/.bin/prettier'), ['--write', file], {
  stdio: 'ignore'
})
console.log(`\nWrote ${path.relative(process.cwd(), file)} (${ms(performance.now() - started)}).`)
