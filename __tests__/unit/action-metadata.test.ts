/**
 * action.yml is valid action metadata: it passes SchemaStore's `github-action` JSON schema
 * (vendored in schemas/, see schemas/README.md), and the check itself refuses what GitHub refuses.
 */
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { parse } from 'yaml'

const schema = JSON.parse(readFileSync('schemas/github-action.json', 'utf8')) as object
const ajv = new Ajv({ allErrors: true, strict: false })
const validate = ajv.compile(schema)
const action = parse(readFileSync('action.yml', 'utf8')) as Record<string, unknown>

const problems = (metadata: unknown) => {
  validate(metadata)
  return (validate.errors ?? []).map(error => `${error.instancePath || '/'} ${error.message}`)
}

test('the vendored schema is SchemaStore github-action', () => {
  expect(schema).toMatchObject({ $id: 'https://json.schemastore.org/github-action.json' })
})

test('action.yml passes the github-action schema', () => {
  expect(problems(action)).toEqual([])
})

test.each<[string, (metadata: Record<string, unknown>) => unknown]>([
  ['without runs', ({ runs: _, ...rest }) => rest],
  ['with an unknown top-level key', metadata => ({ ...metadata, env: {} })],
  [
    'with a node version GitHub does not run',
    metadata => ({ ...metadata, runs: { ...(metadata.runs as object), using: 'node14' } })
  ],
  [
    'with an input that has no description',
    metadata => ({ ...metadata, inputs: { ...(metadata.inputs as object), bare: { default: '' } } })
  ]
])('the schema refuses action.yml %s', (_, change) => {
  expect(problems(change(action)).length).toBeGreaterThan(0)
})
