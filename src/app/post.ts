/** The post step (phase 3): store the session Codex refreshed, even when the job failed. */
import * as core from '@actions/core'
import { authFilePath } from '../codex/home.js'
import { Input } from '../names.js'
import { preloadWriting, type SessionStore } from '../storage/index.js'
import type { Config } from './inputs.js'
import { notStored, persistSession, reportPersisted, type PersistOutcome } from './persist.js'
import { annotate, writeSummary } from './report.js'
import type { Session } from '../auth/index.js'
import { publishBundle, sessionToPublish } from './roles.js'
import { setUpStep } from './setup.js'
import { loadMainState, type MainState } from './state.js'
import { runStep } from './step.js'
import {
  PhaseClock,
  renderSummary,
  sessionAnnotations,
  sourceWhere,
  type SavedFact
} from './summary.js'

export async function run(): Promise<void> {
  await runStep(async () => {
    if (core.getInput(Input.Mode).trim() === 'verify') {
      core.info('Nothing to store: verify mode runs no Codex and sets up no session.')
      return
    }
    const state = loadMainState()
    if (state === undefined) {
      core.info('Nothing to store: the main step stopped before it set up a session.')
      return
    }
    if (state.role === 'consumer') {
      core.info('role: consumer: nothing is stored (a consumer bundle cannot be refreshed).')
      return
    }
    await preloadWriting(core.getInput(Input.Storage).trim())
    const clock = new PhaseClock()
    let setup: { config: Config; store: SessionStore } | undefined
    let published: { session: Session; bundleStore: SessionStore } | undefined
    try {
      // Main checked the actor before it saved the state; asking again could only lose the session.
      const stepSetup = await setUpStep(process.env, { checkActor: false })
      setup = stepSetup
      const { store, bundleStore } = stepSetup
      const outcome = await persistSession({ state, store, now: new Date() })
      reportPersisted(outcome, state.codexHome)
      clock.end('write back')
      const now = new Date()
      const writable =
        outcome.kind === 'unchanged' && !store.probesByWriting
          ? await store.checkWritable()
          : undefined
      const saved = savedFact(outcome, state.codexHome)
      const session = outcome.kind === 'missing' ? undefined : outcome.session
      annotate(sessionAnnotations({ session, saved, writable, now }))
      await writeSummary(postSummary(state, setup, saved, outcome, clock, now))
      const toPublish = sessionToPublish(outcome)
      if (state.role === 'refresher' && bundleStore && toPublish)
        published = { session: toPublish, bundleStore }
    } catch (error) {
      // Whatever failed, the session in CODEX_HOME may be the only valid one: say so, and how to recover.
      clock.end('write back')
      if (setup)
        await writeSummary(
          postSummary(state, setup, { kind: 'not-saved' }, undefined, clock, new Date())
        )
      throw notStored(error, state.codexHome)
    }
    // refresher: only now that the full session is stored, the bundle derived from it.
    if (published) await publishBundle(published.session, published.bundleStore)
  })
}

function savedFact(outcome: PersistOutcome, codexHome: string): SavedFact {
  switch (outcome.kind) {
    case 'stored':
      return { kind: 'saved', where: outcome.written.where }
    case 'kept-in-place':
      return { kind: 'kept-in-place', where: authFilePath(codexHome) }
    case 'already-stored':
      return { kind: 'already-saved' }
    case 'unchanged':
    case 'missing':
      return { kind: outcome.kind }
  }
}

function postSummary(
  state: MainState,
  { config, store }: { config: Config; store: SessionStore },
  saved: SavedFact,
  outcome: PersistOutcome | undefined,
  clock: PhaseClock,
  now: Date
) {
  const { source, storedVersion } = state.start
  const generation =
    outcome?.kind === 'stored'
      ? { version: outcome.written.version, savedAt: now }
      : outcome?.kind === 'unchanged' && storedVersion
        ? { version: storedVersion }
        : undefined
  return renderSummary({
    step: 'post',
    mode: config.mode,
    source,
    sourceWhere: sourceWhere(source, authFilePath(state.codexHome), store.description),
    session: outcome && outcome.kind !== 'missing' ? outcome.session : undefined,
    refreshed: outcome !== undefined && outcome.kind !== 'unchanged' && outcome.kind !== 'missing',
    saved,
    ...(generation ? { generation } : {}),
    phases: [...(state.phases ?? []), ...clock.phases],
    now
  })
}
