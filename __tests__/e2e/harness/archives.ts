/** Reading the archives of cache entries the way a restore would: gzip tar files. */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { deriveEntryKey, sealEntry } from '../../../src/storage/crypto.js'
import { scratchDir } from './paths.js'

/** The files in a stored archive (gzip tar), by their path in it. */
export function unpackArchive(blob: Buffer): Map<string, Buffer> {
  const dir = scratchDir('unpack')
  writeFileSync(path.join(dir, 'entry.tgz'), blob)
  mkdirSync(path.join(dir, 'out'))
  execFileSync('tar', ['-xzf', 'entry.tgz', '-C', 'out'], { cwd: dir })
  const files = new Map<string, Buffer>()
  const walk = (sub: string) => {
    for (const item of readdirSync(path.join(dir, 'out', sub), { withFileTypes: true })) {
      const relative = path.join(sub, item.name)
      if (item.isDirectory()) walk(relative)
      else files.set(relative, readFileSync(path.join(dir, 'out', relative)))
    }
  }
  walk('')
  return files
}

/** A cache archive as the action writes it: the session sealed for `key` with `encryptionKey`. */
export function sealedArchive(
  text: string,
  key: string,
  encryptionKey: string,
  cacheKey = 'codex-auth'
): Buffer {
  const dir = scratchDir('seal')
  mkdirSync(path.join(dir, '.codex-auth-action'))
  const sealed = sealEntry(text, deriveEntryKey(encryptionKey), cacheKey, key)
  writeFileSync(path.join(dir, `.codex-auth-action/${cacheKey}.session`), sealed)
  execFileSync('tar', ['-czf', 'entry.tgz', '.codex-auth-action'], { cwd: dir })
  return readFileSync(path.join(dir, 'entry.tgz'))
}
