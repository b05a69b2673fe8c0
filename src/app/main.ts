/** The main step: bootstrap the session (phase 1), then provide and invoke Codex (phase 2). */
import * as core from '@actions/core'
import { provideCodex } from '../codex/provide.js'
import { Output } from '../names.js'
import { chooseStart, writeStart } from './bootstrap.js'
import { checkInputsOnDisk } from './checks.js'
import { invokeCodex } from './invoke.js'
import { setUpStep } from './setup.js'
import { saveMainState, type MainState } from './state.js'
import { runStep } from './step.js'

export async function run(): Promise<void> {
  await runStep(async () => {
    const { config, seed, store } = await setUpStep()
    const invocation = await checkInputsOnDisk(config)
    // Everything that can refuse the run comes before anything is installed or written.
    const start = await chooseStart({ codexHome: config.codexHome, seed, store, now: new Date() })
    const codex = await provideCodex({
      codexPath: config.codexPath,
      codexVersion: config.codexVersion,
      registryUrl: config.registryUrl,
      projectDir: config.run?.workingDirectory ?? process.cwd()
    })
    core.setOutput(Output.CodexVersion, codex.version)
    await writeStart(config.codexHome, start)

    // From here on a refresh can happen: post must know what we started from, whatever fails next.
    const state: MainState = {
      codexHome: config.codexHome,
      start: {
        source: start.source,
        fingerprint: start.session.fingerprint,
        lastRefresh: start.session.lastRefresh,
        storedVersion: start.storedVersion,
        storedReadable: start.storedReadable
      }
    }
    saveMainState(state)
    core.exportVariable('CODEX_HOME', config.codexHome)
    core.setOutput(Output.CodexHome, config.codexHome)
    core.setOutput(Output.AuthSource, start.source)

    const refreshed = await invokeCodex({
      codexHome: config.codexHome,
      run: config.run,
      invocation,
      codex,
      start,
      store,
      passThroughEnv: config.passThroughEnv,
      otherSessions: seed ? [seed] : []
    })
    if (refreshed) saveMainState({ ...state, refreshedFingerprint: refreshed.fingerprint })
  })
}
