/**
 * Every input read and validated once, into one typed config. Errors name the input and what is
 * allowed; the auth-json value is never echoed (it is validated later, by the auth model).
 */
import { ActionError } from './errors.js'
import * as core from '@actions/core'
import os from 'node:os'
import path from 'node:path'
import * as z from 'zod'
import { parseCodexArgs } from './codex/args.js'
import { MIN_ENCRYPTION_KEY_LENGTH } from './storage/crypto.js'
import { isExactVersion } from './codex/platform.js'
import {
  DEFAULT_PROMPT,
  DEFAULT_REGISTRY_URL,
  Input,
  Modes,
  PINNED_CODEX_VERSION,
  Storages,
  type Mode,
  type StorageKind
} from './names.js'

export interface Config {
  /** The seed session from a secret, unparsed; undefined when the input is empty. */
  readonly authJson: string | undefined
  readonly codexHome: string
  readonly storage: StorageKind
  readonly storagePath: string | undefined
  readonly mode: Mode
  /** Exactly one of prompt and promptFile is set in run mode. */
  readonly prompt: string | undefined
  readonly promptFile: string | undefined
  readonly codexArgs: string[]
  readonly workingDirectory: string
  readonly outputFile: string | undefined
  readonly codexPath: string | undefined
  /** The cache key prefix of storage: cache. */
  readonly cacheKey: string
  readonly encryptionKey: string | undefined
  readonly githubToken: string
  readonly allowAnyBranch: boolean
  /** An exact version or `latest`. */
  readonly codexVersion: string
  /** The npm registry's base URL, ending in a slash. */
  readonly registryUrl: string
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
    cacheKey: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, {
      error: `Input '${Input.CacheKey}' must be 1 to 100 letters, digits, '.', '_' or '-'.`
    }),
    encryptionKey: z.string(),
    allowAnyBranch: z.enum(['true', 'false'], {
      error: `Input '${Input.AllowAnyBranch}' must be true or false.`
    }),
    codexVersion: z.string().refine(version => version === 'latest' || isExactVersion(version), {
      error: `Input '${Input.CodexVersion}' must be 'latest' or an exact version such as ${PINNED_CODEX_VERSION}.`
    }),
    registryUrl: z.url({
      protocol: /^https?$/,
      error: `Input '${Input.RegistryUrl}' must be an http(s) URL, like ${DEFAULT_REGISTRY_URL}.`
    })
  })
  .superRefine((raw, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message })
    if (raw.storage === 'directory' && raw.storagePath === '') {
      problem(`Input '${Input.StoragePath}' is required with storage: directory: name a directory.`)
    }
    if (raw.storage !== 'directory' && raw.storagePath !== '') {
      problem(
        `Input '${Input.StoragePath}' is only used with storage: directory; remove it or set storage.`
      )
    }
    if (raw.storage === 'cache' && raw.encryptionKey === '' && raw.authJson.trim() === '') {
      problem(
        `storage: cache encrypts the session (the cache is readable from pull requests and forks) and ` +
          `needs a key: set '${Input.EncryptionKey}' (a secret), or '${Input.AuthJson}' to derive it from.`
      )
    }
    if (raw.encryptionKey !== '' && raw.encryptionKey.length < MIN_ENCRYPTION_KEY_LENGTH) {
      problem(
        `Input '${Input.EncryptionKey}' must be at least ${MIN_ENCRYPTION_KEY_LENGTH} characters ` +
          '(make one with `openssl rand -base64 32`).'
      )
    }
    if (raw.prompt !== '' && raw.promptFile !== '') {
      problem(`Inputs '${Input.Prompt}' and '${Input.PromptFile}' exclude each other: set one.`)
    }
    if (raw.mode === 'setup') {
      const runOnly = [
        [Input.Prompt, raw.prompt],
        [Input.PromptFile, raw.promptFile],
        [Input.OutputFile, raw.outputFile],
        [Input.CodexArgs, raw.codexArgs]
      ] as const
      for (const [name, value] of runOnly) {
        if (value.trim() !== '') {
          problem(
            `Input '${name}' is only used with mode: run; in setup mode later steps run codex.`
          )
        }
      }
    }
  })

export function readConfig(
  getInput: GetInput = name => core.getInput(name),
  env: NodeJS.ProcessEnv = process.env
): Config {
  const raw = {
    storage: getInput(Input.Storage) || 'cache',
    storagePath: getInput(Input.StoragePath),
    mode: getInput(Input.Mode) || 'run',
    prompt: getInput(Input.Prompt),
    promptFile: getInput(Input.PromptFile),
    outputFile: getInput(Input.OutputFile),
    codexArgs: getInput(Input.CodexArgs),
    authJson: getInput(Input.AuthJson),
    cacheKey: getInput(Input.CacheKey) || 'codex-auth',
    encryptionKey: getInput(Input.EncryptionKey),
    allowAnyBranch: (getInput(Input.AllowAnyBranch) || 'false').toLowerCase(),
    codexVersion: getInput(Input.CodexVersion) || PINNED_CODEX_VERSION,
    registryUrl: getInput(Input.RegistryUrl) || DEFAULT_REGISTRY_URL
  }
  const parsed = RawInputs.safeParse(raw)
  if (!parsed.success) {
    throw new InputError(parsed.error.issues.map(issue => issue.message).join('\n'))
  }
  let codexArgs: string[]
  try {
    codexArgs = parseCodexArgs(raw.codexArgs)
  } catch (error) {
    throw new InputError((error as Error).message)
  }

  const workspace = env.GITHUB_WORKSPACE || process.cwd()
  const resolve = (value: string) => (value === '' ? undefined : resolvePath(value, workspace))
  const { storage, mode, prompt, promptFile } = parsed.data
  return {
    authJson: parsed.data.authJson.trim() === '' ? undefined : parsed.data.authJson,
    codexHome: resolvePath(getInput(Input.CodexHome) || env.CODEX_HOME || '~/.codex', workspace),
    storage,
    storagePath: resolve(parsed.data.storagePath),
    mode,
    prompt: mode === 'run' && promptFile === '' ? prompt || DEFAULT_PROMPT : undefined,
    promptFile: resolve(promptFile),
    codexArgs,
    workingDirectory: resolve(getInput(Input.WorkingDirectory)) ?? workspace,
    outputFile: resolve(parsed.data.outputFile),
    codexPath: resolve(getInput(Input.CodexPath)),
    cacheKey: parsed.data.cacheKey,
    encryptionKey: parsed.data.encryptionKey || undefined,
    githubToken: getInput(Input.GithubToken),
    allowAnyBranch: parsed.data.allowAnyBranch === 'true',
    codexVersion: parsed.data.codexVersion,
    registryUrl: parsed.data.registryUrl.replace(/\/*$/, '/')
  }
}

/** Expands a leading ~ and resolves against the workspace, as users expect from a path input. */
export function resolvePath(value: string, base: string): string {
  const expanded =
    value === '~' || value.startsWith('~/') ? path.join(os.homedir(), value.slice(1)) : value
  return path.resolve(base, expanded)
}
