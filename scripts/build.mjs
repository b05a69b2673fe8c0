// Bundles the two entry points of action.yml into dist/ (ESM, one shared chunk). Deterministic, so
// that CI can rebuild and compare with the committed dist/. Builds beside dist/ and swaps it in, so
// that a test run spawning dist/ at the same moment never sees half a bundle.
import { build } from 'esbuild'
import { renameSync, rmSync } from 'node:fs'

const staging = `.dist-build-${process.pid}`
rmSync(staging, { recursive: true, force: true })
await build({
  entryPoints: { main: 'src/main.ts', post: 'src/post.ts' },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  chunkNames: 'chunks/[name]-[hash]',
  // Some CommonJS dependencies of the toolkit call require(): give ESM output a require().
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
  },
  logLevel: 'warning'
})
const old = `.dist-old-${process.pid}`
try {
  renameSync('dist', old)
} catch {
  // no dist/ yet
}
renameSync(staging, 'dist')
rmSync(old, { recursive: true, force: true })
