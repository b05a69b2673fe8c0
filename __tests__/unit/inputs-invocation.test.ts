/**
 * The invocation inputs of openai/codex-action (model, effort, output-schema, output-schema-file)
 * and mode verify, as readConfig reads and refuses them.
 */
import { InputError, jsonObjectProblem, readConfig } from '../../src/app/inputs.js'

const env = { GITHUB_WORKSPACE: '/work/space' }
const KEY = 'an encryption key of at least 32 characters'
const config = (inputs: Record<string, string>) =>
  readConfig(name => ({ 'encryption-key': KEY, ...inputs })[name] ?? '', env)
const refusal = (inputs: Record<string, string>) => {
  try {
    config(inputs)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('not refused')
}

describe('model, effort, output-schema, output-schema-file', () => {
  test('read into the run config', () => {
    expect(config({ model: ' gpt-5.1-codex ', effort: 'HIGH' }).run).toMatchObject({
      model: 'gpt-5.1-codex',
      effort: 'high',
      outputSchema: undefined
    })
    expect(config({ 'output-schema': '{"type": "object"}' }).run?.outputSchema).toEqual({
      text: '{"type": "object"}'
    })
    expect(config({ 'output-schema-file': 'schema.json' }).run?.outputSchema).toEqual({
      file: '/work/space/schema.json'
    })
  })

  test.each([
    [{ model: '--yolo' }, "Input 'model' must be a model name such as gpt-5.1-codex"],
    [{ model: 'gpt 5' }, "Input 'model' must be a model name"],
    [
      { effort: 'extreme' },
      "Input 'effort' must be one of: none, minimal, low, medium, high, xhigh. For a value this release does not know, pass it in 'codex-args' as -c model_reasoning_effort=<value> instead."
    ],
    [{ 'output-schema': '{"type": ' }, "Input 'output-schema' is not valid JSON ("],
    [
      { 'output-schema': '["a"]' },
      "Input 'output-schema' is JSON but not an object (it is an array): give a JSON Schema as one JSON object"
    ],
    [
      { 'output-schema': '{}', 'output-schema-file': 's.json' },
      "Inputs 'output-schema' and 'output-schema-file' exclude each other: set one."
    ]
  ])('%j is refused', (inputs, message) => {
    expect(refusal(inputs)).toContain(message)
  })

  test.each([
    [{ model: 'o3', 'codex-args': '-m o4' }, "Input 'model' and --model in 'codex-args'"],
    [{ model: 'o3', 'codex-args': '--model=o4' }, "Input 'model' and --model in 'codex-args'"],
    [
      { effort: 'low', 'codex-args': '-c model_reasoning_effort=high' },
      "Input 'effort' and -c model_reasoning_effort= in 'codex-args'"
    ],
    [
      { 'output-schema': '{}', 'codex-args': '--output-schema s.json' },
      "Input 'output-schema' and --output-schema in 'codex-args'"
    ],
    [
      { 'output-schema-file': 'a.json', 'codex-args': '--output-schema=b.json' },
      "Input 'output-schema-file' and --output-schema in 'codex-args'"
    ],
    [{ sandbox: 'read-only', 'codex-args': '-s read-only' }, "Input 'sandbox' and a sandbox option"]
  ])('given twice, as an input and in codex-args: %j is refused', (inputs, message) => {
    expect(refusal(inputs)).toContain(message)
    expect(refusal(inputs)).toContain('set one of them')
  })

  test('in codex-args alone: passed through, and no input default is added', () => {
    const run = config({
      'codex-args': '-m o4 -s read-only -c model_reasoning_effort=low --output-schema s.json'
    }).run!
    expect(run).toMatchObject({ model: undefined, effort: undefined, outputSchema: undefined })
    expect(run.sandbox).toBeUndefined()
  })

  test('the sandbox input: the values of codex-action, workspace-write by default', () => {
    expect(config({}).run?.sandbox).toBe('workspace-write')
    expect(config({ sandbox: 'read-only' }).run?.sandbox).toBe('read-only')
    expect(refusal({ sandbox: 'none' })).toContain(
      "Input 'sandbox' must be one of: read-only, workspace-write, danger-full-access."
    )
  })
})

describe('mode verify', () => {
  test('reads no run config', () => {
    expect(config({ mode: 'verify' })).toMatchObject({ mode: 'verify', run: undefined })
  })

  test.each([
    ['prompt', 'hi'],
    ['codex-args', '--model o4'],
    ['model', 'o4'],
    ['effort', 'low'],
    ['output-schema', '{}'],
    ['output-schema-file', 's.json'],
    ['sandbox', 'read-only']
  ])('%s is refused: verify runs no Codex', (name, value) => {
    expect(refusal({ mode: 'verify', [name]: value })).toBe(
      `Input '${name}' is only used with mode: run; verify mode runs no Codex. Remove it, or set mode: run.`
    )
  })
})

test.each([
  ['{}', undefined],
  ['{"type": "object"}', undefined],
  ['[]', 'is JSON but not an object (it is an array)'],
  ['null', 'is JSON but not an object (it is null)'],
  ['"x"', 'is JSON but not an object (it is string)'],
  ['{', expect.stringMatching(/^is not valid JSON \(/)]
])('jsonObjectProblem(%j)', (text, problem) => {
  expect(jsonObjectProblem(text)).toEqual(problem)
})
