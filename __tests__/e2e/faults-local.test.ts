/**
 * The fault suite outside the cache service (./suites/faults-local.cases.ts): each case is a row of
 * docs/reliability.md and the test that proves it, against the bundled action, the real Codex CLI
 * and the rotating fakes.
 */
import { useScenario } from './harness/scenario.js'
import { table, type FaultsLocalContext } from './suites/faults-local.cases.js'

const scenario = useScenario()
const context: FaultsLocalContext = { scenario }

describe(table.title, () => {
  test.each(table.cases.map(c => [`${c.area}: ${c.name}`, c] as const))('%s', async (_, c) => {
    await c.run(context)
  })
})
