/**
 * Before the tests: build dist/ from the current sources (the end-to-end tests run the bundle),
 * and clear the scratch space left by earlier runs.
 */
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import path from 'node:path'

// Jest loads this file outside its module mapper: no relative imports here.
export default function globalSetup(globalConfig: { rootDir: string }): void {
  rmSync(path.join(globalConfig.rootDir, '.tmp'), { recursive: true, force: true })
  execFileSync(process.execPath, ['scripts/build.mjs'], {
    cwd: globalConfig.rootDir,
    stdio: 'inherit'
  })
}
