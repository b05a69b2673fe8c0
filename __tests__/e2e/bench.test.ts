/**
 * The benchmarks are scripts, not timed tests: this only checks that they start and measure, with
 * one pair and a three-day month, so that `npm run bench` does not rot. Their figures are not judged.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { REPO_ROOT } from './harness/paths.js'

function runBench(
  script: string,
  env: Record<string, string>
): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), [`bench/${script}`], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    child.stdout.on('data', chunk => (out += chunk))
    child.stderr.on('data', chunk => (out += chunk))
    child.on('error', reject)
    child.on('close', code => resolve({ code: code ?? 1, out }))
  })
}

test('bench:steps measures main, post and cold loads against their floors (one pair)', async () => {
  const { code, out } = await runBench('steps.ts', { BENCH_PAIRS: '1' })
  expect({ code, out }).toMatchObject({ code: 0 })
  expect(out).toMatch(/\| main step \(setup, cache restore \+ decrypt \+ validate\) \| \d+ ms/)
  expect(out).toMatch(/\| post step \(changed session: lookup, encrypt, save, prune\) \| \d+ ms/)
  expect(out).toMatch(/\| dist\/main\.js \+ cache chunk vs restore floor \| \d+ ms/)
  expect(out).toMatch(/- target peak RSS of each step <= 70 MB \(medians/)
})

test('bench:churn simulates days by token expiry and counts entries (three days)', async () => {
  const { code, out } = await runBench('churn.ts', {
    BENCH_CHURN_DAYS: '2',
    BENCH_REFRESH_DAYS: '1',
    BENCH_DAY_MS: '4000'
  })
  expect({ code, out }).toMatchObject({ code: 0 })
  expect(out).toMatch(/\| \d+ \| \d+ \| \d+ \| \d+ \| [\d, ]* \(due: 1, 2\) \|/)
  expect(out).toMatch(/- target entries written = refreshes \(\d+ = \d+\)/)
})
