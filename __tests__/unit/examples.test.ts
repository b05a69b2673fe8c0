/** The example workflows use only inputs that action.yml declares, and the checkout keeps no token. */
import { readdirSync, readFileSync } from 'node:fs'
import { parse } from 'yaml'

const action = parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, unknown> }
type Step = { uses?: string; with?: Record<string, unknown> }
type Workflow = { jobs: Record<string, { steps: Step[] }> }

const examples = readdirSync('examples').filter(name => name.endsWith('.yml'))

test('there are examples', () => {
  expect(examples.length).toBeGreaterThan(0)
})

test.each(examples)('%s', name => {
  const workflow = parse(readFileSync(`examples/${name}`, 'utf8')) as Workflow
  const steps = Object.values(workflow.jobs).flatMap(job => job.steps)
  const ours = steps.filter(step => step.uses?.startsWith('org/codex-auth-action@'))
  expect(ours.length).toBeGreaterThan(0)
  for (const step of ours)
    for (const input of Object.keys(step.with ?? {}))
      expect(Object.keys(action.inputs)).toContain(input)
  for (const step of steps.filter(s => s.uses?.startsWith('actions/checkout@')))
    expect(step.with?.['persist-credentials']).toBe(false)
})
