/**
 * The floor of the post step: what any workflow pays for saving one small file to the Actions cache,
 * a script that does nothing but call @actions/cache saveCache. Bundled with esbuild as the action is.
 */
import * as cache from '@actions/cache'

const archivedPath = process.env.BENCH_CACHE_PATH ?? ''
const key = process.env.BENCH_CACHE_KEY ?? ''
if (process.env.BENCH_LOAD_ONLY !== '1') {
  const id = await cache.saveCache([archivedPath], key, undefined, true)
  if (id === -1) {
    console.error(`floor: ${key} was not saved`)
    process.exitCode = 1
  }
}
