/**
 * The inputs that name things on disk, checked before anything is written: a bad one must change
 * nothing, and its error names the input.
 */
import { constants as fsConstants, promises as fs } from 'node:fs'
import path from 'node:path'
import { authFilePath, configuredSandbox, linkedConfigProblem } from '../codex/home.js'
import { Input } from '../names.js'
import os from 'node:os'
import { describeFsError, directoryUsability, pathKind } from '../platform/files.js'
import { InputError, jsonObjectProblem, type Config } from './inputs.js'

/** What mode run hands to Codex, read and checked. */
export interface Invocation {
  readonly prompt: string
}

/** Checks every path input; returns the prompt of mode run (undefined in setup and verify modes). */
export async function checkInputsOnDisk(config: Config): Promise<Invocation | undefined> {
  await checkDirectoryInput(Input.CodexHome, config.codexHome)
  const linkedConfig = await linkedConfigProblem(config.codexHome)
  if (linkedConfig)
    throw new InputError(`Input '${Input.CodexHome}': ${linkedConfig}. Nothing was changed.`)
  if (config.storage.kind === 'directory') {
    await checkDirectoryInput(Input.StoragePath, config.storage.path)
    const stored = authFilePath(config.storage.path)
    const kind = await pathKind(stored).catch(() => 'other' as const)
    if (kind === 'symlink' || kind === 'other') {
      throw new InputError(
        `Input '${Input.StoragePath}': ${stored} is ${kind === 'symlink' ? 'a symbolic link' : 'not a regular file'}; ` +
          'the stored session is read and written only as a regular file (a refreshed session could not be ' +
          'stored there). Replace it with a regular file (or remove it), or set another storage-path.'
      )
    }
    if (
      isInside(config.storage.path, config.codexHome) ||
      isInside(config.codexHome, config.storage.path)
    ) {
      throw new InputError(
        `Input '${Input.StoragePath}' (${config.storage.path}) and the Codex home (${config.codexHome}) ` +
          'must be separate directories: the storage keeps a copy of the session, not the session itself.'
      )
    }
  }
  if (config.codexPath !== undefined) {
    await fs.access(config.codexPath, fsConstants.X_OK).catch(() => {
      throw new InputError(
        `Input '${Input.CodexPath}': ${config.codexPath} is not an executable file. Name the codex ` +
          'binary itself (an absolute path, executable by the runner user), or leave the input empty ' +
          'to let the action install Codex.'
      )
    })
  }
  const run = config.run
  if (run === undefined) {
    // Setup mode: later steps run codex with the config.toml's sandbox (run mode passes --sandbox).
    if (
      config.mode === 'setup' &&
      (await configuredSandbox(config.codexHome)) === 'danger-full-access' &&
      !config.allowDangerFullAccess
    ) {
      throw new InputError(
        `The config.toml in '${Input.CodexHome}' sets sandbox_mode = "danger-full-access": every command ` +
          "the model runs in later steps could read the job's secrets and write the runner's command " +
          `files. Set '${Input.AllowDangerFullAccess}: true' only if that is what you want, or remove the setting.`
      )
    }
    return undefined
  }

  const stat = await fs.stat(run.workingDirectory).catch(() => undefined)
  if (!stat?.isDirectory()) {
    throw new InputError(
      `Input '${Input.WorkingDirectory}': ${run.workingDirectory} is not a directory. Name an existing ` +
        'directory (relative paths are resolved against the workspace; check out the repository first).'
    )
  }
  const enterable = await fs.access(run.workingDirectory, fsConstants.R_OK | fsConstants.X_OK).then(
    () => true,
    () => false
  )
  if (!enterable) {
    throw new InputError(
      `Input '${Input.WorkingDirectory}': ${run.workingDirectory} cannot be entered by this runner's user ` +
        `(${os.userInfo().username}): permission denied. Fix its permissions, or name another directory.`
    )
  }
  if (run.outputFile !== undefined) await checkOutputFile(run.outputFile, config)
  if (run.outputSchema !== undefined && 'file' in run.outputSchema)
    await checkOutputSchemaFile(run.outputSchema.file)
  if ('text' in run.prompt) return { prompt: run.prompt.text }
  return { prompt: await readPromptFile(run.prompt.file) }
}

