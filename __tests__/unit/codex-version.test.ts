/** codex-path's version from its Codex package's metadata, without running it; else undefined (it is asked). */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { packagedVersion } from '../../src/codex/provide.js'
import { scratchDir } from '../e2e/harness/paths.js'

/** A vendor/<target>/ directory as the npm package and the tool cache hold it. */
function codexPackage(metadata: unknown): { dir: string; binary: string } {
  const dir = scratchDir('unit-codex-package')
  mkdirSync(path.join(dir, 'bin'))
  const binary = path.join(dir, 'bin', 'codex')
  writeFileSync(binary, '#!/bin/sh\n', { mode: 0o755 })
  writeFileSync(path.join(dir, 'bin', 'other'), '#!/bin/sh\n', { mode: 0o755 })
  writeFileSync(
    path.join(dir, 'codex-package.json'),
    typeof metadata === 'string' ? metadata : JSON.stringify(metadata)
  )
  return { dir, binary }
}

const real = { layoutVersion: 1, version: '0.169.0', entrypoint: 'bin/codex' }

test("the package's entry point: its version", async () => {
  expect(await packagedVersion(codexPackage(real).binary)).toBe('0.169.0')
})

test('a link to the entry point: its version inside the package, asked elsewhere', async () => {
  const { binary } = codexPackage(real)
  const link = path.join(scratchDir('unit-codex-link'), 'codex')
  symlinkSync(binary, link)
  // The metadata is looked for beside the link's directory: none there, so the binary is asked.
  expect(await packagedVersion(link)).toBeUndefined()
  const { dir } = codexPackage(real)
  const inPackage = path.join(dir, 'bin', 'codex-link')
  symlinkSync(path.join(dir, 'bin', 'codex'), inPackage)
  expect(await packagedVersion(inPackage)).toBe('0.169.0')
})

test.each([
  ['another binary of the package', real, 'other'],
  ['no entry point named', { version: '0.169.0' }, 'codex'],
  ['a version that is not exact', { ...real, version: 'latest' }, 'codex'],
  ['a version that is not a string', { ...real, version: 169 }, 'codex'],
  ['not JSON', '{"version": "0.169.0"', 'codex'],
  ['JSON null', 'null', 'codex']
])('%s: undefined (the binary is asked)', async (_, metadata, name) => {
  const { dir } = codexPackage(metadata)
  expect(await packagedVersion(path.join(dir, 'bin', name))).toBeUndefined()
})

test('no metadata, or no binary: undefined', async () => {
  const dir = scratchDir('unit-codex-bare')
  expect(await packagedVersion(path.join(dir, 'bin', 'codex'))).toBeUndefined()
  expect(await packagedVersion(path.join(codexPackage(real).dir, 'bin', 'gone'))).toBeUndefined()
})
