/**
 * The README's troubleshooting headings are messages the action prints: each literal part of a
 * heading (the text between `…`) must occur in a message in src/, so the two cannot drift apart.
 */
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { Input } from '../../src/names.js'

/** Every .ts file under src/, string concatenations joined and `${Input.X}` replaced by the name. */
function sourceText(): string {
  const files = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter(file =>
    file.endsWith('.ts')
  )
  return files
    .map(file => readFileSync(path.join('src', file), 'utf8'))
    .join('\n')
    .replace(/['"`]\s*\+\s*['"`]/g, '')
    .replace(/\$\{Input\.(\w+)\}/g, (_, key: string) => Input[key as keyof typeof Input])
    .replace(/\\'/g, "'")
}

const readme = readFileSync('README.md', 'utf8')
const section = readme.split('\n## Troubleshooting\n')[1]?.split('\n## ')[0] ?? ''
const headings = [...section.matchAll(/^### `(.+)`$/gm)].map(match => match[1]!)

test('the README has a troubleshooting section of error messages', () => {
  expect(headings.length).toBeGreaterThanOrEqual(10)
})

const source = sourceText()
test.each(headings)('%s', heading => {
  const parts = heading
    .split('…')
    .map(part => part.trim())
    .filter(part => part.length >= 3)
  expect(parts.length).toBeGreaterThan(0)
  for (const part of parts)
    expect({ part, found: source.includes(part) }).toEqual({ part, found: true })
})
