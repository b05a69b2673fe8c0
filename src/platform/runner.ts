/** The runner's directories and API, read from the environment the runner sets for a step. */
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * RUNNER_TEMP (emptied by the runner after the job), else the OS temp directory. Made absolute: a
 * local run may give a relative one, and Codex runs in another directory.
 */
export function runnerTemp(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.RUNNER_TEMP || os.tmpdir())
}

/** GITHUB_WORKSPACE, else the current directory (local runs); absolute. */
export function workspace(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.GITHUB_WORKSPACE || process.cwd())
}

/** GITHUB_API_URL (GitHub Enterprise Server sets its own), else api.github.com. */
export function githubApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.GITHUB_API_URL || 'https://api.github.com'
}

/** Runs `work` in a new private directory under RUNNER_TEMP, removed afterwards whatever happens. */
export async function withScratchDir<T>(
  prefix: string,
  work: (dir: string) => Promise<T>
): Promise<T> {
  const dir = await fs.mkdtemp(path.join(runnerTemp(), `${prefix}-`))
  try {
    return await work(dir)
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}
