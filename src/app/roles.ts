/**
 * Fan-out: one refresher holds the rotating session, any number of consumers run on a bundle
 * derived from it (the access and id tokens, never the refresh token).
 *
 * - consumer: starts only from a bundle (stored by the refresher, or the auth-json input), refuses
 *   one that expires within min-validity before Codex runs, and stores nothing.
 * - refresher: when the access token expires within refresh-ahead, hands Codex a working copy that
 *   Codex refreshes through its own refresh path; if it does not, the original session is put back
 *   and stays stored. After each run, once the full session is stored, it publishes the bundle.
 */
import * as core from '@actions/core'
import {
  bundleValidity,
  consumerBundle,
  formatDuration,
  forcedRefreshCopy,
  isNewer,
  refreshAheadPlan,
  type Session
} from '../auth/index.js'
import { authFilePath, readSession, unsafeAuthFile, writeAuthFile } from '../codex/home.js'
import { ActionError } from '../errors.js'
import { Input } from '../names.js'
import { describeFsError } from '../platform/files.js'
import { maskSession } from '../platform/secrets.js'
import type { SessionStore } from '../storage/index.js'
import {
  BootstrapError,
  chooseSession,
  describeAge,
  describeSource,
  type Candidate,
  type Start
} from './bootstrap.js'
import type { PersistOutcome } from './persist.js'

const RUN_THE_REFRESHER =
  'Run the refresher job (role: refresher, same storage) to publish a fresh bundle, and run it ' +
  'more often than its refresh-ahead so that consumers always find one.'

export interface ConsumerStartInput {
  readonly codexHome: string
  /** The auth-json input, parsed as a bundle. */
  readonly seed: Session | undefined
  readonly bundleStore: SessionStore
  readonly minValidityMs: number
  readonly now: Date
}

/**
 * The bundle a consumer starts from: the newest of the one already in CODEX_HOME, the one the
 * refresher stored and the auth-json input. Refused, before anything is written or run, when none
 * is found or when its access token expires within min-validity. Never a full session.
 */
export async function consumerStart({
  codexHome,
  seed,
  bundleStore,
  minValidityMs,
  now
}: ConsumerStartInput): Promise<Start> {
  const candidates: Candidate[] = []
  const disk = await readConsumerDisk(codexHome)
  if (disk) candidates.push({ source: 'disk', session: disk })
  // A GitHub secret cannot be read back: its consumers get the bundle through auth-json.
  const stored = bundleStore.readsBack ? await bundleStore.load() : { kind: 'empty' as const }
  switch (stored.kind) {
    case 'found':
      maskSession(stored.session) // not every storage masks what it read
      candidates.push({ source: 'storage', session: stored.session })
      break
    case 'unreadable':
      core.warning(`Ignoring the stored consumer bundle: ${stored.reason}`)
      break
    case 'unavailable':
      // Falling back to an older bundle is harmless (it cannot refresh), but say so.
      core.warning(
        `Could not read the consumer bundle from ${bundleStore.description}: ${stored.reason}.`
      )
  }
  if (seed) candidates.push({ source: 'secret', session: seed })
  const chosen = chooseSession(candidates, now)
  if (!chosen) {
    throw new BootstrapError(
      `No consumer bundle to start from (role: consumer): ${bundleStore.description} holds none` +
        (stored.kind === 'unavailable' ? ' that could be read' : '') +
        `, and the '${Input.AuthJson}' input is empty. ${RUN_THE_REFRESHER}`
    )
  }
  const where = describeSource(chosen.source, codexHome, bundleStore)
  const validity = bundleValidity(chosen.session, minValidityMs, now)
  if (!validity.usable) {
    const problem =
      validity.problem === 'no-expiry'
        ? 'its access token has no readable expiry, so it cannot be checked'
        : validity.problem === 'expired'
          ? `its access token expired at ${validity.expiresAt.toISOString()}`
          : `its access token expires at ${validity.expiresAt.toISOString()}, within ` +
            `${Input.MinValidity} (${formatDuration(minValidityMs)})`
    throw new BootstrapError(
      `The consumer bundle from ${where} cannot be used: ${problem}. A bundle cannot be refreshed, ` +
        `and Codex would fail once the token is rejected. Codex was not run. ${RUN_THE_REFRESHER}`
    )
  }
  core.info(`Using the consumer bundle from ${where} (${describeAge(chosen.session)}).`)
  return {
    ...chosen,
    storedVersion: stored.kind === 'found' ? stored.version : undefined,
    storedReadable: stored.kind === 'found'
  }
}

/** A bundle already in CODEX_HOME; a full session there is refused, never overwritten. */
async function readConsumerDisk(codexHome: string): Promise<Session | undefined> {
  const unsafe = await unsafeAuthFile(codexHome)
  if (unsafe)
    throw new BootstrapError(
      `Input '${Input.CodexHome}': ${unsafe}; the action will not use it. Nothing was changed.`
    )
  const read = (item: 'session' | 'consumer') =>
    readSession(codexHome, { item }).catch((error: unknown) => {
      throw new BootstrapError(
        `Could not read ${authFilePath(codexHome)}: ${describeFsError(error)}. Fix its permissions, ` +
          `or set '${Input.CodexHome}' to another directory.`
      )
    })
  if ((await read('session')).kind === 'session') {
    throw new BootstrapError(
      `${authFilePath(codexHome)} holds a full session (with a refresh token). A consumer never uses ` +
        'one and never overwrites it (its refresh token would be lost). Set ' +
        `'${Input.CodexHome}' to another directory for the consumer, e.g. \${{ runner.temp }}/codex.`
    )
  }
  const bundle = await read('consumer')
  if (bundle.kind === 'corrupt') {
    throw new BootstrapError(
      `${authFilePath(codexHome)} exists but is neither a session nor a consumer bundle: ` +
        `${bundle.problem} The action does not replace a file it cannot read. Remove it, or set ` +
        `'${Input.CodexHome}' to another directory.`
    )
  }
  return bundle.kind === 'session' ? bundle.session : undefined
}

