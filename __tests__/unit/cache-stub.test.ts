/**
 * @github/local-action replaces @actions/cache with a stub that has only restoreCache and
 * saveCache: the cache storage must treat that as "no cache service" with one clear warning, not
 * crash on the missing isFeatureAvailable.
 */
import { jest } from '@jest/globals'
import { captureOutput } from './fixtures.js'

const restoreCache = jest.fn(async () => undefined)
const saveCache = jest.fn(async () => 0)
jest.unstable_mockModule('@actions/cache', () => ({ restoreCache, saveCache }))

const { CacheStorage } = await import('../../src/storage/cache.js')
const { deriveEntryKey } = await import('../../src/storage/crypto.js')

test('a stand-in without isFeatureAvailable: unavailable (never "none stored"), warned once, no call', async () => {
  const output = captureOutput()
  try {
    const store = new CacheStorage({
      cacheKey: 'codex-auth',
      item: 'session',
      entryKey: deriveEntryKey('unit-test-encryption-key-0123456789'),
      allowAnyBranch: false,
      githubToken: '',
      timeoutMs: 5_000,
      env: {}
    })
    const first = await store.load()
    const second = await store.head()
    expect(first).toEqual({
      kind: 'unavailable',
      reason: 'the Actions cache service is not available to this job'
    })
    expect(second.kind).toBe('unavailable')
    expect(restoreCache).not.toHaveBeenCalled()
    const warnings = output.shown().match(/has no isFeatureAvailable\(\)/g) ?? []
    expect(warnings).toHaveLength(1)
    expect(output.shown()).toMatch(/use storage: directory or storage: none/)
  } finally {
    output.restore()
  }
})
