/**
 * What codex-args asks of Codex, read the way Codex's own option parser reads it: the sandbox in
 * each spelling, and an override of where Codex keeps credentials. Plus the corners of the
 * shell-like syntax that separate words.
 */
import {
  credentialStoreOverride,
  effortInArgs,
  modelInArgs,
  outputSchemaInArgs,
  parseCodexArgs,
  sandboxInArgs
} from '../../src/codex/args.js'

describe('parseCodexArgs: separators', () => {
  test.each([
    ['a  b', ['a', 'b']],
    ['a \t\n b', ['a', 'b']],
    ['a  "b c"  d', ['a', 'b c', 'd']],
    ["'x'  ''", ['x', '']]
  ])('%j: runs of whitespace make no empty words', (input, expected) => {
    expect(parseCodexArgs(input)).toEqual(expected)
  })
})

describe('sandboxInArgs', () => {
  test.each<[string, string[], string | undefined]>([
    ['none', [], undefined],
    ['other options only', ['--model', 'o4', '--search', '--skip-git-repo-check'], undefined],
    ['--sandbox X', ['--sandbox', 'read-only'], 'read-only'],
    ['-s X', ['-s', 'workspace-write'], 'workspace-write'],
    ['--sandbox=X', ['--sandbox=read-only'], 'read-only'],
    ['-sX', ['-sread-only'], 'read-only'],
    ['-s=X', ['-s=read-only'], 'read-only'],
    ['--sandbox with no value after it', ['--model', 'o4', '--sandbox'], undefined],
    ['-s with no value after it', ['-s'], undefined],
    ['the last one wins', ['-s', 'read-only', '--sandbox', 'workspace-write'], 'workspace-write'],
    [
      '--dangerously-bypass-approvals-and-sandbox',
      ['--dangerously-bypass-approvals-and-sandbox'],
      'danger-full-access'
    ],
    ['--yolo (its alias)', ['--yolo'], 'danger-full-access'],
    [
      '-c sandbox_mode=danger-full-access',
      ['-c', 'sandbox_mode=danger-full-access'],
      'danger-full-access'
    ],
    [
      '--config sandbox_mode = "danger-full-access"',
      ['--config', 'sandbox_mode = "danger-full-access"'],
      'danger-full-access'
    ],
    [
      "--config=sandbox_mode='danger-full-access'",
      ["--config=sandbox_mode='danger-full-access'"],
      'danger-full-access'
    ],
    [
      '-csandbox_mode=danger-full-access',
      ['-csandbox_mode=danger-full-access'],
      'danger-full-access'
    ],
    [
      'a later sandbox_mode setting wins',
      ['-c', 'sandbox_mode=danger-full-access', '-c', 'sandbox_mode=read-only'],
      undefined
    ],
    [
      'sandbox_mode that is not a -c value',
      ['--model', 'sandbox_mode=danger-full-access'],
      undefined
    ],
    [
      'another setting whose name ends in sandbox_mode',
      ['-c', 'x.sandbox_mode=danger-full-access'],
      undefined
    ],
    [
      'a danger setting next to -s read-only',
      ['-s', 'read-only', '-c', 'sandbox_mode=danger-full-access'],
      'danger-full-access'
    ],
    ['another -c setting', ['-c', 'model=o4'], undefined]
  ])('%s', (_, args, expected) => {
    expect(sandboxInArgs(args)).toBe(expected)
  })

  // Only an argument that is -c or --config itself makes the next one a setting, and only one
  // that starts with -c or --config= carries its own.
  test.each<[string, string[]]>([
    ['after an option that ends in -c', ['x-c', 'sandbox_mode=danger-full-access']],
    ['after -c with its own value', ['-cmodel=o4', 'sandbox_mode=danger-full-access']],
    ['inside another argument', ['--note=-csandbox_mode=danger-full-access']],
    ['a value that is quoted only at its end', ['-c', 'sandbox_mode=danger-full-access""']],
    ['a value that is quoted only at its start', ['-c', 'sandbox_mode=""danger-full-access']]
  ])('no danger-full-access setting: %s', (_, args) => {
    expect(sandboxInArgs(args)).toBeUndefined()
  })

  test('a setting with spaces around its value', () => {
    expect(sandboxInArgs(['-c', ' sandbox_mode =  "danger-full-access"  '])).toBe(
      'danger-full-access'
    )
  })

  test('-sX is X as written, = only dropped at its start', () => {
    expect(sandboxInArgs(['-sread=only'])).toBe('read=only')
  })

  // Fixed (src/codex/args.ts sandboxInArgs): Codex 0.169.0 runs with "sandbox: danger-full-access" when a
  // bypass flag is given with any --sandbox/-s, in either order (seen: `codex exec --yolo -s
  // read-only` prints "sandbox: danger-full-access"), but sandboxInArgs keeps the last option
  // (read-only), so readConfig does not ask for allow-danger-full-access. The bypass flag must win.
  test.each([
    [['--yolo', '-s', 'read-only']],
    [['--dangerously-bypass-approvals-and-sandbox', '--sandbox', 'read-only']],
    [['--yolo', '--sandbox=workspace-write']]
  ])('a bypass flag wins over a later sandbox option: %j', args => {
    expect(sandboxInArgs(args)).toBe('danger-full-access')
  })
})

