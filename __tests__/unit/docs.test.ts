/** The README documents every input and output of action.yml, with the same defaults. */
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { Input, Output } from '../../src/names.js'

const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, { default?: string }>
  outputs: Record<string, unknown>
}
const readme = readFileSync('README.md', 'utf8')
const tableRows = (heading: string) => {
  const section = readme.split(`## ${heading}\n`)[1]!.split('\n## ')[0]!
  return Object.fromEntries(
    [...section.matchAll(/^\| `([a-z-]+)`\s*\|(.*)$/gm)].map(([, name, rest]) => [name!, rest!])
  )
}

test('action.yml declares exactly the inputs and outputs named in src/names.ts', () => {
  expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Input).sort())
  expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Output).sort())
})

test('the README documents every input and output', () => {
  expect(Object.keys(tableRows('Inputs')).sort()).toEqual(Object.keys(action.inputs).sort())
  expect(Object.keys(tableRows('Outputs')).sort()).toEqual(Object.keys(action.outputs).sort())
})

test('the README shows the non-empty defaults of action.yml', () => {
  const rows = tableRows('Inputs')
  for (const [name, spec] of Object.entries(action.inputs)) {
    if (spec.default && !spec.default.includes('${{'))
      expect(rows[name]).toContain(`\`${spec.default}\``)
  }
})

test('the README reference is what `npm run docs:reference` makes of action.yml', async () => {
  const { renderReadme } = await import('../../scripts/reference-doc.js')
  // Run `npm run docs:reference` after changing action.yml.
  expect(readme).toBe(await renderReadme('.'))
})
