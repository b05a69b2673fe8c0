/** The main step: bootstrap the session (phase 1), then provide and invoke Codex (phase 2). */
import * as core from '@actions/core'
import { authFilePath } from '../codex/home.js'
import { askVersion, provideCodex } from '../codex/provide.js'
import { Output } from '../names.js'
import { chooseStart, writeStart } from './bootstrap.js'
import { checkInputsOnDisk } from './checks.js'
import { invokeCodex } from './invoke.js'
import { writeSummary } from './report.js'
import { setUpStep } from './setup.js'
import { saveMainState, type MainState } from './state.js'
import { runStep } from './step.js'
import { PhaseClock, renderSummary, sourceWhere } from './summary.js'
import { verifySession } from './verify.js'

export async function run(): Promise<void> {
  await runStep(async () => {
    const clock = new PhaseClock()
    const { config, seed, store } = await setUpStep()
    // Read-only, so it runs while the session is restored (verify runs no Codex).
    const codexPathVersion =
      config.codexPath === undefined || config.mode === 'verify'
        ? undefined
        : askVersion(config.codexPath)
    const invocation = await checkInputsOnDisk(config)
    if (config.mode === 'verify') return verifySession({ config, seed, store, clock })
    // Everything that can refuse the run comes before anything is installed or written.
    const start = await chooseStart({ codexHome: config.codexHome, seed, store, now: new Date() })
    clock.end('bootstrap: choose the session')
    const codex = await provideCodex({
      codexPath: config.codexPath,
      codexVersion: config.codexVersion,
      registryUrl: config.registryUrl,
      projectDir: config.run?.workingDirectory ?? process.cwd(),
      codexPathVersion
    })
    core.setOutput(Output.CodexVersion, codex.version)
    clock.end('invoke: provide Codex')
    await writeStart(config.codexHome, start)
    clock.end('bootstrap: write CODEX_HOME')

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

    const invoked = await invokeCodex({
      codexHome: config.codexHome,
      run: config.run,
      invocation,
      codex,
      start,
      store,
      passThroughEnv: config.passThroughEnv,
      otherSessions: seed ? [seed] : []
    })
    clock.end(config.run ? 'invoke: codex exec' : 'invoke: none (setup mode)')
    saveMainState({
      ...state,
      ...(invoked.refreshed ? { refreshedFingerprint: invoked.session.fingerprint } : {}),
      phases: clock.phases
    })
    await writeSummary(
      renderSummary({
        step: 'main',
        mode: config.mode,
        source: start.source,
        sourceWhere: sourceWhere(start.source, authFilePath(config.codexHome), store.description),
        session: invoked.session,
        refreshed: invoked.refreshed,
        saved: store.keepsSessions
          ? { kind: 'by-post', where: store.description }
          : { kind: 'kept-in-place', where: authFilePath(config.codexHome) },
        ...(start.storedVersion
          ? { generation: { version: start.storedVersion, savedAt: start.storedAt } }
          : {}),
        codexExitCode: invoked.codexExitCode,
        phases: clock.phases,
        now: new Date()
      })
    )
  })
}
