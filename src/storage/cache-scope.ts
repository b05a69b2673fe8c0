/**
 * Can a session saved to the Actions cache from this run serve the runs that come after it?
 * The cache scopes entries by ref: an entry saved on a feature branch or by a pull request is
 * invisible to the default branch, and some runs get a read-only cache token. Pure.
 */
import { decodeJwtPayload } from '../auth/jwt.js'
import type { Writability } from './types.js'

export interface RunContext {
  /** GITHUB_REF, e.g. refs/heads/main or refs/pull/7/merge. */
  readonly ref: string
  readonly eventName: string
  /** refs/heads/<default branch> from the event payload; undefined when the payload has none. */
  readonly defaultRef: string | undefined
  /** Whether the cache service is configured for this job (cache.isFeatureAvailable()). */
  readonly serviceAvailable: boolean
  /** ACTIONS_CACHE_MODE, lower-cased; '' when unset. */
  readonly cacheMode: string
  readonly runtimeToken: string | undefined
}

const PULL_REQUEST_REF = /^refs\/pull\//

export function cacheWriteBlocker(run: RunContext, allowAnyBranch: boolean): Writability {
  if (!run.serviceAvailable) {
    return blocked(
      'the Actions cache service is not available to this job',
      'run on GitHub Actions, or use storage: directory on a self-hosted runner'
    )
  }
  if (['none', 'read'].includes(run.cacheMode)) {
    return blocked(
      `this run's cache mode (ACTIONS_CACHE_MODE=${run.cacheMode}) does not permit writes`,
      'run the action where the cache is writable, e.g. on the default branch'
    )
  }
  if (isReadOnlyToken(run.runtimeToken)) {
    return blocked(
      "this run's cache token is read-only (GitHub gives read-only cache access to untrusted events, " +
        'such as pull requests from forks)',
      'run the action on the default branch, e.g. in a push or scheduled workflow'
    )
  }
  if (allowAnyBranch) return { ok: true }
  if (run.eventName === 'pull_request' || PULL_REQUEST_REF.test(run.ref)) {
    return blocked(
      `this is a ${run.eventName} run: a cache entry it saves belongs to ${run.ref}, and no run of the ` +
        'default branch can restore it',
      'run the action only on the default branch (if: github.ref_name == github.event.repository.default_branch), ' +
        'or set allow-any-branch: true if this pull request owns its own session'
    )
  }
  if (run.defaultRef !== undefined && run.ref !== run.defaultRef) {
    return blocked(
      `this run is on ${run.ref}, not on the default branch (${run.defaultRef}): cache entries saved ` +
        'here are invisible to the default branch',
      'run the action on the default branch, or set allow-any-branch: true for a branch that owns its ' +
        'own session'
    )
  }
  return { ok: true }
}

/** A runtime token whose `ac` claim grants no scope the write permission (Write = 2). */
export function isReadOnlyToken(token: string | undefined): boolean {
  const claim = token === undefined ? undefined : decodeJwtPayload(token)?.ac
  if (typeof claim !== 'string') return false // not a token we can read: let the service decide
  try {
    const scopes: unknown = JSON.parse(claim)
    // Stryker disable next-line ConditionalExpression: equivalent, JSON that is not a list has no .some, and the TypeError is caught below: false either way
    if (!Array.isArray(scopes)) return false
    return !scopes.some(
      scope => typeof scope?.Permission === 'number' && (scope.Permission & 2) !== 0
    )
  } catch {
    return false
  }
}

function blocked(reason: string, fix: string): Writability {
  return { ok: false, reason, fix }
}
