import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { UnsafeArchiveError, extractTgz } from '../../src/codex/untar.js'
import { scratchDir } from '../e2e/harness/paths.js'

/** A .tgz made by the system tar (GNU: long names), or with --format=pax/ustar. */
function tgz(files: Record<string, string | { link: string }>, format = 'gnu'): string {
  const dir = scratchDir('untar-src')
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(dir, name)
    mkdirSync(path.dirname(target), { recursive: true })
    if (typeof content === 'string')
      writeFileSync(target, content, { mode: name.includes('bin/') ? 0o755 : 0o644 })
    else symlinkSync(content.link, target)
  }
  const out = path.join(scratchDir('untar-out'), 'archive.tgz')
  execFileSync('tar', [`--format=${format}`, '-czf', out, '-C', dir, 'package'])
  return out
}

const ROOT = 'package/vendor/x86_64-unknown-linux-musl'
const longName = `${ROOT}/codex-resources/${'deep/'.repeat(30)}file.txt`

describe.each(['gnu', 'pax', 'ustar'])('extractTgz (%s format)', format => {
  test('only the root, without the exclusions, with the executable bit', async () => {
    const archive = tgz(
      {
        'package/package.json': '{}',
        [`${ROOT}/bin/codex`]: 'binary',
        [`${ROOT}/bin/codex-code-mode-host`]: 'host',
        [`${ROOT}/codex-resources/voice/model.bin`]: 'voice',
        [`${ROOT}/codex-resources/bwrap`]: 'bwrap',
        'package/vendor/aarch64-apple-darwin/bin/codex': 'other platform',
        ...(format === 'ustar' ? {} : { [longName]: 'long' })
      },
      format
    )
    const dest = scratchDir('untar-dest')
    const written = await extractTgz(archive, dest, {
      root: ROOT,
      exclude: ['codex-resources/voice', 'bin/codex-code-mode-host']
    })
    expect(readdirSync(path.join(dest, 'bin'))).toEqual(['codex'])
    expect(readFileSync(path.join(dest, 'bin/codex'), 'utf8')).toBe('binary')
    expect(statSync(path.join(dest, 'bin/codex')).mode & 0o777).toBe(0o755)
    expect(statSync(path.join(dest, 'codex-resources/bwrap')).mode & 0o777).toBe(0o644)
    expect(readdirSync(path.join(dest, 'codex-resources')).sort()).toEqual(
      format === 'ustar' ? ['bwrap'] : ['bwrap', 'deep']
    )
    if (format !== 'ustar') {
      expect(readFileSync(path.join(dest, longName.slice(ROOT.length + 1)), 'utf8')).toBe('long')
    }
    expect(written).toBe(format === 'ustar' ? 2 : 3)
  })
})

test('a large file across many chunks arrives intact', async () => {
  const big = Array.from({ length: 300_000 }, (_, i) => `line ${i}\n`).join('') // ~3 MB, several inflate chunks
  const dest = scratchDir('untar-dest')
  await extractTgz(tgz({ [`${ROOT}/bin/codex`]: big, [`${ROOT}/after`]: 'after' }), dest, {
    root: ROOT
  })
  expect(readFileSync(path.join(dest, 'bin/codex'), 'utf8')).toBe(big)
  expect(readFileSync(path.join(dest, 'after'), 'utf8')).toBe('after')
})

test('links are not extracted', async () => {
  const dest = scratchDir('untar-dest')
  await extractTgz(
    tgz({ [`${ROOT}/bin/codex`]: 'x', [`${ROOT}/bin/evil`]: { link: '/etc/passwd' } }),
    dest,
    { root: ROOT }
  )
  expect(readdirSync(path.join(dest, 'bin'))).toEqual(['codex'])
})

test('an entry that climbs out of the destination is refused', async () => {
  // GNU tar keeps "../" in member names with -P; build such an archive by hand.
  const dir = scratchDir('untar-evil')
  mkdirSync(path.join(dir, 'a'))
  writeFileSync(path.join(dir, 'a', 'x'), 'evil')
  const out = path.join(dir, 'evil.tgz')
  execFileSync('tar', [
    '-czPf',
    out,
    '-C',
    path.join(dir, 'a'),
    `--transform=s,^,${ROOT}/../../../../,`,
    'x'
  ])
  await expect(extractTgz(out, scratchDir('untar-dest'), { root: ROOT })).rejects.toThrow(
    UnsafeArchiveError
  )
})

test('a truncated archive is an error', async () => {
  const archive = tgz({ [`${ROOT}/bin/codex`]: 'x'.repeat(100_000) })
  const bytes = readFileSync(archive)
  const cut = path.join(scratchDir('untar-cut'), 'cut.tgz')
  writeFileSync(cut, bytes.subarray(0, bytes.length - 200))
  await expect(extractTgz(cut, scratchDir('untar-dest'), { root: ROOT })).rejects.toThrow()
})
