/**
 * The fault suite of storage: github-secret and storage: command (cases in
 * suites/faults-storages.cases.ts): the secrets API sits behind the fault-injecting proxy.
 */
import { useSecretsApi } from './harness/other-storages.js'
import { useScenario } from './harness/scenario.js'
import { table, type FaultsStoragesContext } from './suites/faults-storages.cases.js'

const scenario = useScenario()
const context: FaultsStoragesContext = { scenario, secrets: useSecretsApi(scenario) }

describe(table.title, () => {
  test.each(table.cases.map(c => [`${c.area}: ${c.name}`, c] as const))('%s', async (_, c) => {
    await c.run(context)
  })
})
