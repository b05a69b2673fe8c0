import { makeJwt } from '../e2e/fakes/authority.js'
import {
  cacheWriteBlocker,
  isReadOnlyToken,
  type RunContext
} from '../../src/storage/cache-scope.js'

const token = (scopes: { Scope: string; Permission: number }[]) =>
  makeJwt({ ac: JSON.stringify(scopes) })
const mainRun: RunContext = {
  ref: 'refs/heads/main',
  eventName: 'push',
  defaultRef: 'refs/heads/main',
  serviceAvailable: true,
  cacheMode: '',
  runtimeToken: token([{ Scope: 'refs/heads/main', Permission: 3 }])
}
const blocker = (change: Partial<RunContext>, allowAnyBranch = false) =>
  cacheWriteBlocker({ ...mainRun, ...change }, allowAnyBranch)

describe('cacheWriteBlocker', () => {
  test('a default-branch run can store', () => {
    expect(blocker({})).toEqual({ ok: true })
    expect(blocker({ eventName: 'schedule' })).toEqual({ ok: true })
    expect(blocker({ cacheMode: 'write' })).toEqual({ ok: true })
  })

  test.each<[string, Partial<RunContext>, RegExp]>([
    ['no cache service', { serviceAvailable: false }, /not available/],
    ['cache mode read', { cacheMode: 'read' }, /ACTIONS_CACHE_MODE=read/],
    ['cache mode none', { cacheMode: 'none' }, /does not permit writes/],
    [
      'a read-only token',
      { runtimeToken: token([{ Scope: 'refs/heads/main', Permission: 1 }]) },
      /read-only/
    ],
    ['a feature branch', { ref: 'refs/heads/feature' }, /not on the default branch/],
    ['a pull request', { ref: 'refs/pull/7/merge', eventName: 'pull_request' }, /pull_request run/]
  ])('%s: blocked, with the reason and a fix', (_, change, reason) => {
    const result = blocker(change)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.reason).toMatch(reason)
      expect(result.fix.length).toBeGreaterThan(10)
    }
  })

  test('allow-any-branch lifts the branch and pull request conditions only', () => {
    expect(blocker({ ref: 'refs/heads/feature' }, true)).toEqual({ ok: true })
    expect(blocker({ ref: 'refs/pull/7/merge', eventName: 'pull_request' }, true)).toEqual({
      ok: true
    })
    expect(blocker({ cacheMode: 'read' }, true).ok).toBe(false)
    expect(
      blocker({ runtimeToken: token([{ Scope: 'refs/pull/7/merge', Permission: 1 }]) }, true).ok
    ).toBe(false)
  })

  test('an unknown default branch does not block', () => {
    expect(blocker({ defaultRef: undefined, ref: 'refs/heads/anything' })).toEqual({ ok: true })
  })
})

describe('isReadOnlyToken', () => {
  test.each<[string, string | undefined, boolean]>([
    ['write scope', token([{ Scope: 'refs/heads/main', Permission: 3 }]), false],
    [
      'write only on a second scope',
      token([
        { Scope: 'a', Permission: 1 },
        { Scope: 'b', Permission: 2 }
      ]),
      false
    ],
    ['read only', token([{ Scope: 'refs/heads/main', Permission: 1 }]), true],
    ['no scopes', token([]), true],
    ['not a JWT: unknown, not read-only', 'opaque', false],
    ['no token', undefined, false]
  ])('%s', (_, value, expected) => {
    expect(isReadOnlyToken(value)).toBe(expected)
  })
})