// Fixed (src/codex/args.ts configValue, credentialStoreOverride): Codex 0.169.0 reads
// a -c value as TOML, so a comment or a line break may follow it (seen: `codex exec -c
// 'sandbox_mode="danger-full-access" # note'` and the same with "\n#x" print "sandbox:
// danger-full-access"; `codex -c$'cli_auth_credentials_store="keyring"\n#x' login status` reads
// the keyring), but the patterns here stop at the line break or keep the comment, so the setting
// is not seen: danger-full-access without allow-danger-full-access, a credential store override
// that is not refused.
describe('a -c value followed by a TOML comment or a line break', () => {
  test.each([
    [['-c', 'sandbox_mode="danger-full-access" # note']],
    [['-c', 'sandbox_mode="danger-full-access"\n#x']],
    [['-csandbox_mode="danger-full-access"\n#x']]
  ])('%j asks for danger-full-access', args => {
    expect(sandboxInArgs(args)).toBe('danger-full-access')
  })

  test('-ccli_auth_credentials_store="keyring" then a line break is an override', () => {
    expect(credentialStoreOverride(['-ccli_auth_credentials_store="keyring"\n#x'])).toBe(true)
  })
})

describe('credentialStoreOverride', () => {
  test.each<[string, string[]]>([
    ['-c X', ['-c', 'cli_auth_credentials_store=keyring']],
    ['--config X', ['--config', 'cli_auth_credentials_store = "file"']],
    ['--config=X', ['--config=cli_auth_credentials_store=keyring']],
    ['-cX', ['-ccli_auth_credentials_store=keyring']],
    ['leading whitespace in the setting', ['-c', '  cli_auth_credentials_store=auto']],
    ['after other options', ['--model', 'o4', '-c', 'cli_auth_credentials_store=keyring']],
    ['a line break inside the -c value', ['-c', 'cli_auth_credentials_store=keyring\n#x']]
  ])('%s: an override', (_, args) => {
    expect(credentialStoreOverride(args)).toBe(true)
  })

  test.each<[string, string[]]>([
    ['nothing', []],
    ['other settings', ['-c', 'model=o4', '--config', 'sandbox_mode=read-only']],
    ['the setting not as the value of -c', ['cli_auth_credentials_store=keyring']],
    ['after another option', ['--model', 'cli_auth_credentials_store=keyring']],
    ['after an option that only ends in -c', ['x-c', 'cli_auth_credentials_store=keyring']],
    [
      'after an option that only starts with --config',
      ['--configs', 'cli_auth_credentials_store=x']
    ],
    ['a longer name', ['-c', 'cli_auth_credentials_store_hint=1']],
    ['a name inside another', ['-c', 'x.cli_auth_credentials_store=1']],
    ['the name without a value', ['-c', 'cli_auth_credentials_store']],
    ['-c last, with nothing after it', ['--model', 'o4', '-c']],
    ['an empty --config=', ['--config=']],
    ['inside another argument', ['--note=-ccli_auth_credentials_store=keyring']]
  ])('%s: none', (_, args) => {
    expect(credentialStoreOverride(args)).toBe(false)
  })
})

describe('the options an input stands for, in codex-args', () => {
  test.each<[string[], string | undefined]>([
    [[], undefined],
    [['--model', 'o4'], 'o4'],
    [['-m', 'o4'], 'o4'],
    [['--model=o4'], 'o4'],
    [['-mo4'], 'o4'],
    [['-m=o4'], 'o4'],
    [['--model'], undefined],
    [['--models', 'x', '--mode=y'], undefined],
    [['-c', 'model=o4'], undefined], // a config setting, not the option: Codex accepts both at once
    [['-m', 'a', '--model', 'b'], 'b']
  ])('modelInArgs(%j) = %j', (args, model) => {
    expect(modelInArgs(args)).toBe(model)
  })

  test.each<[string[], string | undefined]>([
    [['--output-schema', 's.json'], 's.json'],
    [['--output-schema=s.json'], 's.json'],
    [['--output-last-message', 'x'], undefined],
    [['-o', 's.json'], undefined]
  ])('outputSchemaInArgs(%j) = %j', (args, file) => {
    expect(outputSchemaInArgs(args)).toBe(file)
  })

  test.each<[string[], string | undefined]>([
    [['-c', 'model_reasoning_effort=high'], 'high'],
    [['--config', 'model_reasoning_effort = "low"'], 'low'],
    [['-cmodel_reasoning_effort=minimal'], 'minimal'],
    [['-c', 'model_reasoning_summary=auto'], undefined],
    [['--model', 'model_reasoning_effort=high'], undefined]
  ])('effortInArgs(%j) = %j', (args, effort) => {
    expect(effortInArgs(args)).toBe(effort)
  })
})
