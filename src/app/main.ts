/** The main step: bootstrap the session (phase 1), then provide and invoke Codex (phase 2). */
import * as core from '@actions/core'
import { authFilePath } from '../codex/home.js'
import { provideCodex } from '../codex/provide.js'
import { Output } from '../names.js'
import { chooseStart, writeStart } from './bootstrap.js'
import { checkInputsOnDisk } from './checks.js'
import { invokeCodex } from './invoke.js'
import { writeSummary } from './report.js'
import { consumerStart, planRefreshAhead, settleRefreshAhead } from './roles.js'
import { setUpStep } from './setup.js'
import { saveMainState, type MainState } from './state.js'
import { runStep } from './step.js'
import { PhaseClock, renderSummary, sourceWhere } from './summary.js'
import { verifySession } from './verify.js'

export async function run(): Promise<void> {
  await runStep(async () => {
    const clock = new PhaseClock()
    const { config, seed, store, bundleStore } = await setUpStep()
    const invocation = await checkInputsOnDisk(config)
    if (config.mode === 'verify') return verifySession({ config, seed, store, clock })
    // Everything that can refuse the run comes before anything is installed or written.
    const now = new Date()
    const start =
      config.role === 'consumer'
        ? await consumerStart({
            codexHome: config.codexHome,
            seed,
            bundleStore: bundleStore!,
            minValidityMs: config.minValidityMs,
            now
          })
        : await chooseStart({ codexHome: config.codexHome, seed, store, now })
    const forced =
      config.role === 'refresher'
        ? await planRefreshAhead(start, store, {
            refreshAheadMs: config.refreshAheadMs,
            runsCodex: config.run !== undefined,
            now
          })
        : undefined
    clock.end('bootstrap: choose the session')
    // Only now that nothing refuses the run: a refused run starts no Codex process at all.
    const codex = await provideCodex({
      codexPath: config.codexPath,
      codexVersion: config.codexVersion,
      registryUrl: config.registryUrl,
      projectDir: config.run?.workingDirectory ?? process.cwd()
    })
    core.setOutput(Output.CodexVersion, codex.version)
    clock.end('invoke: provide Codex')
    await writeStart(config.codexHome, start, forced?.copy)
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
      },
      ...(config.role === 'owner' ? {} : { role: config.role }),
      ...(forced ? { forcedFingerprint: forced.copy.fingerprint } : {})
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
      // Codex starts from the working copy when refresh-ahead made one.
      start: forced ? { ...start, session: forced.copy } : start,
      store,
      passThroughEnv: config.passThroughEnv,
      otherSessions: [...(seed ? [seed] : []), ...(forced ? [start.session] : [])],
      item: config.role === 'consumer' ? 'consumer' : 'session'
    })
    clock.end(config.run ? 'invoke: codex exec' : 'invoke: none (setup mode)')
    saveMainState({
      ...state,
      ...(invoked.refreshed ? { refreshedFingerprint: invoked.session.fingerprint } : {}),
      phases: clock.phases
    })
    const sourceStore = config.role === 'consumer' ? bundleStore! : store
    await writeSummary(
      renderSummary({
        step: 'main',
        mode: config.mode,
        source: start.source,
        sourceWhere: sourceWhere(
          start.source,
          authFilePath(config.codexHome),
          sourceStore.description
        ),
        session: invoked.session,
        refreshed: invoked.refreshed,
        saved:
          config.role === 'consumer'
            ? { kind: 'consumer', where: sourceStore.description }
            : store.keepsSessions
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
    if (forced) await settleRefreshAhead(config.codexHome, start, forced)
  })
}
