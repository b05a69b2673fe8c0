/** Entry of the main step: bootstrap the session (phase 1), then invoke Codex (phase 2). */
import * as core from '@actions/core'
import { bootstrap } from './bootstrap.js'
import { readConfig } from './inputs.js'
import { invokeCodex, prepareInvocation } from './invoke.js'
import { maskSecretInputs } from './masking.js'
import { Output, State } from './names.js'
import { runStep } from './step.js'
import { createStorage } from './storage/index.js'

await runStep(async () => {
  const config = readConfig()
  maskSecretInputs(config)
  const invocation = await prepareInvocation(config)
  const storage = createStorage(config)
  const start = await bootstrap(config, storage, new Date())

  // From here on a refresh can happen: post must know what we started from, whatever fails next.
  core.saveState(State.CodexHome, config.codexHome)
  core.saveState(State.StartFingerprint, start.session.fingerprint)
  core.saveState(State.AuthSource, start.source)
  core.exportVariable('CODEX_HOME', config.codexHome)
  core.setOutput(Output.CodexHome, config.codexHome)
  core.setOutput(Output.AuthSource, start.source)

  await invokeCodex(config, invocation, start, storage)
})
