import { parseAuthJson } from '../../src/auth/index.js'
import { chooseSession, type Candidate } from '../../src/app/bootstrap.js'
import { authText } from './fixtures.js'

const at = (lastRefresh: string) => parseAuthJson(authText({ lastRefresh }))
const NOW = new Date('2026-11-24T12:00:00Z')
const older = at('2026-11-20T00:00:00Z')
const newer = at('2026-11-23T00:00:00Z')

describe('chooseSession: the newest session wins', () => {
  test('nothing to choose from', () => {
    expect(chooseSession([], NOW)).toBeUndefined()
  })
  test.each<[string, Candidate[], string]>([
    [
      'a newer stored session beats disk',
      [
        { source: 'disk', session: older },
        { source: 'storage', session: newer }
      ],
      'storage'
    ],
    [
      'a reseeded secret beats an older stored session',
      [
        { source: 'storage', session: older },
        { source: 'secret', session: newer }
      ],
      'secret'
    ],
    [
      'disk beats an older secret',
      [
        { source: 'secret', session: older },
        { source: 'disk', session: newer }
      ],
      'disk'
    ],
    [
      'equal age: disk first (no write)',
      [
        { source: 'secret', session: newer },
        { source: 'disk', session: newer }
      ],
      'disk'
    ],
    [
      'equal age: storage before the secret',
      [
        { source: 'secret', session: newer },
        { source: 'storage', session: newer }
      ],
      'storage'
    ]
  ])('%s', (_, candidates, expected) => {
    expect(chooseSession(candidates, NOW)?.source).toBe(expected)
  })
})
