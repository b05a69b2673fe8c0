/**
 * Phase 2, invoke: run `codex exec` (mode run), which refreshes the session when it is stale, and
 * report what it did. In setup mode nothing runs here: later steps run codex.
 */
import * as core from '@actions/core'
import { constants as fsConstants, promises as fs } from 'node:fs'
import { isNewer, type Session } from './auth/index.js'
import type { Candidate } from './bootstrap.js'
import { authFilePath, readSession } from './codex/home.js'
import { deadSessionMessage } from './codex/outcome.js'
import type { ProvidedCodex } from './codex/provide.js'
import { runCodexExec, type CodexResult } from './codex/run.js'
import { InputError, type Config } from './inputs.js'
import { maskSession } from './masking.js'
import { Input, Output } from './names.js'
import { writeSummary } from './report.js'
import type { SessionStorage } from './storage/index.js'

/** What running codex needs, checked before anything is written. */
export interface Invocation {
  readonly prompt: string
}

/** Reads the prompt and checks the paths of mode run up front: a bad input must change nothing. */
export async function prepareInvocation(config: Config): Promise<Invocation | undefined> {
  if (config.mode === 'setup') return undefined
  const stat = await fs.stat(config.workingDirectory).catch(() => undefined)
  if (!stat?.isDirectory()) {
    throw new InputError(
      `Input '${Input.WorkingDirectory}': ${config.workingDirectory} is not a directory.`
    )
  }
  if (config.codexPath !== undefined) {
    await fs.access(config.codexPath, fsConstants.X_OK).catch(() => {
      throw new InputError(
        `Input '${Input.CodexPath}': ${config.codexPath} is not an executable file.`
      )
    })
  }
  if (config.promptFile === undefined) return { prompt: config.prompt! }
  const prompt = await fs.readFile(config.promptFile, 'utf8').catch(() => {
    throw new InputError(`Input '${Input.PromptFile}': cannot read ${config.promptFile}.`)
  })
  if (prompt.trim() === '') {
    throw new InputError(`Input '${Input.PromptFile}': ${config.promptFile} is empty.`)
  }
  return { prompt }
}

/** Runs codex exec (mode run) and reports; returns the session it refreshed to, if it did. */
export async function invokeCodex(
  config: Config,
  codex: ProvidedCodex,
  invocation: Invocation | undefined,
  start: Candidate,
  storage: SessionStorage
): Promise<Session | undefined> {
  if (invocation === undefined) {
    setSessionOutputs(start.session, false)
    core.info(`Setup mode: ${config.codexHome} holds the session; later steps can run codex.`)
    await writeSummary('Codex session ready (setup mode)', sessionRows(start, start.session, false))
    return undefined
  }

  const result = await runCodexExec({
    codexPath: codex.executable,
    codexHome: config.codexHome,
    prompt: invocation.prompt,
    codexArgs: config.codexArgs,
    workingDirectory: config.workingDirectory,
    outputFile: config.outputFile
  })
  const onDisk = await readSession(config.codexHome)
  if (onDisk.kind !== 'session') {
    core.warning(
      `${authFilePath(config.codexHome)} is ${onDisk.kind === 'missing' ? 'gone' : `not usable any more (${onDisk.problem})`} after the run.`
    )
  }
  const after = onDisk.kind === 'session' ? onDisk.session : start.session
  const refreshed = after.fingerprint !== start.session.fingerprint
  setSessionOutputs(after, refreshed)
  core.setOutput(Output.CodexExitCode, String(result.exitCode))
  core.setOutput(Output.FinalMessage, result.finalMessage)
  core.info(
    refreshed
      ? `Codex refreshed the session (last_refresh ${after.lastRefresh}); the post step will store it.`
      : 'Codex did not refresh the session on this run.'
  )
  await writeSummary('Codex run', [
    ...sessionRows(start, after, refreshed),
    ['codex exit code', String(result.exitCode)]
  ])
  if (result.exitCode !== 0) core.setFailed(await failureMessage(result, start, storage))
  return refreshed ? after : undefined
}

async function failureMessage(
  result: CodexResult,
  start: Candidate,
  storage: SessionStorage
): Promise<string> {
  if (result.deadSession === 'reused') {
    // Another job may have refreshed the same session and stored the result: then it lives on.
    const newest = await storage.loadNewest().catch(() => undefined)
    maskSession(newest)
    if (newest && isNewer(newest, start.session)) {
      return (
        'Codex could not refresh the session because its refresh token was already used: another job ' +
        `using the same session refreshed it and stored a newer one (last refreshed ${newest.lastRefresh}) ` +
        'while this job ran. Re-run this job to start from the newer session. To avoid this, do not ' +
        'run jobs that share one session at the same time (use a concurrency group).'
      )
    }
  }
  if (result.deadSession) return deadSessionMessage(result.deadSession)
  const last = result.errors.at(-1)
  return `codex exec failed with exit code ${result.exitCode}${last ? `: ${last}` : '.'}`
}

function setSessionOutputs(session: Session, refreshed: boolean): void {
  core.setOutput(Output.Refreshed, String(refreshed))
  core.setOutput(Output.LastRefresh, session.lastRefresh)
  core.setOutput(Output.ExpiresAt, session.accessTokenExpiresAt?.toISOString() ?? '')
}

function sessionRows(start: Candidate, session: Session, refreshed: boolean): [string, string][] {
  return [
    ['session source', start.source],
    ['refreshed during this step', String(refreshed)],
    ['last refresh', session.lastRefresh],
    ['access token expires', session.accessTokenExpiresAt?.toISOString() ?? 'unknown']
  ]
}
