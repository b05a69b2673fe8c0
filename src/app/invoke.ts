/**
 * Phase 2, invoke: run `codex exec` (mode run), which refreshes the session when it is stale, and
 * report what it did. In setup mode nothing runs here: later steps run codex.
 */
import * as core from '@actions/core'
import { isNewer, type Session } from '../auth/index.js'
import { CredentialWatch } from '../codex/credential-watch.js'
import { authFilePath, readSession } from '../codex/home.js'
import { deadSessionMessage } from '../codex/outcome.js'
import type { ProvidedCodex } from '../codex/provide.js'
import { runCodexExec, type CodexResult } from '../codex/run.js'
import { Output, type StoredItem } from '../names.js'
import { writeFileNoFollow } from '../platform/files.js'
import type { SessionStore } from '../storage/index.js'
import type { Start } from './bootstrap.js'
import type { Invocation } from './checks.js'
import type { RunConfig } from './inputs.js'

export interface InvokeInput {
  readonly codexHome: string
  readonly run: RunConfig | undefined
  readonly invocation: Invocation | undefined
  readonly codex: ProvidedCodex
  readonly start: Start
  readonly store: SessionStore
  readonly passThroughEnv: readonly string[]
  /** Other sessions whose tokens must never reach an output (the auth-json seed). */
  readonly otherSessions: readonly Session[]
  /** What CODEX_HOME holds: a session, or a consumer bundle (role consumer). */
  readonly item?: StoredItem
}

/** What the main step leaves: the session in CODEX_HOME after Codex ran (or did not, in setup mode). */
export interface Invoked {
  readonly session: Session
  readonly refreshed: boolean
  /** Undefined in setup mode, and when a signal ended Codex. */
  readonly codexExitCode: number | undefined
}

/** Runs codex exec (mode run) and reports in outputs and the log. */
export async function invokeCodex(input: InvokeInput): Promise<Invoked> {
  const { codexHome, run, invocation, start, store } = input
  if (run === undefined || invocation === undefined) {
    setSessionOutputs(start.session, false)
    core.info(`Setup mode: ${codexHome} holds the session; later steps can run codex.`)
    return { session: start.session, refreshed: false, codexExitCode: undefined }
  }

  let after: Session = start.session
  const credentials = new CredentialWatch(codexHome, [start.session, ...input.otherSessions])
  const result = await runCodexExec({
    codexPath: input.codex.executable,
    codexHome,
    prompt: invocation.prompt,
    codexArgs: run.codexArgs,
    sandbox: run.sandbox,
    model: run.model,
    effort: run.effort,
    outputSchema: run.outputSchema,
    shellTool: run.shellTool,
    passThroughEnv: input.passThroughEnv,
    workingDirectory: run.workingDirectory,
    // Reading the session masks its new tokens, before any line Codex printed is shown.
    beforeStderrShown: async () => {
      const onDisk = await readSession(codexHome, { item: input.item }).catch((error: Error) => ({
        kind: 'corrupt' as const,
        problem: error.message
      }))
      if (onDisk.kind === 'session') {
        after = onDisk.session
        credentials.add(after)
      } else
        core.warning(
          `${authFilePath(codexHome)} is ${onDisk.kind === 'missing' ? 'gone' : `not usable any more (${onDisk.problem})`} after the run.`
        )
    },
    redact: line => credentials.redact(line)
  })
  // The reply may repeat a credential that a command read (the prompt may carry injected text):
  // outputs are not masked by the runner, and flow into later steps.
  const finalMessage = credentials.redact(result.finalMessage)
  if (finalMessage !== result.finalMessage) {
    core.warning(
      "Codex's final message contained a credential of the ChatGPT session; it was replaced with *** " +
        'in the final-message output and the output file. The prompt may carry injected text that ' +
        'made the model read the session: see the README on what a prompt can reach.'
    )
  }
  if (run.outputFile !== undefined) await writeFileNoFollow(run.outputFile, finalMessage)
  const refreshed = after.fingerprint !== start.session.fingerprint
  setSessionOutputs(after, refreshed)
  core.setOutput(Output.CodexExitCode, result.killed ? '' : String(result.exitCode))
  core.setOutput(Output.FinalMessage, finalMessage)
  core.info(
    refreshed
      ? `Codex refreshed the session (last_refresh ${after.lastRefresh}); the post step will store it.`
      : 'Codex did not refresh the session on this run.'
  )
  if (result.exitCode !== 0) core.setFailed(await failureMessage(result, start, store))
  return {
    session: after,
    refreshed,
    codexExitCode: result.killed ? undefined : result.exitCode
  }
}

async function failureMessage(
  result: CodexResult,
  start: Start,
  store: SessionStore
): Promise<string> {
  if (result.deadSession === 'reused') {
    // Another job may have refreshed the same session and stored the result: then it lives on.
    const newest = await store.load()
    if (newest.kind === 'found' && isNewer(newest.session, start.session, new Date())) {
      return (
        'Codex could not refresh the session because its refresh token was already used: another job ' +
        `using the same session refreshed it and stored a newer one (last refreshed ${newest.session.lastRefresh}) ` +
        'while this job ran. Re-run this job to start from the newer session. To avoid this, do not ' +
        'run jobs that share one session at the same time (use a concurrency group).'
      )
    }
  }
  if (result.deadSession) return deadSessionMessage(result.deadSession)
  if (result.killed)
    return (
      'codex exec was killed by a signal before it finished (out of memory, a time-out, or a cancelled ' +
      'job). Re-run the job; if it happens again, give the runner more memory or the job more time.'
    )
  const last = result.errors.at(-1)?.replace(/\.$/, '')
  return (
    `codex exec failed with exit code ${result.exitCode}${last ? `: ${last}` : ''}. Read what Codex ` +
    "printed above, fix what it reports (the prompt, 'codex-args', 'model'), and re-run."
  )
}

function setSessionOutputs(session: Session, refreshed: boolean): void {
  core.setOutput(Output.Refreshed, String(refreshed))
  core.setOutput(Output.LastRefresh, session.lastRefresh)
  core.setOutput(Output.ExpiresAt, session.accessTokenExpiresAt?.toISOString() ?? '')
}
