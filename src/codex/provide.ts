/**
 * The Codex that runs: `codex-path` when given, else the `codex-version` installed from the
 * registry into the tool cache. Either way its directory goes on PATH for later steps. Its exact
 * version is known without running it for an install (the tool cache holds it by version) and for
 * a codex-path that is a Codex package's entry point (the package's codex-package.json says it);
 * any other codex-path is asked (`codex --version`), which may start early, while the session is
 * restored.
 */
import * as core from '@actions/core'
import * as exec from '@actions/exec'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Input } from '../names.js'
import { readIfExists } from '../platform/files.js'
import { withScratchDir } from '../platform/runner.js'
import { codexEnvironment } from './environment.js'
import { InstallError } from './errors.js'
import { credentialFor, mergeNpmrcs, parseNpmrc } from './npmrc.js'
import { isExactVersion, parseCodexVersion } from './platform.js'

export interface ProvidedCodex {
  readonly executable: string
  /** The exact version: the installed one, codex-path's package's, or what its `codex --version` said. */
  readonly version: string
}

export interface CodexSource {
  /** A binary to run instead of installing one. */
  readonly codexPath: string | undefined
  readonly codexVersion: string
  readonly registryUrl: string
  /** Where a project .npmrc may be, besides the workspace. */
  readonly projectDir: string
}

/**
 * codex-path's version: from its package's metadata, else from `codex --version` (with a scratch
 * CODEX_HOME and the allowlisted environment).
 */
export async function askVersion(executable: string): Promise<string> {
  return (await packagedVersion(executable)) ?? versionOf(executable)
}

/**
 * The version that a Codex package records beside its binary (`vendor/<target>/codex-package.json`,
 * as npm and the tool cache hold it), when `executable` is that package's entry point; else undefined.
 */
export async function packagedVersion(executable: string): Promise<string | undefined> {
  const packageDir = path.dirname(path.dirname(executable))
  try {
    const metadata = JSON.parse(
      await fs.readFile(path.join(packageDir, 'codex-package.json'), 'utf8')
    ) as { version?: unknown; entrypoint?: unknown }
    const { version, entrypoint } = metadata ?? {}
    if (typeof version !== 'string' || !isExactVersion(version) || typeof entrypoint !== 'string')
      return undefined
    const [entry, given] = await Promise.all([
      fs.realpath(path.resolve(packageDir, entrypoint)),
      fs.realpath(executable)
    ])
    return entry === given ? version : undefined
  } catch {
    return undefined // no such metadata, or not this binary's: ask the binary
  }
}

/** The Codex to run, on PATH for later steps. The caller reports its version. */
export async function provideCodex(config: CodexSource): Promise<ProvidedCodex> {
  const started = Date.now()
  let executable: string
  let version: string
  let origin = `from '${Input.CodexPath}'`
  if (config.codexPath !== undefined) {
    executable = config.codexPath
    version = await askVersion(executable)
  } else {
    const npmrc = await readNpmrc(config.projectDir)
    const credential = credentialFor(config.registryUrl, npmrc)
    if (credential)
      core.setSecret(credential.kind === 'bearer' ? credential.token : credential.auth)
    // Loaded only when installing: a warm start needs none of it.
    const { installCodex } = await import('./install.js')
    const codex = await installCodex({
      version: config.codexVersion,
      registryUrl: config.registryUrl,
      npmrc
    })
    executable = codex.executable
    version = codex.version
    origin = codex.fromToolCache ? 'found in the tool cache' : 'installed into the tool cache'
  }
  core.info(`Codex ${version} ${origin} (${Date.now() - started} ms).`)
  core.addPath(path.dirname(executable))
  return { executable, version }
}

async function versionOf(executable: string): Promise<string> {
  // Taken now: the cache client's calls, which may run meanwhile, change PATH and RUNNER_TEMP for a while.
  // The allowlisted environment, as for codex exec: never the action's inputs (its secrets).
  const { env } = codexEnvironment(process.env, '')
  // Codex writes helper files into CODEX_HOME even for --version: keep them out of the real one.
  const result = await withScratchDir('codex-version', home =>
    exec.getExecOutput(executable, ['--version'], {
      silent: true,
      ignoreReturnCode: true,
      env: { ...env, CODEX_HOME: home }
    })
  ).catch((error: Error) => ({ exitCode: -1, stdout: '', stderr: error.message }))
  const version = result.exitCode === 0 ? parseCodexVersion(result.stdout) : undefined
  if (version === undefined) {
    throw new InstallError(
      `${executable} is not a working Codex CLI: \`codex --version\` ${result.exitCode === 0 ? 'printed no version' : 'failed'}. ` +
        `Check '${Input.CodexPath}' or '${Input.CodexVersion}'.`
    )
  }
  return version
}

/** The user's .npmrc (NPM_CONFIG_USERCONFIG, as actions/setup-node sets it, else ~/.npmrc), then the project's. */
async function readNpmrc(projectDir: string): Promise<Map<string, string>> {
  const env = process.env
  const userConfig =
    env.NPM_CONFIG_USERCONFIG || env.npm_config_userconfig || path.join(os.homedir(), '.npmrc')
  const files = [userConfig, path.join(env.GITHUB_WORKSPACE || projectDir, '.npmrc')] // the project's, as npm reads it
  const layers = await Promise.all(
    files.map(async file => parseNpmrc((await readIfExists(file)) ?? '', env))
  )
  return mergeNpmrcs(layers)
}
