/**
 * `codex-args`: a JSON array of strings, or a shell-like string (quotes and backslashes as in sh,
 * no expansion). Pure.
 */
export function parseCodexArgs(text: string): string[] {
  const trimmed = text.trim()
  // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, splitShellWords('') returns [] as well
  if (trimmed === '') return []
  if (trimmed.startsWith('[')) {
    let value: unknown
    try {
      value = JSON.parse(trimmed)
    } catch {
      throw new Error("'codex-args' starts with '[' but is not a JSON array of strings.")
    }
    if (!Array.isArray(value) || !value.every(item => typeof item === 'string')) {
      throw new Error("'codex-args' must be a JSON array of strings, or a shell-like string.")
    }
    return value
  }
  return splitShellWords(trimmed)
}

function splitShellWords(text: string): string[] {
  const words: string[] = []
  let word = ''
  // Stryker disable next-line BooleanLiteral: equivalent, the text is trimmed, so its first character always starts a word
  let inWord = false
  let quote: '"' | "'" | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote === "'") {
      if (c === "'") quote = undefined
      else word += c
    } else if (quote === '"') {
      if (c === '"') quote = undefined
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!))
        word += text[++i]
      else word += c
    } else if (c === "'" || c === '"') {
      quote = c
      inWord = true
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i]
      inWord = true
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += c
      inWord = true
    }
  }
  if (quote) throw new Error(`'codex-args' has an unclosed ${quote} quote.`)
  // Stryker disable next-line ConditionalExpression: equivalent, the text is trimmed, so it never ends outside a word
  if (inWord) words.push(word)
  return words
}

/** Whether the arguments override where Codex keeps credentials (`-c cli_auth_credentials_store=...`). */
export function credentialStoreOverride(args: readonly string[]): boolean {
  return args.some((arg, i) => {
    // Stryker disable next-line StringLiteral: equivalent, any text that is not -c or --config stands for no previous argument, as '' does
    const value = /^(-c|--config)$/.test(args[i - 1] ?? '')
      ? arg
      : (/^(?:--config=|-c)(.+)$/s.exec(arg)?.[1] ?? '')
    return /^\s*cli_auth_credentials_store\s*=/.test(value)
  })
}

/** The value of a `-c`/`--config` setting named `key` in the arguments, if any (last one wins). */
function configValue(args: readonly string[], key: string): string | undefined {
  let found: string | undefined
  args.forEach((arg, i) => {
    // Stryker disable next-line StringLiteral: equivalent, any text that is not -c or --config stands for no previous argument, as '' does
    const setting = /^(-c|--config)$/.test(args[i - 1] ?? '')
      ? arg
      : /^(?:--config=|-c)(.+)$/s.exec(arg)?.[1]
    const match =
      // Stryker disable next-line ConditionalExpression: equivalent, the pattern does not match 'undefined' either
      setting === undefined ? null : new RegExp(`^\\s*${key}\\s*=\\s*(.*)$`, 's').exec(setting)
    // Codex reads the value as TOML: a quoted string or a bare word, then maybe a comment or lines.
    if (match)
      found = /^\s*(?:"([^"]*)"|'([^']*)'|([^\s#]*))/
        .exec(match[1]!)!
        .slice(1)
        .find(v => v !== undefined)
  })
  return found
}

/**
 * The sandbox that `codex-args` asks for, in any of the spellings Codex accepts: `--sandbox X`,
 * `-s X`, `--sandbox=X`, `-sX`, `-c sandbox_mode=X`, and the flags that turn the sandbox off
 * (`--dangerously-bypass-approvals-and-sandbox`, its hidden alias `--yolo`). Undefined: none.
 */
export function sandboxInArgs(args: readonly string[]): string | undefined {
  // A bypass flag turns the sandbox off whatever --sandbox says (Codex: sandbox danger-full-access).
  if (args.some(arg => arg === '--dangerously-bypass-approvals-and-sandbox' || arg === '--yolo'))
    return 'danger-full-access'
  const mode = optionValue(args, '--sandbox', '-s')
  // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, the return below gives the same mode when it is danger-full-access
  if (mode === 'danger-full-access') return mode
  return configValue(args, 'sandbox_mode') === 'danger-full-access' ? 'danger-full-access' : mode
}

/**
 * The value of an option, in the spellings Codex's parser accepts: `--long X`, `--long=X`, and
 * with a short name `-x X`, `-xX`, `-x=X`. The last one wins; undefined when it is not given.
 */
function optionValue(args: readonly string[], long: string, short?: string): string | undefined {
  let value: string | undefined
  args.forEach((arg, i) => {
    if ((arg === long || arg === short) && args[i + 1] !== undefined) value = args[i + 1]
    else if (arg.startsWith(`${long}=`)) value = arg.slice(long.length + 1)
    else if (short !== undefined && arg.startsWith(short) && /^-.[^-]/.test(arg))
      value = arg.slice(2).replace(/^=/, '')
  })
  return value
}

/** The model that `codex-args` names (`--model X`, `-m X`, `--model=X`, `-mX`), if any. */
export function modelInArgs(args: readonly string[]): string | undefined {
  return optionValue(args, '--model', '-m')
}

/** The `--output-schema` file that `codex-args` names, if any. */
export function outputSchemaInArgs(args: readonly string[]): string | undefined {
  return optionValue(args, '--output-schema')
}

/** The reasoning effort that `codex-args` sets (`-c model_reasoning_effort=...`), if any. */
export function effortInArgs(args: readonly string[]): string | undefined {
  return configValue(args, 'model_reasoning_effort')
}
