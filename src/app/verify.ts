/**
 * Mode verify: the session a run would start from, read and reported, and nothing else. No Codex,
 * no token endpoint, nothing written to CODEX_HOME or the storage, no state for post. It is the
 * check the Codex CI/CD guide does by hand with jq, done as a run would do it: a health check to
 * schedule.
 */
import * as core from '@actions/core'
import { willCodexRefresh, type Session } from '../auth/index.js'
import { authFilePath } from '../codex/home.js'
import { ActionError } from '../errors.js'
import { Output } from '../names.js'
import type { SessionStore } from '../storage/index.js'
import { chooseSession, gatherCandidates, noSessionMessage } from './bootstrap.js'
import type { Config } from './inputs.js'
import { annotate, writeSummary } from './report.js'
import { renderSummary, sessionAnnotations, sourceWhere, type PhaseClock } from './summary.js'

/** The session is not one a run could start from: the message says why and what to do. */
export class VerifyError extends ActionError {}

export interface VerifyInput {
  readonly config: Config
  readonly seed: Session | undefined
  readonly store: SessionStore
  readonly clock: PhaseClock
}

export async function verifySession({ config, seed, store, clock }: VerifyInput): Promise<void> {
  const now = new Date()
  const { codexHome } = config
  // An unusable auth.json on disk or in auth-json has stopped the step already, naming the fix.
  const { candidates, stored } = await gatherCandidates({ codexHome, seed, store, now })
  if (stored.kind === 'unavailable') {
    throw new VerifyError(
      `Could not read the stored session from ${store.description}: ${stored.reason}. A failed read is ` +
        'not "nothing stored", so which session a run would start from is unknown. This is most likely ' +
        'transient: re-run the job; if it keeps failing, check that this job can reach the storage.'
    )
  }
  const chosen = chooseSession(candidates, now)
  if (!chosen) throw new VerifyError(noSessionMessage(codexHome, store, stored))
  const { session, source } = chosen
  const willRefresh = willCodexRefresh(session, now)
  // Asked only when it matters; a storage that can prove access only by writing is not asked.
  const writable = willRefresh && !store.probesByWriting ? await store.checkWritable() : undefined

  core.setOutput(Output.AuthSource, source)
  core.setOutput(Output.LastRefresh, session.lastRefresh)
  core.setOutput(Output.ExpiresAt, session.accessTokenExpiresAt?.toISOString() ?? '')
  core.setOutput(Output.WillRefresh, String(willRefresh))
  clock.end('verify: read the sessions')

  const summary = renderSummary({
    step: 'main',
    mode: 'verify',
    source,
    sourceWhere: sourceWhere(source, authFilePath(codexHome), store.description),
    session,
    refreshed: false,
    saved: { kind: 'verify', where: store.description },
    ...(stored.kind === 'found' || stored.kind === 'unreadable'
      ? {
          generation: {
            version: stored.version,
            ...(stored.kind === 'found' && stored.savedAt ? { savedAt: stored.savedAt } : {})
          }
        }
      : {}),
    phases: clock.phases,
    now
  })
  core.info('The session a run would start from:')
  for (const [what, value] of summary.rows) core.info(`  ${what}: ${value}`)
  annotate(
    sessionAnnotations({
      session,
      saved: { kind: 'verify', where: store.description },
      writable,
      now
    })
  )
  await writeSummary(summary)
}