async function checkDirectoryInput(input: string, dir: string): Promise<void> {
  const problem = await directoryUsability(dir)
  if (problem !== undefined) {
    throw new InputError(
      `Input '${input}': ${problem}. Name a private directory of the runner's user (if it is yours: ` +
        `chmod 700 ${dir}), or one that does not exist yet (it is then created with mode 0700).`
    )
  }
}

async function checkOutputFile(file: string, config: Config): Promise<void> {
  const link = await fs.lstat(file).catch(() => undefined)
  if (link?.isSymbolicLink()) {
    throw new InputError(
      `Input '${Input.OutputFile}': ${file} is a symbolic link: Codex's final message would be written ` +
        'wherever it points (the session, for one), and read back from there. Name a regular file, or ' +
        'one that does not exist yet.'
    )
  }
  const protectedDirs = [
    config.codexHome,
    ...(config.storage.kind === 'directory' ? [config.storage.path] : [])
  ]
  if (protectedDirs.some(dir => isInside(file, dir)) || file === authFilePath(config.codexHome)) {
    throw new InputError(
      `Input '${Input.OutputFile}': ${file} is inside the Codex home or the storage directory, where ` +
        "Codex's final message could overwrite the session. Choose a file elsewhere (e.g. in the workspace)."
    )
  }
  const stat = await fs.stat(file).catch(() => undefined)
  if (stat?.isDirectory()) {
    throw new InputError(`Input '${Input.OutputFile}': ${file} is a directory; name a file.`)
  }
  if (stat !== undefined && !stat.isFile()) {
    throw new InputError(
      `Input '${Input.OutputFile}': ${file} is not a regular file. Name a new or regular file.`
    )
  }
  const parentProblem = await directoryUsability(path.dirname(file))
  if (
    parentProblem !== undefined &&
    !/can be written by other users|shared directory/.test(parentProblem)
  ) {
    throw new InputError(
      `Input '${Input.OutputFile}': ${parentProblem}. Name a file in a directory of the runner user.`
    )
  }
}

/** The file must hold one JSON object: Codex reads it only after the run has started. */
async function checkOutputSchemaFile(file: string): Promise<void> {
  const text = await fs.readFile(file, 'utf8').catch((error: unknown) => {
    throw new InputError(
      `Input '${Input.OutputSchemaFile}': cannot read ${file}: ${describeFsError(error).replace(/ on \/.*$/, '')}. ` +
        'Name a readable JSON Schema file (relative paths are resolved against the workspace).'
    )
  })
  const problem = jsonObjectProblem(text)
  if (problem) {
    throw new InputError(
      `Input '${Input.OutputSchemaFile}': ${file} ${problem}. Make it one JSON object (a JSON Schema).`
    )
  }
}

async function readPromptFile(file: string): Promise<string> {
  const prompt = await fs.readFile(file, 'utf8').catch(() => {
    throw new InputError(
      `Input '${Input.PromptFile}': cannot read ${file}. Name a readable text file (relative paths ` +
        'are resolved against the workspace; check out the repository first), or give the text in ' +
        `'${Input.Prompt}'.`
    )
  })
  if (prompt.includes('\0')) {
    throw new InputError(
      `Input '${Input.PromptFile}': ${file} holds a NUL byte, so it is not a text file. Name a text file.`
    )
  }
  if (prompt.trim() === '') {
    throw new InputError(
      `Input '${Input.PromptFile}': ${file} is empty. Write the prompt into it, or leave ` +
        `'${Input.PromptFile}' empty to run the keep-fresh prompt.`
    )
  }
  return prompt
}

/** Is `inner` the directory `outer` or inside it? Paths are absolute (readConfig resolves them). */
function isInside(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}
