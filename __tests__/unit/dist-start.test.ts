/**
 * What the built main step loads before it runs (dist/, which the tests' global setup builds): the static imports of
 * dist/main.js and of the cache storage's chunk, which setup with storage: cache imports. The
 * Azure Storage SDK is the larger part of the cache client and only uploads use it (post), so it
 * must stay out of that set and be imported where the upload starts.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const DIST = path.join(process.cwd(), 'dist')

function read(file: string): string {
  return readFileSync(path.join(DIST, file), 'utf8')
}

/** The files `entry` loads before its code runs: itself and its static imports, transitively. */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const [, spec] of read(file).matchAll(
      /(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?"(\.[^"]+)"/g
    ))
      visit(path.posix.join(path.posix.dirname(file), spec!))
  }
  visit(entry)
  return seen
}

const cacheChunk = readdirSync(path.join(DIST, 'chunks')).find(f => /^cache-\w+\.js$/.test(f))!

describe('dist: what the main step loads', () => {
  const mainLoads = new Set([...staticClosure('main.js'), ...staticClosure(`chunks/${cacheChunk}`)])

  test('the main step with storage: cache loads the cache client and not the Azure Storage SDK', () => {
    const sources = [...mainLoads].map(read)
    expect(sources.some(source => source.includes('restoreCache'))).toBe(true)
    expect(sources.filter(source => /BlockBlobClient\s*=\s*class/.test(source))).toEqual([])
  })

  test('the cache client imports the Azure Storage SDK where it uploads (and in its SDK download)', () => {
    const lazy = [
      ...read(`chunks/${cacheChunk}`).matchAll(/new\(yield import\("\.\/([^"]+)"\)\)\.(\w+)\(/g)
    ]
    expect(lazy.map(([, , name]) => name).sort()).toEqual(['BlobClient', 'BlockBlobClient'])
    for (const [, file] of lazy)
      expect(read(`chunks/${file}`)).toMatch(/BlockBlobClient\s*=\s*class/)
  })
})
