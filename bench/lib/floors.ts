/** Bundles the floor scripts with esbuild, with the options scripts/build.mjs gives the action. */
import { build } from 'esbuild'
import path from 'node:path'
import { REPO_ROOT, SCRATCH_ROOT } from '../../__tests__/e2e/harness/paths.js'

export interface Floors {
  readonly restore: string
  readonly save: string
}

export async function buildFloors(): Promise<Floors> {
  const outdir = path.join(SCRATCH_ROOT, 'bench-floors')
  await build({
    entryPoints: {
      restore: path.join(REPO_ROOT, 'bench/floors/restore.ts'),
      save: path.join(REPO_ROOT, 'bench/floors/save.ts')
    },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
    },
    logLevel: 'warning'
  })
  return { restore: path.join(outdir, 'restore.js'), save: path.join(outdir, 'save.js') }
}
