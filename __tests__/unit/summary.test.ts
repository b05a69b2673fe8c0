/**
 * The job summary and annotations as pure functions: what they say for each thing a step can do
 * with the session, and what they never say (a token, the whole account id).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { annotate, writeSummary } from '../../src/app/report.js'
import {
  PhaseClock,
  renderSummary,
  sessionAnnotations,
  shortAccountId,
  sourceWhere,
  type SummaryFacts
} from '../../src/app/summary.js'
import { parseAuthJson, refreshDueAt, sessionAccount } from '../../src/auth/index.js'
import { authObject, authText, captureOutput } from './fixtures.js'

const NOW = new Date('2026-12-01T12:00:00Z')
const sec = (date: Date) => Math.floor(date.getTime() / 1000)
const sessionExpiringAt = (date: Date) => parseAuthJson(authText({ accessExp: sec(date) }))
const fresh = sessionExpiringAt(new Date('2026-12-01T13:00:00Z'))
const expired = sessionExpiringAt(new Date('2026-12-01T11:00:00Z'))

const facts = (over: Partial<SummaryFacts> = {}): SummaryFacts => ({
  step: 'main',
  mode: 'run',
  source: 'storage',
  sourceWhere: 'Actions cache, key codex-auth-*',
  session: fresh,
  refreshed: false,
  saved: { kind: 'by-post', where: 'Actions cache, key codex-auth-*' },
  phases: [
    { name: 'bootstrap: choose the session', ms: 123 },
    { name: 'invoke: codex exec', ms: 1500 }
  ],
  now: NOW,
  ...over
})
const rows = (summary: ReturnType<typeof renderSummary>) => Object.fromEntries(summary.rows)

describe('renderSummary', () => {
  test('main, mode run: source, account, refresh, expiry, next refresh, where it goes, phases', () => {
    const summary = renderSummary(
      facts({
        generation: {
          version: 'codex-auth-1764590400000-0a1b2c3d',
          savedAt: new Date('2026-11-29T12:00:00Z')
        },
        codexExitCode: 0
      })
    )
    expect(summary.title).toBe('Codex session: bootstrap and run')
    expect(rows(summary)).toEqual({
      Mode: 'run',
      'Session from': 'storage: Actions cache, key codex-auth-*',
      Account: 'acc…, plan plus',
      'Refreshed during this step': 'no',
      'Last refresh': '2026-11-24T00:09:51.137314582Z',
      'Access token expires': '2026-12-01T13:00:00.000Z (in 1 hour)',
      'Next refresh': 'by Codex on the first run after 2026-12-01T12:55:00.000Z',
      'Saved to':
        'Actions cache, key codex-auth-*, by the post step if Codex refreshes the session',
      'Stored generation': 'codex-auth-1764590400000-0a1b2c3d (saved 2 days ago)',
      'Codex exit code': '0'
    })
    expect(summary.phases).toEqual([
      ['bootstrap: choose the session', '0.12 s'],
      ['invoke: codex exec', '1.50 s']
    ])
  })

  test('a session Codex refreshes on the next run says so, and why', () => {
    const summary = rows(renderSummary(facts({ session: expired })))
    expect(summary['Access token expires']).toBe('2026-12-01T11:00:00.000Z (expired 1 hour ago)')
    expect(summary['Next refresh']).toBe(
      'on the next run: its access token expired at 2026-12-01T11:00:00.000Z'
    )
  })

  test('an access token without exp: the 8-day rule', () => {
    const session = parseAuthJson(
      authText({ accessExp: null, lastRefresh: '2026-11-28T00:00:00Z' })
    )
    const summary = rows(renderSummary(facts({ session })))
    expect(summary['Access token expires']).toBe(
      'unknown (the access token has no readable expiry)'
    )
    expect(summary['Next refresh']).toBe('by Codex on the first run after 2026-12-06T00:00:00.000Z')
  })

  test('verify: nothing run, nothing written', () => {
    const summary = renderSummary(
      facts({ mode: 'verify', saved: { kind: 'verify', where: 'directory /srv/s' } })
    )
    expect(summary.title).toBe('Codex session: verified (nothing run, nothing written)')
    expect(rows(summary)).toMatchObject({
      'Refreshed during this step': 'no (verify mode runs no Codex)',
      'Saved to': 'nothing (verify mode writes nothing; the storage is directory /srv/s)'
    })
  })

  test.each<[SummaryFacts['saved'], string]>([
    [{ kind: 'saved', where: 'the Actions cache (key k-1-a)' }, 'the Actions cache (key k-1-a)'],
    [{ kind: 'unchanged' }, 'nothing needed saving: the session did not change'],
    [{ kind: 'already-saved' }, 'nothing needed saving: the refreshed session was there already'],
    [
      { kind: 'kept-in-place', where: '/home/r/.codex/auth.json' },
      'nowhere else: it stays in /home/r/.codex/auth.json on this runner (storage: none)'
    ],
    [{ kind: 'missing' }, 'nothing: auth.json is gone'],
    [
      { kind: 'not-saved' },
      'NOT saved: the error annotation says why, and how to recover the session'
    ]
  ])('post: %j', (saved, words) => {
    const summary = renderSummary(facts({ step: 'post', saved, refreshed: true }))
    expect(summary.title).toBe('Codex session: write back')
    expect(rows(summary)['Saved to']).toBe(words)
    expect(rows(summary)['Refreshed during this job']).toBe('yes')
  })

  test('post without a session (auth.json gone): no session rows', () => {
    const summary = rows(
      renderSummary(facts({ step: 'post', session: undefined, saved: { kind: 'missing' } }))
    )
    expect(Object.keys(summary)).toEqual(['Mode', 'Session from', 'Saved to'])
  })

  test('no token and no whole account id, whatever the session holds', () => {
    const auth = authObject()
    auth.tokens.account_id = 'f1e2d3c4-b5a6-4789-9abc-def012345678'
    const session = parseAuthJson(JSON.stringify(auth))
    const text = JSON.stringify(renderSummary(facts({ session })))
    for (const token of [auth.tokens.id_token, auth.tokens.access_token, auth.tokens.refresh_token])
      expect(text).not.toContain(token)
    expect(text).not.toContain(auth.tokens.account_id)
    expect(text).toContain('f1e2d3c4…')
  })
})

describe('sessionAnnotations', () => {
  const blocked = {
    ok: false as const,
    reason: 'this run is on refs/heads/feature',
    fix: 'run it on main'
  }

  test('nothing can refresh an expired access token: a warning with the fix', () => {
    const [warning, ...rest] = sessionAnnotations({
      session: expired,
      saved: { kind: 'unchanged' },
      writable: blocked,
      now: NOW
    })
    expect(warning).toEqual({
      level: 'warning',
      message: expect.stringMatching(
        /^Codex will refresh this session on its next run \(its access token expired at 2026-12-01T11:00:00\.000Z\), but a run like this one could not store the refreshed session: this run is on refs\/heads\/feature\. .*nothing here can refresh the access token\. To fix: run it on main\.$/
      )
    })
    expect(rest).toEqual([
      {
        level: 'notice',
        message: 'Nothing needed saving: the session did not change during this job.'
      }
    ])
  })

  test('a fresh session that could not have been stored: a notice, not a warning', () => {
    expect(
      sessionAnnotations({
        session: fresh,
        saved: { kind: 'unchanged' },
        writable: blocked,
        now: NOW
      })
    ).toEqual([
      {
        level: 'notice',
        message:
          'This run could not have stored a refreshed session: this run is on refs/heads/feature.'
      },
      {
        level: 'notice',
        message: 'Nothing needed saving: the session did not change during this job.'
      }
    ])
  })

  test('stored: nothing to say; already stored: a notice', () => {
    const saved = { kind: 'saved' as const, where: 'x' }
    expect(sessionAnnotations({ session: fresh, saved, writable: undefined, now: NOW })).toEqual([])
    expect(
      sessionAnnotations({
        session: fresh,
        saved: { kind: 'already-saved' },
        writable: undefined,
        now: NOW
      })
    ).toEqual([
      {
        level: 'notice',
        message: 'Nothing needed saving: the refreshed session is already in the storage.'
      }
    ])
  })

  test('an expired session with a storage that can take the refresh: no warning', () => {
    expect(
      sessionAnnotations({
        session: expired,
        saved: { kind: 'verify', where: 'x' },
        writable: { ok: true },
        now: NOW
      })
    ).toEqual([])
  })
})

describe('the parts', () => {
  test.each([
    ['acct_test_0001', 'acct_te…'],
    ['f1e2d3c4-b5a6-4789-9abc-def012345678', 'f1e2d3c4…'],
    ['ab', 'a…'],
    ['x', '…']
  ])('shortAccountId(%j) = %j: at most 8 characters, at most half', (id, short) => {
    expect(shortAccountId(id)).toBe(short)
  })

  test('sessionAccount: the account id of tokens, else of the id_token; the plan of the id_token', () => {
    expect(sessionAccount(fresh)).toEqual({ accountId: 'acct_1', plan: 'plus' })
    const auth = authObject()
    auth.tokens.account_id = ''
    expect(sessionAccount(parseAuthJson(JSON.stringify(auth)))).toEqual({
      accountId: 'acct_1',
      plan: 'plus'
    })
  })

  test('refreshDueAt: 5 minutes before exp, else 8 days after last_refresh', () => {
    expect(refreshDueAt(fresh)).toEqual(new Date('2026-12-01T12:55:00Z'))
    const noExp = parseAuthJson(authText({ accessExp: null, lastRefresh: '2026-11-01T00:00:00Z' }))
    expect(refreshDueAt(noExp)).toEqual(new Date('2026-11-09T00:00:00Z'))
  })

  test('sourceWhere', () => {
    expect(sourceWhere('disk', '/h/auth.json', 'd')).toBe('/h/auth.json')
    expect(sourceWhere('storage', '/h/auth.json', 'directory /s')).toBe('directory /s')
    expect(sourceWhere('secret', '/h/auth.json', 'd')).toBe("the 'auth-json' input")
  })

  test('PhaseClock: each phase lasts from the end of the one before', () => {
    const times = [100, 250.4, 1250.6]
    const clock = new PhaseClock(() => times.shift()!)
    clock.end('one')
    clock.end('two')
    expect(clock.phases).toEqual([
      { name: 'one', ms: 150 },
      { name: 'two', ms: 1000 }
    ])
  })
})

describe('writing it: best effort', () => {
  const summary = renderSummary(facts({ sourceWhere: '/odd <dir> & co/auth.json', source: 'disk' }))

  const withSummaryFile = async (file: string, work: () => Promise<void>) => {
    const previous = process.env.GITHUB_STEP_SUMMARY
    process.env.GITHUB_STEP_SUMMARY = file
    try {
      await work()
    } finally {
      if (previous === undefined) delete process.env.GITHUB_STEP_SUMMARY
      else process.env.GITHUB_STEP_SUMMARY = previous
    }
  }

  // The toolkit keeps the path of the first summary file it wrote: both tests use the same one.
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'summary-')), 'summary')

  test('a table in GITHUB_STEP_SUMMARY, cells escaped', async () => {
    writeFileSync(file, '')
    await withSummaryFile(file, () => writeSummary(summary))
    const html = readFileSync(file, 'utf8')
    expect(html).toContain('<h3>Codex session: bootstrap and run</h3>')
    expect(html).toContain('disk: /odd &lt;dir&gt; &amp; co/auth.json')
    expect(html).toContain('<td>invoke: codex exec</td><td>1.50 s</td>')
  })

  test('a summary file that cannot be written: a warning, no failure, and the buffer is emptied', async () => {
    // A directory where the file should be: the toolkit cannot append to it.
    rmSync(file)
    mkdirSync(file)
    const output = captureOutput()
    try {
      await withSummaryFile(file, () => expect(writeSummary(summary)).resolves.toBeUndefined())
    } finally {
      output.restore()
    }
    expect(output.commands('warning')).toEqual([
      expect.stringMatching(/^Could not write the job summary .*the session is not affected/)
    ])
    const { summary: buffer } = await import('@actions/core')
    expect(buffer.stringify()).toBe('')
  })

  test('annotate: warnings and notices as workflow commands', () => {
    const output = captureOutput()
    try {
      annotate([
        { level: 'warning', message: 'w' },
        { level: 'notice', message: 'n' }
      ])
    } finally {
      output.restore()
    }
    expect([output.commands('warning'), output.commands('notice')]).toEqual([['w'], ['n']])
  })
})
