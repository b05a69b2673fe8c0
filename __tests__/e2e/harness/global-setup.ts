/** The end-to-end tests run the bundle: build dist/ from the current sources first. */
import { execFileSync } from 'node:child_process'

// Jest loads this file outside its module mapper: no relative imports here.
export default function globalSetup(globalConfig: { rootDir: string }): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], {
    cwd: globalConfig.rootDir,
    stdio: 'inherit'
  })
}
