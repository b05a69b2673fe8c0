/**
 * The floor of the main step: what any workflow pays for restoring one entry from the Actions cache,
 * a script that does nothing but call @actions/cache restoreCache for the entry the action restores
 * (same path, same key prefix, same service). Bundled with esbuild as the action is.
 */
import * as cache from '@actions/cache'

const archivedPath = process.env.BENCH_CACHE_PATH ?? ''
const key = process.env.BENCH_CACHE_KEY ?? ''
if (process.env.BENCH_LOAD_ONLY !== '1') {
  const restored = await cache.restoreCache([archivedPath], key, [], undefined, true)
  if (restored === undefined) {
    console.error(`floor: no entry restored for ${key}`)
    process.exitCode = 1
  }
}
