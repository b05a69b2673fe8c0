/**
 * Every input read and validated once, into one typed config. Errors name the input and what is
 * allowed; the auth-json value is never echoed (it is validated later, by the auth model).
 */
import * as core from '@actions/core'
import os from 'node:os'
import path from 'node:path'
// zod's smaller build: the same rules, a fraction of the start-up (bench/HISTORY.md).
import * as z from 'zod/mini'
import {
  credentialStoreOverride,
  effortInArgs,
  modelInArgs,
  outputSchemaInArgs,
  parseCodexArgs,
  sandboxInArgs
} from '../codex/args.js'
import { passThroughRefusal } from '../codex/environment.js'
import { isExactVersion } from '../codex/platform.js'
import { parseDuration } from '../auth/index.js'
import { ActionError } from '../errors.js'
import {
  CONSUMER_SECRET_SUFFIX,
  DEFAULT_MIN_VALIDITY,
  DEFAULT_REFRESH_AHEAD,
  Roles,
  type Role,
  DEFAULT_PROMPT,
  DEFAULT_REGISTRY_URL,
  DEFAULT_STORAGE_TIMEOUT_SECONDS,
  Input,
  DEFAULT_SANDBOX,
  DEFAULT_SECRET_NAME,
  Modes,
  PINNED_CODEX_VERSION,
  ReasoningEfforts,
  SandboxModes,
  Storages,
  type Mode,
  type SandboxMode
} from '../names.js'
import { workspace } from '../platform/runner.js'
import { MIN_ENCRYPTION_KEY_LENGTH } from '../storage/crypto.js'

export type StorageConfig =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'github-secret'
      readonly secretName: string
      readonly secretToken: string
      readonly environment: string | undefined
      readonly org: string | undefined
    }
  | { readonly kind: 'command'; readonly restoreCommand: string; readonly persistCommand: string }
  | { readonly kind: 'directory'; readonly path: string }
  | {
      readonly kind: 'cache'
      readonly cacheKey: string
      /** Undefined: the key is derived from the auth-json seed (readConfig makes sure there is one). */
      readonly encryptionKey: string | undefined
      readonly allowAnyBranch: boolean
    }

/** What mode run needs; mode setup has none of it (later steps run codex). */
export interface RunConfig {
  readonly prompt: { readonly text: string } | { readonly file: string }
  readonly codexArgs: string[]
  /** Passed as `--sandbox`; undefined when codex-args already carries a sandbox option. */
  readonly sandbox: SandboxMode | undefined
  /** false: Codex's shell tool is switched off (`-c features.shell_tool=false`): no commands run. */
  readonly shellTool: boolean
  readonly workingDirectory: string
  readonly outputFile: string | undefined
  /** Passed as `--model`. */
  readonly model: string | undefined
  /** Passed as `-c model_reasoning_effort=...`. */
  readonly effort: string | undefined
  /**
   * Passed as `--output-schema <file>`: inline JSON (written to a private scratch file while Codex
   * runs) or a file of the user's (checked on disk before Codex runs).
   */
  readonly outputSchema: { readonly text: string } | { readonly file: string } | undefined
}

export interface Config {
  readonly mode: Mode
  /** The seed session from a secret, unparsed; undefined when the input is empty. */
  readonly authJson: string | undefined
  readonly codexHome: string
  readonly storage: StorageConfig
  /** Undefined in setup and verify modes. */
  readonly run: RunConfig | undefined
  readonly codexPath: string | undefined
  readonly githubToken: string
  /** An exact version or `latest`. */
  readonly codexVersion: string
  /** The npm registry's base URL, ending in a slash. */
  readonly registryUrl: string
  /** The bound of each call to the storage. */
  readonly storageTimeoutMs: number
  /** Further variables Codex and the commands it runs may see (pass-through-env). */
  readonly passThroughEnv: string[]
  readonly allowDangerFullAccess: boolean
  /** owner (one job holds the session), refresher or consumer (fan-out). */
  readonly role: Role
  /** refresher: make Codex refresh when the access token expires within this. */
  readonly refreshAheadMs: number
  /** consumer: refuse a bundle whose access token expires within this. */
  readonly minValidityMs: number
}

