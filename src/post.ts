/** Entry of the post step (phase 3): store the session Codex refreshed, even when the job failed. */
import * as core from '@actions/core'
import { readConfig } from './inputs.js'
import { maskSecretInputs } from './masking.js'
import { persistSession, type PersistOutcome } from './persist.js'
import { State } from './names.js'
import { writeSummary } from './report.js'
import { runStep } from './step.js'
import { SaveError, createStorage, type SessionStorage } from './storage/index.js'

await runStep(async () => {
  const codexHome = core.getState(State.CodexHome)
  const startFingerprint = core.getState(State.StartFingerprint)
  if (codexHome === '' || startFingerprint === '') {
    core.info('Nothing to store: the main step stopped before it set up a session.')
    return
  }
  const config = readConfig()
  maskSecretInputs(config)
  const storage = await createStorage(config)
  let outcome: PersistOutcome
  try {
    outcome = await persistSession({ codexHome, startFingerprint, storage })
  } catch (error) {
    if (!(error instanceof SaveError)) throw error
    throw new SaveError(lostSessionMessage(error.message, codexHome))
  }
  await report(outcome, codexHome, storage)
})

async function report(
  outcome: PersistOutcome,
  codexHome: string,
  storage: SessionStorage
): Promise<void> {
  switch (outcome.kind) {
    case 'no-session':
      return
    case 'missing':
      core.warning(
        `${codexHome}/auth.json is gone (removed by a later step, or codex logout): nothing to store.`
      )
      return
    case 'corrupt':
      throw new SaveError(
        `${codexHome}/auth.json is not a usable session any more, so it was not stored: ${outcome.problem} ` +
          'The stored session was left as it was. If Codex refreshed the session during this job, that ' +
          'stored copy is now used up: sign in again with `codex login` and update the auth-json secret.'
      )
    case 'unchanged': {
      core.info('The session did not change during this job: nothing to store.')
      const writable = await storage.checkWritable()
      if (!writable.ok)
        core.notice(`This run could not have stored a refreshed session: ${writable.reason}.`)
      return
    }
    case 'already-stored':
      core.info('The refreshed session is already stored.')
      return
    case 'saved':
      core.info(
        `Stored the refreshed session (last refresh ${outcome.session.lastRefresh}) in ${outcome.where}.`
      )
      await writeSummary('Codex session stored', [
        ['stored in', outcome.where],
        ['last refresh', outcome.session.lastRefresh]
      ])
      return
    case 'newer-stored':
      throw new SaveError(
        `The refreshed session was NOT stored: a newer one (last refresh ${outcome.stored.lastRefresh}) ` +
          `is already stored, and an older session never replaces a newer one. Another job is using the ` +
          'same session at the same time; only one of the two refresh chains can stay valid. Give each ' +
          'concurrent user its own sign-in, or serialise the jobs with a concurrency group.'
      )
  }
}

function lostSessionMessage(reason: string, codexHome: string): string {
  return (
    `The refreshed session could not be stored: ${reason}. It now exists only in ${codexHome}/auth.json ` +
    'on this runner, and the stored copy (or the secret) holds a refresh token that no longer works. ' +
    'To recover: copy that auth.json from this runner into the auth-json secret if the runner is still ' +
    'up; otherwise run `codex login` on a trusted machine and update the secret.'
  )
}
