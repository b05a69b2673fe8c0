/** Why a run cannot save a session to the cache, word for word, and the corners of the token. */
import { makeJwt } from '../e2e/fakes/authority.js'
import {
  cacheWriteBlocker,
  isReadOnlyToken,
  type RunContext
} from '../../src/storage/cache-scope.js'

const writeToken = makeJwt({ ac: JSON.stringify([{ Scope: 'refs/heads/main', Permission: 3 }]) })
const mainRun: RunContext = {
  ref: 'refs/heads/main',
  eventName: 'push',
  defaultRef: 'refs/heads/main',
  serviceAvailable: true,
  cacheMode: '',
  runtimeToken: writeToken
}
const blocker = (change: Partial<RunContext>) => cacheWriteBlocker({ ...mainRun, ...change }, false)

describe('cacheWriteBlocker: the reason and the fix, in full', () => {
  test('a read-only token', () => {
    const readOnly = makeJwt({ ac: JSON.stringify([{ Scope: 'refs/heads/main', Permission: 1 }]) })
    expect(blocker({ runtimeToken: readOnly })).toEqual({
      ok: false,
      reason:
        "this run's cache token is read-only (GitHub gives read-only cache access to untrusted events, " +
        'such as pull requests from forks)',
      fix: 'run the action on the default branch, e.g. in a push or scheduled workflow'
    })
  })

  test('a pull request', () => {
    expect(blocker({ eventName: 'pull_request', ref: 'refs/pull/7/merge' })).toEqual({
      ok: false,
      reason:
        'this is a pull_request run: a cache entry it saves belongs to refs/pull/7/merge, and no run ' +
        'of the default branch can restore it',
      fix:
        'run the action only on the default branch (if: github.ref_name == ' +
        'github.event.repository.default_branch), or set allow-any-branch: true if this pull request ' +
        'owns its own session'
    })
  })

  test('another branch', () => {
    expect(blocker({ ref: 'refs/heads/feature' })).toEqual({
      ok: false,
      reason:
        'this run is on refs/heads/feature, not on the default branch (refs/heads/main): cache ' +
        'entries saved here are invisible to the default branch',
      fix:
        'run the action on the default branch, or set allow-any-branch: true for a branch that owns ' +
        'its own session'
    })
  })

  // Either sign of a pull request is enough, even when the default branch is unknown.
  test('a pull request ref under another event (pull_request_review) is a pull request', () => {
    const result = blocker({
      eventName: 'pull_request_review',
      ref: 'refs/pull/7/merge',
      defaultRef: undefined
    })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toMatch(/^this is a pull_request_review run: /)
  })

  test('the pull_request event is a pull request whatever its ref', () => {
    const result = blocker({
      eventName: 'pull_request',
      ref: 'refs/heads/feature',
      defaultRef: undefined
    })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toMatch(/^this is a pull_request run: /)
  })
})

describe('isReadOnlyToken: a token it cannot read is not read-only', () => {
  const withAc = (ac: unknown) => makeJwt({ ac })
  test.each<[string, unknown, boolean]>([
    ['an ac claim that is not JSON', 'not json', false],
    ['an ac claim whose JSON is an object, not a list', '{"Scope":"a","Permission":2}', false],
    ['an ac claim that is a list (not the JSON text of one)', ['[]'], false],
    ['an ac claim that is a number', 7, false],
    ['entries that are not objects grant nothing', JSON.stringify([null, 'x', 2]), true],
    ['a permission that is a string grants nothing', JSON.stringify([{ Permission: '3' }]), true],
    ['null next to a write scope', JSON.stringify([null, { Permission: 2 }]), false]
  ])('%s', (_, ac, expected) => {
    expect(isReadOnlyToken(withAc(ac))).toBe(expected)
  })
})
