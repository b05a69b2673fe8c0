/** Entry of the main step: bootstrap the session (phase 1), then provide and invoke Codex (phase 2). */
import * as core from '@actions/core'
import { chooseStart, writeStart } from './bootstrap.js'
import { provideCodex } from './codex/provide.js'
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
  const storage = await createStorage(config)
  // Everything that can refuse the run comes before anything is installed or written.
  const start = await chooseStart(config, storage, new Date())
  const codex = await provideCodex(config)
  await writeStart(config, start)

  // From here on a refresh can happen: post must know what we started from, whatever fails next.
  core.saveState(State.CodexHome, config.codexHome)
  core.saveState(State.StartFingerprint, start.session.fingerprint)
  core.saveState(State.AuthSource, start.source)
  core.exportVariable('CODEX_HOME', config.codexHome)
  core.setOutput(Output.CodexHome, config.codexHome)
  core.setOutput(Output.AuthSource, start.source)

  const refreshed = await invokeCodex(config, codex, invocation, start, storage)
  if (refreshed) core.saveState(State.RefreshedFingerprint, refreshed.fingerprint)
})