export interface RefreshAhead {
  /** The working copy Codex is handed instead of the session; it is never stored. */
  readonly copy: Session
  readonly expiresAt: Date
}

/**
 * refresher: the working copy to hand Codex when the session's access token expires within
 * refresh-ahead (and Codex would not refresh it on its own). Only in mode run: in setup mode no
 * run of Codex is known to follow. Refused when a refresh could not be stored.
 */
export async function planRefreshAhead(
  start: Start,
  store: SessionStore,
  { refreshAheadMs, runsCodex, now }: { refreshAheadMs: number; runsCodex: boolean; now: Date }
): Promise<RefreshAhead | undefined> {
  const plan = refreshAheadPlan(start.session, refreshAheadMs, now)
  const expiresAt = start.session.accessTokenExpiresAt
  if (plan !== 'force' || expiresAt === undefined) return undefined
  const ahead = `${Input.RefreshAhead} (${formatDuration(refreshAheadMs)})`
  if (!runsCodex) {
    core.info(
      `The access token expires at ${expiresAt.toISOString()}, within ${ahead}; in setup mode the ` +
        'refresher does not force a refresh (mode run does).'
    )
    return undefined
  }
  const writable = await store.checkWritable()
  if (!writable.ok) {
    throw new BootstrapError(
      `The access token expires at ${expiresAt.toISOString()}, within ${ahead}, so Codex would be made ` +
        `to refresh the session on this run, but the refreshed session could not be stored: ` +
        `${writable.reason}. Nothing was changed. To fix: ${writable.fix}.`
    )
  }
  core.info(
    `The access token expires at ${expiresAt.toISOString()}, within ${ahead}: Codex refreshes the ` +
      'session on this run (through its own refresh path).'
  )
  return { copy: forcedRefreshCopy(start.session, now), expiresAt }
}

/**
 * After the run: when CODEX_HOME still holds the working copy, Codex did not refresh. The original
 * session goes back into CODEX_HOME (it stays what is stored), and the step fails loudly.
 */
export async function settleRefreshAhead(
  codexHome: string,
  start: Start,
  forced: RefreshAhead
): Promise<void> {
  const onDisk = await readSession(codexHome)
  if (onDisk.kind === 'session' && onDisk.session.fingerprint !== forced.copy.fingerprint) return
  await writeAuthFile(codexHome, start.session)
  throw new ActionError(
    `${Input.RefreshAhead}: Codex was made to refresh the session (its access token expires at ` +
      `${forced.expiresAt.toISOString()}), but it did not refresh it (see the errors above). The ` +
      `original session was put back into ${authFilePath(codexHome)} and is what stays stored; ` +
      'consumers keep the bundle published before until that time. Re-run the refresher; if the ' +
      'refresh keeps failing, sign in again with `codex login` and update the auth-json secret.'
  )
}

/** The session whose bundle the refresher publishes after post, if there is one. */
export function sessionToPublish(outcome: PersistOutcome): Session | undefined {
  return outcome.kind === 'missing' ? undefined : outcome.session
}

/** The bundle could not be published: the full session is stored, consumers keep the old bundle. */
export class BundleNotPublishedError extends ActionError {}

/**
 * refresher, post: publishes the consumer bundle of the session that is now stored (called only
 * after it is). A newer bundle already published is kept.
 */
export async function publishBundle(session: Session, bundleStore: SessionStore): Promise<void> {
  const bundle = consumerBundle(session)
  try {
    await bundleStore.exclusive(async () => {
      let checked: string | undefined
      if (bundleStore.readsBack) {
        const current = await bundleStore.load()
        if (current.kind === 'found') {
          if (current.session.fingerprint === bundle.fingerprint) {
            core.info(`The consumer bundle in ${bundleStore.description} is current.`)
            return
          }
          if (isNewer(current.session, bundle, new Date())) {
            core.info(
              `A newer consumer bundle is already published in ${bundleStore.description}; kept.`
            )
            return
          }
          checked = current.version
        } else if (current.kind === 'unavailable') {
          // Not knowing what is published is not "nothing published": a newer bundle may be there.
          throw new ActionError(`could not read the bundle published before (${current.reason})`)
        } else if (current.kind === 'unreadable') {
          core.warning(
            `The consumer bundle in ${bundleStore.description} cannot be used ` +
              `(${current.reason}): replacing it.`
          )
        }
      }
      const written = await bundleStore.write(bundle)
      await bundleStore.prune(written, checked)
      const expires = bundle.accessTokenExpiresAt?.toISOString() ?? 'unknown'
      core.info(
        `Published the consumer bundle (access token valid until ${expires}) in ${written.where}.`
      )
    })
  } catch (error) {
    throw new BundleNotPublishedError(
      `The session is stored, but the consumer bundle could not be published in ` +
        `${bundleStore.description}: ${(error as Error).message}. Consumers keep the bundle ` +
        'published before, until its access token expires. Re-run the refresher.'
    )
  }
}