export class InputError extends ActionError {}

type GetInput = (name: string) => string

const oneOf = (name: string, values: readonly string[]) =>
  `Input '${name}' must be one of: ${values.join(', ')}.`

const RawInputs = z
  .object({
    storage: z.enum(Storages, { error: oneOf(Input.Storage, Storages) }),
    storagePath: z.string(),
    mode: z.enum(Modes, { error: oneOf(Input.Mode, Modes) }),
    prompt: z.string(),
    promptFile: z.string(),
    outputFile: z.string(),
    codexArgs: z.string(),
    authJson: z.string(),
    cacheKey: z.string().check(
      z.regex(/^[A-Za-z0-9._-]{1,100}$/, {
        error: `Input '${Input.CacheKey}' must be 1 to 100 letters, digits, '.', '_' or '-'.`
      })
    ),
    encryptionKey: z.string(),
    allowAnyBranch: z.enum(['true', 'false'], {
      error: `Input '${Input.AllowAnyBranch}' must be true or false.`
    }),
    codexVersion: z.string().check(
      z.refine(version => version === 'latest' || isExactVersion(version), {
        error: `Input '${Input.CodexVersion}' must be 'latest' or an exact version such as ${PINNED_CODEX_VERSION}.`
      })
    ),
    registryUrl: z.url({
      protocol: /^https?$/,
      error: `Input '${Input.RegistryUrl}' must be an http(s) URL, like ${DEFAULT_REGISTRY_URL}.`
    }),
    githubToken: z.string().check(
      z.regex(/^\S*$/, {
        error:
          `Input '${Input.GithubToken}' holds whitespace (a space or a line break): give one token, the token ` +
          "alone (no 'Bearer', no second line)."
      })
    ),
    sandbox: z.union([z.literal(''), z.enum(SandboxModes)], {
      error: oneOf(Input.Sandbox, SandboxModes)
    }),
    allowDangerFullAccess: z.enum(['true', 'false'], {
      error: `Input '${Input.AllowDangerFullAccess}' must be true or false.`
    }),
    secretName: z.string().check(
      z.regex(/^(?!GITHUB_)[A-Za-z_][A-Za-z0-9_]{0,99}$/i, {
        error: `Input '${Input.SecretName}' must be a secret name: letters, digits and _, not starting with a digit or GITHUB_.`
      })
    ),
    secretToken: z.string(),
    secretEnvironment: z.string(),
    secretOrg: z.string(),
    restoreCommand: z.string(),
    persistCommand: z.string(),
    shellTool: z.enum(['true', 'false'], {
      error: `Input '${Input.ShellTool}' must be true or false.`
    }),
    role: z.enum(Roles, { error: oneOf(Input.Role, Roles) }),
    refreshAhead: z.string().check(
      z.refine(text => parseDuration(text) !== undefined, {
        error: durationError(Input.RefreshAhead, DEFAULT_REFRESH_AHEAD)
      })
    ),
    minValidity: z.string().check(
      z.refine(text => parseDuration(text) !== undefined, {
        error: durationError(Input.MinValidity, DEFAULT_MIN_VALIDITY)
      })
    ),
    storageTimeout: z.string().check(
      z.regex(/^\d{1,4}$/, {
        error: `Input '${Input.StorageTimeout}' must be a whole number of seconds (1 to 3600), like ${DEFAULT_STORAGE_TIMEOUT_SECONDS}.`
      })
    ),
    model: z.string().check(
      z.regex(/^(?:[A-Za-z0-9][A-Za-z0-9._:/-]*)?$/, {
        error:
          `Input '${Input.Model}' must be a model name such as gpt-5.1-codex: letters, digits, '.', '_', ` +
          "':', '/' or '-', starting with a letter or digit."
      })
    ),
    effort: z.union([z.literal(''), z.enum(ReasoningEfforts)], {
      error:
        `${oneOf(Input.Effort, ReasoningEfforts)} For a value this release does not know, pass it in ` +
        `'${Input.CodexArgs}' as -c model_reasoning_effort=<value> instead.`
    }),
    outputSchema: z.string(),
    outputSchemaFile: z.string()
  })
  .check(
    z.superRefine((raw, ctx) => {
      // Stryker disable next-line StringLiteral: equivalent, only the messages of the issues are used
      const problem = (message: string) => ctx.addIssue({ code: 'custom', message })
      // Stryker disable next-line MethodExpression: equivalent, readConfig passes storage-path trimmed already
      if (raw.storage === 'directory' && raw.storagePath.trim() === '') {
        problem(
          `Input '${Input.StoragePath}' is required with storage: directory: name a directory.`
        )
      }
      if (raw.storage !== 'directory' && raw.storagePath !== '') {
        problem(
          `Input '${Input.StoragePath}' is only used with storage: directory; remove it or set storage.`
        )
      }
      const onlyFor = (storage: string, names: [string, string][]) => {
        for (const [name, value] of names) {
          if (raw.storage !== storage && value.trim() !== '')
            problem(
              `Input '${name}' is only used with storage: ${storage}; remove it or set storage.`
            )
        }
      }
      onlyFor('github-secret', [
        [Input.SecretToken, raw.secretToken],
        [Input.SecretEnvironment, raw.secretEnvironment],
        [Input.SecretOrg, raw.secretOrg]
      ])
      onlyFor('command', [
        [Input.RestoreCommand, raw.restoreCommand],
        [Input.PersistCommand, raw.persistCommand]
      ])
      roleProblems(raw).forEach(problem)
      if (raw.storage === 'github-secret' && raw.role !== 'consumer') {
        if (raw.secretToken === '') {
          problem(
            `storage: github-secret needs '${Input.SecretToken}': a fine-grained token or GitHub App ` +
              'installation token with "Secrets: write" on this repository (from a secret).'
          )
        } else if (raw.secretToken === raw.githubToken) {
          problem(
            `Input '${Input.SecretToken}' is the job's GITHUB_TOKEN, which can never write secrets (there is ` +
              'no secrets permission for it). Give a fine-grained token or a GitHub App installation token ' +
              'with "Secrets: write".'
          )
        }
        if (raw.authJson.trim() === '') {
          problem(
            `storage: github-secret keeps the session in the secret passed as '${Input.AuthJson}': pass it ` +
              `(auth-json: \${{ secrets.${raw.secretName} }}).`
          )
        }
        if (raw.secretEnvironment !== '' && raw.secretOrg !== '') {
          problem(
            `Inputs '${Input.SecretEnvironment}' and '${Input.SecretOrg}' exclude each other: set one.`
          )
        }
      }
      if (
        raw.storage === 'command' &&
        raw.role !== 'consumer' &&
        (raw.restoreCommand === '' || raw.persistCommand === '')
      ) {
        problem(
          `storage: command needs both '${Input.RestoreCommand}' (prints the stored auth.json) and ` +
            `'${Input.PersistCommand}' (reads it on stdin).`
        )
      }
      if (raw.encryptionKey !== '' && raw.encryptionKey.trim() === '') {
        problem(
          `Input '${Input.EncryptionKey}' is only whitespace: most likely the secret it names is empty ` +
            'or missing. Set the secret (make one with `openssl rand -base64 32`), or remove the input.'
        )
      } else if (raw.encryptionKey !== '' && raw.encryptionKey.length < MIN_ENCRYPTION_KEY_LENGTH) {
        problem(
          `Input '${Input.EncryptionKey}' must be at least ${MIN_ENCRYPTION_KEY_LENGTH} characters ` +
            '(make one with `openssl rand -base64 32`).'
        )
      }
      if (
        raw.storage === 'cache' &&
        raw.role === 'owner' &&
        raw.encryptionKey === '' &&
        raw.authJson.trim() === ''
      ) {
        problem(
          `storage: cache encrypts the session (the cache is readable from pull requests and forks) and ` +
            `needs a key: set '${Input.EncryptionKey}' (a secret), or '${Input.AuthJson}' to derive it from.`
        )
      }
      if (raw.prompt !== '' && raw.promptFile !== '') {
        problem(`Inputs '${Input.Prompt}' and '${Input.PromptFile}' exclude each other: set one.`)
      }
      if (raw.prompt.includes('\0')) {
        problem(`Input '${Input.Prompt}' holds a NUL byte: a prompt must be text.`)
      }
      const seconds = Number(raw.storageTimeout)
      if (/^\d+$/.test(raw.storageTimeout) && (seconds < 1 || seconds > 3600)) {
        problem(`Input '${Input.StorageTimeout}' must be between 1 and 3600 seconds.`)
      }
      if (raw.outputSchema !== '' && raw.outputSchemaFile !== '') {
        problem(
          `Inputs '${Input.OutputSchema}' and '${Input.OutputSchemaFile}' exclude each other: set one.`
        )
      } else if (raw.outputSchema.trim() !== '') {
        const schemaProblem = jsonObjectProblem(raw.outputSchema)
        if (schemaProblem)
          problem(
            `Input '${Input.OutputSchema}' ${schemaProblem}: give a JSON Schema as one JSON object, ` +
              'such as {"type": "object", "properties": {...}}.'
          )
      }
      if (raw.mode !== 'run') {
        const runOnly = [
          [Input.Prompt, raw.prompt],
          [Input.PromptFile, raw.promptFile],
          [Input.OutputFile, raw.outputFile],
          [Input.CodexArgs, raw.codexArgs],
          [Input.Sandbox, raw.sandbox],
          [Input.Model, raw.model],
          [Input.Effort, raw.effort],
          [Input.OutputSchema, raw.outputSchema],
          [Input.OutputSchemaFile, raw.outputSchemaFile]
        ] as const
        const why =
          raw.mode === 'setup' ? 'in setup mode later steps run codex' : 'verify mode runs no Codex'
        for (const [name, value] of runOnly) {
          if (value.trim() !== '') {
            problem(
              `Input '${name}' is only used with mode: run; ${why}. Remove it, or set mode: run.`
            )
          }
        }
      }
    })
  )

