/** Entry of the post step (phase 3): store the session Codex refreshed, even when the job failed. */
import * as core from '@actions/core'
import { readConfig } from './inputs.js'
import { maskSecretInputs } from './masking.js'
import { State } from './names.js'
import { persistSession, reportPersisted } from './persist.js'
import { runStep } from './step.js'
import { createStorage } from './storage/index.js'

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
  const refreshedFingerprint = core.getState(State.RefreshedFingerprint)
  const outcome = await persistSession({
    codexHome,
    startFingerprint,
    refreshedFingerprint,
    storage
  })
  await reportPersisted(outcome, codexHome, storage)
})
