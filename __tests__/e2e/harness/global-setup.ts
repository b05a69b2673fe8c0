/**
 * Before the tests: build dist/ from the current sources (the end-to-end tests run the bundle),
 * and clear scratch space that earlier runs left (older than an hour: a run may be going on).
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, realpathSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

// Jest loads this file outside its module mapper: no relative imports here.
export default function globalSetup(globalConfig: { rootDir: string }): void {
  const scratch = scratchRootFor(globalConfig.rootDir)
  const hourAgo = Date.now() - 60 * 60 * 1000
  for (const name of safeReaddir(scratch)) {
    const entry = path.join(scratch, name)
    if (statSync(entry).mtimeMs < hourAgo) rmSync(entry, { recursive: true, force: true })
  }
  execFileSync(process.execPath, ['scripts/build.mjs'], {
    cwd: globalConfig.rootDir,
    stdio: 'inherit'
  })
}

/** The same rule as scratchRootFor in paths.ts (this file cannot import it): never under /tmp. */
function scratchRootFor(repoRoot: string): string {
  const temp = realpathSync(os.tmpdir())
  const real = realpathSync(repoRoot)
  const inTemp = real === temp || real.startsWith(temp + path.sep) || real.startsWith('/tmp/')
  return inTemp
    ? path.join('/var/tmp', 'codex-auth-action-tests', path.basename(repoRoot))
    : path.join(repoRoot, '.tmp')
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
