/**
 * The fault suite of storage: cache (cases in suites/faults-cache.cases.ts): the fault-injecting
 * proxy sits in front of the local cache service for every job of this file.
 */
import { startFaultProxy, type FaultProxy } from './fakes/fault-proxy.js'
import { useScenario } from './harness/scenario.js'
import { table, type Ctx } from './suites/faults-cache.cases.js'

const scenario = useScenario()
let proxy: FaultProxy | undefined

beforeAll(async () => {
  proxy = await startFaultProxy(scenario.world.cache.resultsUrl)
})
afterAll(async () => {
  await proxy?.close()
})
beforeEach(() => scenario.world.cache.reset())
afterEach(() => proxy?.clear())

const context: Ctx = {
  scenario,
  get proxy() {
    if (!proxy) throw new Error('the proxy starts in beforeAll')
    return proxy
  }
}

test.each(table.cases.map(c => [`${c.area}: ${c.name}`, c] as const))('%s', async (_, c) =>
  c.run(context)
)