export function readConfig(
  getRawInput: GetInput = name => core.getInput(name, { trimWhitespace: false }),
  env: NodeJS.ProcessEnv = process.env
): Config {
  const getInput = (name: string) => getRawInput(name).trim()
  // A key of only whitespace is an empty secret, not "no key": refused, never taken as empty.
  const encryptionKey = getRawInput(Input.EncryptionKey)
  const raw = {
    storage: getInput(Input.Storage) || 'cache',
    storagePath: getInput(Input.StoragePath),
    mode: getInput(Input.Mode) || 'run',
    prompt: getRawInput(Input.Prompt),
    promptFile: getInput(Input.PromptFile),
    outputFile: getInput(Input.OutputFile),
    codexArgs: getInput(Input.CodexArgs),
    authJson: getRawInput(Input.AuthJson),
    cacheKey: getInput(Input.CacheKey) || 'codex-auth',
    encryptionKey: encryptionKey.trim() === '' ? encryptionKey : encryptionKey.trim(),
    allowAnyBranch: (getInput(Input.AllowAnyBranch) || 'false').toLowerCase(),
    codexVersion: getInput(Input.CodexVersion) || PINNED_CODEX_VERSION,
    registryUrl: getInput(Input.RegistryUrl) || DEFAULT_REGISTRY_URL,
    storageTimeout: getInput(Input.StorageTimeout) || String(DEFAULT_STORAGE_TIMEOUT_SECONDS),
    githubToken: getInput(Input.GithubToken),
    sandbox: getInput(Input.Sandbox),
    allowDangerFullAccess: (getInput(Input.AllowDangerFullAccess) || 'false').toLowerCase(),
    shellTool: (getInput(Input.ShellTool) || 'true').toLowerCase(),
    secretName: getInput(Input.SecretName) || DEFAULT_SECRET_NAME,
    secretToken: getInput(Input.SecretToken),
    secretEnvironment: getInput(Input.SecretEnvironment),
    secretOrg: getInput(Input.SecretOrg),
    restoreCommand: getInput(Input.RestoreCommand),
    persistCommand: getInput(Input.PersistCommand),
    model: getInput(Input.Model),
    effort: getInput(Input.Effort).toLowerCase(),
    outputSchema: getInput(Input.OutputSchema),
    outputSchemaFile: getInput(Input.OutputSchemaFile),
    role: getInput(Input.Role) || 'owner',
    refreshAhead: getInput(Input.RefreshAhead) || DEFAULT_REFRESH_AHEAD,
    minValidity: getInput(Input.MinValidity) || DEFAULT_MIN_VALIDITY
  }
  // The runner always passes an input with a default; a blank one is a variable that is empty.
  const given = (name: string) =>
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] !== undefined
  if (given(Input.CacheKey) && getInput(Input.CacheKey) === '') {
    throw new InputError(
      `Input '${Input.CacheKey}' is empty: most likely the variable or secret it names is empty. Set it ` +
        '(1 to 100 letters, digits, ., _ or -), or remove the input to use the default codex-auth.'
    )
  }
  const parsed = RawInputs.safeParse(raw)
  if (!parsed.success) {
    throw new InputError(parsed.error.issues.map(issue => issue.message).join('\n'))
  }
  const data = parsed.data
  let codexArgs: string[]
  try {
    codexArgs = parseCodexArgs(data.codexArgs)
  } catch (error) {
    throw new InputError((error as Error).message)
  }
  const sandbox = resolveSandbox(
    data.sandbox || undefined,
    codexArgs,
    data.allowDangerFullAccess === 'true'
  )
  refuseTwice(Input.Model, data.model, modelInArgs(codexArgs), '--model')
  refuseTwice(Input.Effort, data.effort, effortInArgs(codexArgs), '-c model_reasoning_effort=')
  for (const name of [Input.OutputSchema, Input.OutputSchemaFile]) {
    const value = name === Input.OutputSchema ? data.outputSchema : data.outputSchemaFile
    refuseTwice(name, value, outputSchemaInArgs(codexArgs), '--output-schema')
  }
  const passThroughEnv = parsePassThroughEnv(getInput(Input.PassThroughEnv))
  if (credentialStoreOverride(codexArgs)) {
    throw new InputError(
      `Input '${Input.CodexArgs}' overrides cli_auth_credentials_store: Codex would keep the refreshed ` +
        'session outside auth.json, where the action cannot store it. Remove that override.'
    )
  }

  const base = workspace(env)
  const resolve = (value: string) => (value === '' ? undefined : resolvePath(value, base))
  const storage = storageConfig(data, base)
  const run: RunConfig | undefined =
    data.mode !== 'run'
      ? undefined
      : {
          prompt:
            data.promptFile !== ''
              ? { file: resolvePath(data.promptFile, base) }
              : { text: data.prompt || DEFAULT_PROMPT },
          codexArgs,
          sandbox,
          shellTool: data.shellTool === 'true',
          workingDirectory: resolve(getInput(Input.WorkingDirectory)) ?? base,
          outputFile: resolve(data.outputFile),
          model: data.model || undefined,
          effort: data.effort || undefined,
          outputSchema:
            data.outputSchemaFile !== ''
              ? { file: resolvePath(data.outputSchemaFile, base) }
              : data.outputSchema.trim() !== ''
                ? { text: data.outputSchema }
                : undefined
        }
  return {
    mode: data.mode,
    authJson: data.authJson.trim() === '' ? undefined : data.authJson,
    codexHome: resolvePath(getInput(Input.CodexHome) || env.CODEX_HOME || '~/.codex', base),
    storage,
    run,
    codexPath: resolve(getInput(Input.CodexPath)),
    githubToken: data.githubToken,
    codexVersion: data.codexVersion,
    registryUrl: data.registryUrl.replace(/\/*$/, '/'),
    storageTimeoutMs: Number(data.storageTimeout) * 1000,
    passThroughEnv,
    allowDangerFullAccess: data.allowDangerFullAccess === 'true',
    role: data.role,
    refreshAheadMs: parseDuration(data.refreshAhead)!,
    minValidityMs: parseDuration(data.minValidity)!
  }
}

function durationError(name: string, example: string): string {
  return (
    `Input '${name}' must be a whole number of hours or days, like 36h or ${example} ` +
    '(the letter h or d right after the number, nothing else).'
  )
}

/** What the roles need of the other inputs, as messages (empty when all is well). */
function roleProblems(raw: {
  role: Role
  mode: string
  storage: string
  authJson: string
  encryptionKey: string
  secretName: string
  secretToken: string
  restoreCommand: string
}): string[] {
  const problems: string[] = []
  const role = `role: ${raw.role}`
  if (raw.role === 'owner') return problems
  if (raw.storage === 'cache' && raw.encryptionKey === '') {
    problems.push(
      `storage: cache with ${role} needs '${Input.EncryptionKey}' (a secret, the same in the refresher ` +
        'and in every consumer): the session and the consumer bundle are encrypted with it, and a ' +
        'consumer has no auth-json to derive a key from. Make one with `openssl rand -base64 32`.'
    )
  }
  if (raw.role === 'refresher') {
    if (raw.storage === 'none') {
      problems.push(
        `Input '${Input.Role}' is refresher, which publishes a consumer bundle in its storage, and ` +
          'storage: none has no place for one: set storage: cache, directory, github-secret or command.'
      )
    }
    if (
      raw.storage === 'github-secret' &&
      raw.secretName.length + CONSUMER_SECRET_SUFFIX.length > 100
    ) {
      problems.push(
        `Input '${Input.SecretName}' is too long for ${role}: the consumer bundle goes into the secret ` +
          `${raw.secretName}${CONSUMER_SECRET_SUFFIX}, which must stay within 100 characters.`
      )
    }
    return problems
  }
  // role: consumer
  if (raw.mode === 'verify') {
    problems.push(
      `Input '${Input.Role}': mode: verify checks the full session, and role: consumer has none. A ` +
        'consumer run already fails before Codex runs when its bundle does not last (min-validity); ' +
        'verify the refresher instead (role: refresher, mode: verify).'
    )
  }
  if ((raw.storage === 'none' || raw.storage === 'github-secret') && raw.authJson.trim() === '') {
    problems.push(
      `storage: ${raw.storage} with ${role} needs '${Input.AuthJson}': the consumer bundle ` +
        (raw.storage === 'github-secret'
          ? `the refresher publishes in the secret ${raw.secretName}${CONSUMER_SECRET_SUFFIX} ` +
            `(auth-json: \${{ secrets.${raw.secretName}${CONSUMER_SECRET_SUFFIX} }}).`
          : 'that a refresher published.')
    )
  }
  if (raw.storage === 'github-secret' && raw.secretToken !== '') {
    problems.push(
      `Input '${Input.SecretToken}' is not used with ${role}: a consumer writes nothing, and a job that ` +
        'runs less trusted code should not hold a token that can write secrets. Remove it.'
    )
  }
  if (raw.storage === 'command' && raw.restoreCommand === '') {
    problems.push(
      `storage: command with ${role} needs '${Input.RestoreCommand}': it prints the consumer bundle ` +
        `(${'$'}CODEX_AUTH_ITEM is consumer when it runs).`
    )
  }
  return problems
}

function storageConfig(data: z.infer<typeof RawInputs>, base: string): StorageConfig {
  switch (data.storage) {
    case 'directory':
      // Stryker disable next-line MethodExpression: equivalent, readConfig passes storage-path trimmed already
      return { kind: 'directory', path: resolvePath(data.storagePath.trim(), base) }
    case 'cache':
      return {
        kind: 'cache',
        cacheKey: data.cacheKey,
        encryptionKey: data.encryptionKey || undefined,
        allowAnyBranch: data.allowAnyBranch === 'true'
      }
    case 'github-secret':
      return {
        kind: 'github-secret',
        secretName: data.secretName,
        secretToken: data.secretToken,
        environment: data.secretEnvironment || undefined,
        org: data.secretOrg || undefined
      }
    case 'command':
      return {
        kind: 'command',
        restoreCommand: data.restoreCommand,
        persistCommand: data.persistCommand
      }
    case 'none':
      return { kind: 'none' }
  }
}

/**
 * The `--sandbox` to add: the input, else none when codex-args names one (Codex refuses a repeated
 * option), else the default. danger-full-access, however it is asked for, needs the opt-in.
 */
function resolveSandbox(
  input: SandboxMode | undefined,
  codexArgs: readonly string[],
  allowDanger: boolean
): SandboxMode | undefined {
  const inArgs = sandboxInArgs(codexArgs)
  if (input !== undefined && inArgs !== undefined) {
    throw new InputError(
      `Input '${Input.Sandbox}' and a sandbox option in '${Input.CodexArgs}' exclude each other ` +
        '(Codex refuses a repeated --sandbox): set one of them.'
    )
  }
  if ((input ?? inArgs) === 'danger-full-access' && !allowDanger) {
    throw new InputError(
      `danger-full-access (asked for in '${input ? Input.Sandbox : Input.CodexArgs}') lets every command ` +
        "the model runs read the action's own secret inputs and write the runner's command files, and a " +
        `prompt may carry text that others wrote. Set '${Input.AllowDangerFullAccess}: true' only if ` +
        'that is what you want; otherwise use workspace-write or read-only.'
    )
  }
  return inArgs === undefined ? (input ?? DEFAULT_SANDBOX) : undefined
}

/**
 * An input given as well as the option it stands for in codex-args: Codex refuses a repeated
 * option, and which of the two was meant cannot be guessed.
 */
function refuseTwice(
  input: string,
  value: string,
  inArgs: string | undefined,
  option: string
): void {
  if (value.trim() !== '' && inArgs !== undefined) {
    throw new InputError(
      `Input '${input}' and ${option} in '${Input.CodexArgs}' exclude each other (Codex refuses a ` +
        'repeated option): set one of them.'
    )
  }
}

/** Why `text` is not one JSON object, or undefined when it is. Pure. */
export function jsonObjectProblem(text: string): string | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return `is not valid JSON (${(error as Error).message})`
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `is JSON but not an object (it is ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value})`
  return undefined
}

/** `pass-through-env`: names separated by commas or new lines. */
function parsePassThroughEnv(text: string): string[] {
  const names = text
    .split(/[,\n]/)
    .map(name => name.trim())
    .filter(name => name !== '')
  for (const name of names) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new InputError(
        `Input '${Input.PassThroughEnv}': '${name}' is not a variable name (letters, digits and _, ` +
          'separated by commas or new lines).'
      )
    }
    const refusal = passThroughRefusal(name)
    if (refusal) {
      throw new InputError(
        `Input '${Input.PassThroughEnv}' may not name ${name}: ${refusal}. Remove it from '${Input.PassThroughEnv}'.`
      )
    }
  }
  return names
}

/** Expands a leading ~ and resolves against the workspace, as users expect from a path input. */
export function resolvePath(value: string, base: string): string {
  const expanded =
    value === '~' || value.startsWith('~/') ? path.join(os.homedir(), value.slice(1)) : value
  return path.resolve(base, expanded)
}
