/** The post step (phase 3): store the session Codex refreshed, even when the job failed. */
import * as core from '@actions/core'
import { notStored, persistSession, reportPersisted } from './persist.js'
import { setUpStep } from './setup.js'
import { loadMainState } from './state.js'
import { runStep } from './step.js'

export async function run(): Promise<void> {
  await runStep(async () => {
    const state = loadMainState()
    if (state === undefined) {
      core.info('Nothing to store: the main step stopped before it set up a session.')
      return
    }
    try {
      // Main checked the actor before it saved the state; asking again could only lose the session.
      const { store } = await setUpStep(process.env, { checkActor: false })
      const outcome = await persistSession({ state, store, now: new Date() })
      await reportPersisted(outcome, state.codexHome, store)
    } catch (error) {
      // Whatever failed, the session in CODEX_HOME may be the only valid one: say so, and how to recover.
      throw notStored(error, state.codexHome)
    }
  })
}
