/**
 * The README's inputs and outputs reference, generated from action.yml: one table each, between
 * two markers, formatted as prettier formats the README (so `format:check` and the check agree).
 * Idempotent: rendering a README that is already current gives it back unchanged. A unit test
 * checks that the committed README matches (`npm run docs:reference` rewrites it).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import * as prettier from 'prettier'
import { parse } from 'yaml'

export const README = 'README.md'
export const BEGIN =
  '<!-- reference:begin (generated from action.yml by `npm run docs:reference`; do not edit by hand) -->'
export const END = '<!-- reference:end -->'

interface ActionMetadata {
  readonly inputs?: Record<string, { description?: string; default?: unknown } | null>
  readonly outputs?: Record<string, { description?: string } | null>
}

/** A table cell: one line, pipes escaped. */
const cell = (text: string) =>
  text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim()

const code = (text: string) => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``)

/** The two tables, unformatted. */
export function renderReference(actionYaml: string): string {
  const action = parse(actionYaml) as ActionMetadata
  const inputs = Object.entries(action.inputs ?? {}).map(([name, spec]) => {
    const fallback = spec?.default === undefined ? '' : String(spec.default)
    return `| ${code(name)} | ${fallback === '' ? '' : cell(code(fallback))} | ${cell(spec?.description ?? '')} |`
  })
  const outputs = Object.entries(action.outputs ?? {}).map(
    ([name, spec]) => `| ${code(name)} | ${cell(spec?.description ?? '')} |`
  )
  return [
    '## Inputs',
    '',
    'None is required.',
    '',
    '| Input | Default | Description |',
    '| --- | --- | --- |',
    ...inputs,
    '',
    '## Outputs',
    '',
    '| Output | Description |',
    '| --- | --- |',
    ...outputs
  ].join('\n')
}

/**
 * The README with the reference between the markers replaced, formatted with the project's
 * prettier settings. Throws when the markers are missing or out of order.
 */
export async function renderReadme(root: string): Promise<string> {
  const readmePath = path.join(root, README)
  const readme = readFileSync(readmePath, 'utf8')
  const begin = readme.indexOf(BEGIN)
  const end = readme.indexOf(END)
  if (begin === -1 || end === -1 || end < begin || readme.indexOf(BEGIN, begin + 1) !== -1) {
    throw new Error(`${README} must hold the markers ${BEGIN} and ${END}, once each, in that order`)
  }
  const reference = renderReference(readFileSync(path.join(root, 'action.yml'), 'utf8'))
  const updated = `${readme.slice(0, begin + BEGIN.length)}\n\n${reference}\n\n${readme.slice(end)}`
  const options = (await prettier.resolveConfig(readmePath)) ?? {}
  return prettier.format(updated, { ...options, filepath: readmePath })
}
