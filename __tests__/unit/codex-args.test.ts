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

describe('parseCodexArgs: the corners of the shell-like syntax', () => {
  test.each([
    ["'a\\b'", ['a\\b'], 'single quotes keep a backslash'],
    ["'it'\\''s'", ["it's"], 'the sh idiom for a quote inside single quotes'],
    ['"a\\nb"', ['a\\nb'], 'in double quotes, a backslash before an ordinary character stays'],
    ['"\\$HOME \\` \\\\"', ['$HOME ` \\'], 'in double quotes, \\ escapes $ ` \\ and "'],
    ['$HOME', ['$HOME'], 'no expansion'],
    ['"$HOME"', ['$HOME'], 'no expansion in double quotes either'],
    ['a\\', ['a\\'], 'a trailing backslash is kept'],
    ['\\"', ['"'], 'an escaped quote outside quotes'],
    ['a"b"\'c\'', ['abc'], 'adjacent quoted parts make one word'],
    ["a '' b", ['a', '', 'b'], 'an empty quoted word is a word'],
    ['"a\nb"', ['a\nb'], 'a newline inside quotes is kept'],
    ['a#b # c', ['a#b', '#', 'c'], "'#' is not a comment"],
    ['x [y]', ['x', '[y]'], "'[' later on is an ordinary character"],
    ['"["', ['['], "a quoted '[' is a shell word, not JSON"],
    ['{"a":1}', ['{a:1}'], "'{' is not JSON: a shell word"]
  ])('%j: %j (%s)', (input, expected) => {
    expect(parseCodexArgs(input)).toEqual(expected)
  })

  test.each([
    ['[]', []],
    [' [ "a" ] ', ['a']],
    ['["-c", "model=\\"o4\\""]', ['-c', 'model="o4"']],
    ['["with space", ""]', ['with space', '']]
  ])('JSON %j', (input, expected) => {
    expect(parseCodexArgs(input)).toEqual(expected)
  })

  test.each([
    ['["a",]', /starts with '\[' but is not a JSON array/],
    ['[--x', /starts with '\[' but is not a JSON array/],
    ['[null]', /must be a JSON array of strings/],
    ['[["a"]]', /must be a JSON array of strings/],
    ['"a\\"', /unclosed " quote/],
    ['"\\`', /unclosed " quote/]
  ])('%j is refused', (input, message) => {
    expect(() => parseCodexArgs(input)).toThrow(message)
  })
})
