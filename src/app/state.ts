/**
 * The one typed value main hands to post (through GITHUB_STATE): where the session lives, what
 * main started from (including the stored version it restored, so post can tell whether another
 * job stored one since), and what Codex refreshed to. Fingerprints and timestamps only: no token.
 */
import * as core from '@actions/core'
import { State, type AuthSource, type Role } from '../names.js'
import type { Phase } from './summary.js'

export interface MainState {
  readonly codexHome: string
  readonly start: {
    readonly source: AuthSource
    /** SHA-256 over the tokens: changes on every refresh. */
    readonly fingerprint: string
    readonly lastRefresh: string
    /** The newest stored version main saw (restored or not); undefined when none was stored. */
    readonly storedVersion: string | undefined
    /** Whether that version could be read: an unreadable one is never pruned on its account. */
    readonly storedReadable: boolean
  }
  /** Set when Codex refreshed the session during the main step. */
  readonly refreshedFingerprint?: string
  /** How long main's phases took, for the post step's summary. */
  readonly phases?: readonly Phase[]
  /** owner when absent (states written before roles existed). */
  readonly role?: Role
  /**
   * refresher: the working copy that refresh-ahead handed Codex. It is never stored: when it is
   * still in CODEX_HOME after the run, Codex did not refresh, and the original stays stored.
   */
  readonly forcedFingerprint?: string
}

export function saveMainState(state: MainState): void {
  core.saveState(State.Session, JSON.stringify(state))
}

/** The state main left, or undefined when main stopped before it set up a session. */
export function loadMainState(
  read: (name: string) => string = core.getState
): MainState | undefined {
  const text = read(State.Session)
  if (text === '') return undefined
  const value = JSON.parse(text) as MainState
  if (typeof value?.codexHome !== 'string' || typeof value.start?.fingerprint !== 'string') {
    throw new Error('the state left by the main step is not one this release wrote')
  }
  return value
}
