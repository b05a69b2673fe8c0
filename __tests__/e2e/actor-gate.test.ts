/**
 * Who may trigger a run (suites/actor-gate.cases.ts): the main step's actor check against the
 * loopback permission endpoint, in every outcome and under its faults.
 */
import { useScenario } from './harness/scenario.js'
import { table, type ActorGateContext } from './suites/actor-gate.cases.js'

const scenario = useScenario()
const context: ActorGateContext = { scenario }

describe(table.title, () => {
  test.each(table.cases.map(c => [`${c.area}: ${c.name}`, c] as const))('%s', (_, c) =>
    c.run(context)
  )
})
