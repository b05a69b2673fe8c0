import { parseCodexArgs } from '../../src/codex/args.js'

describe('parseCodexArgs', () => {
  test.each([
    ['', []],
    ['   ', []],
    ['--model o4-mini', ['--model', 'o4-mini']],
    ['-c \'model="o4"\' --full-auto', ['-c', 'model="o4"', '--full-auto']],
    ['--prompt "two words" x\\ y', ['--prompt', 'two words', 'x y']],
    ['"a \\"quoted\\" word"', ['a "quoted" word']],
    ['""', ['']],
    ['["--model", "o4 mini"]', ['--model', 'o4 mini']],
    ['  --a\n--b\t--c ', ['--a', '--b', '--c']]
  ])('%j', (input, expected) => {
    expect(parseCodexArgs(input)).toEqual(expected)
  })

  test.each([
    ['[not json', /not a JSON array/],
    ['["a", 1]', /JSON array of strings/],
    ['--model "o4', /unclosed " quote/],
    ["--x 'y", /unclosed ' quote/]
  ])('%j is refused', (input, message) => {
    expect(() => parseCodexArgs(input)).toThrow(message)
  })
})
