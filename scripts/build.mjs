// Bundles the two entry points of action.yml into dist/ (ESM, one shared chunk). Deterministic, so
// that CI can rebuild and compare with the committed dist/. Builds beside dist/ and swaps it in, so
// that a test run spawning dist/ at the same moment never sees half a bundle.
import { build } from 'esbuild'
import { renameSync, rmSync } from 'node:fs'
import { bundleOptions } from './bundle-options.mjs'

const staging = `.dist-build-${process.pid}`
rmSync(staging, { recursive: true, force: true })
await build({ ...bundleOptions(), outdir: staging })
const old = `.dist-old-${process.pid}`
try {
  renameSync('dist', old)
} catch {
  // no dist/ yet
}
renameSync(staging, 'dist')
rmSync(old, { recursive: true, force: true })
