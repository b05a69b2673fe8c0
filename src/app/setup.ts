/**
 * What both steps start with: the inputs read and checked, every secret among them masked, the
 * seed session parsed, and the storage they name opened with the narrow options it needs.
 */
import {
  AuthFileError,
  parseAuthSecret,
  parseConsumerSecret,
  secretInputForms,
  type Session
} from '../auth/index.js'
import { Input, type Role } from '../names.js'
import { githubApiUrl } from '../platform/runner.js'
import { maskSession, maskValues } from '../platform/secrets.js'
import { deriveEntryKey, deriveSeedEntryKey } from '../storage/crypto.js'
import { openStorage, type SessionStore, type StorageOptions } from '../storage/index.js'
import { checkActor, readActorPolicy } from './gate.js'
import { InputError, readConfig, type Config } from './inputs.js'

export interface StepSetup {
  readonly config: Config
  /** The auth-json seed, parsed (a consumer bundle for role consumer); undefined when it is empty. */
  readonly seed: Session | undefined
  readonly store: SessionStore
  /** Where the consumer bundle lives (roles refresher and consumer); opened, nothing read yet. */
  readonly bundleStore: SessionStore | undefined
}

export interface SetUpOptions {
  /**
   * Whether to check who triggered the run (app/gate.ts). The main step always does, in every
   * mode; the post step runs only after a main step that passed it.
   */
  readonly checkActor?: boolean
}

export async function setUpStep(
  env: NodeJS.ProcessEnv = process.env,
  options: SetUpOptions = {}
): Promise<StepSetup> {
  const config = readConfig(undefined, env)
  const actorPolicy = readActorPolicy()
  maskValues([
    ...(config.authJson === undefined ? [] : secretInputForms(config.authJson)),
    config.storage.kind === 'cache' ? (config.storage.encryptionKey ?? '') : '',
    config.storage.kind === 'github-secret' ? config.storage.secretToken : '',
    config.githubToken
  ])
  if (options.checkActor ?? true) {
    await checkActor(actorPolicy, {
      actor: env.GITHUB_ACTOR,
      repository: env.GITHUB_REPOSITORY,
      apiUrl: githubApiUrl(env),
      token: config.githubToken
    })
  }
  const seed = parseSeed(config.authJson, config.role)
  maskSession(seed)
  const storage = storageOptions(config, seed, env)
  const store = await openStorage(storage)
  const bundleStore = config.role === 'owner' ? undefined : await openStorage(storage, 'consumer')
  return { config, seed, store, bundleStore }
}

function parseSeed(input: string | undefined, role: Role): Session | undefined {
  if (input === undefined) return undefined
  try {
    return role === 'consumer' ? parseConsumerSecret(input) : parseAuthSecret(input)
  } catch (error) {
    if (error instanceof AuthFileError) {
      throw new InputError(
        role === 'consumer'
          ? `The '${Input.AuthJson}' input is not a consumer bundle (role: consumer): ${error.message}`
          : `The '${Input.AuthJson}' input is not a usable auth.json: ${error.message}`
      )
    }
    throw error
  }
}

function storageOptions(
  config: Config,
  seed: Session | undefined,
  env: NodeJS.ProcessEnv
): StorageOptions {
  const { storage } = config
  switch (storage.kind) {
    case 'none':
      return {
        kind: 'none',
        codexHome: config.codexHome,
        runnerEnvironment: env.RUNNER_ENVIRONMENT
      }
    case 'directory':
      return { kind: 'directory', path: storage.path }
    case 'cache':
      return {
        kind: 'cache',
        cacheKey: storage.cacheKey,
        // readConfig makes sure of one of the two for storage: cache.
        entryKey: storage.encryptionKey
          ? deriveEntryKey(storage.encryptionKey)
          : deriveSeedEntryKey(seed!, config.authJson!),
        allowAnyBranch: storage.allowAnyBranch,
        githubToken: config.githubToken,
        timeoutMs: config.storageTimeoutMs,
        env
      }
    case 'command':
      return {
        kind: 'command',
        restoreCommand: storage.restoreCommand,
        persistCommand: storage.persistCommand,
        timeoutMs: config.storageTimeoutMs,
        env
      }
    case 'github-secret':
      return {
        kind: 'github-secret',
        secretName: storage.secretName,
        token: storage.secretToken,
        environment: storage.environment,
        org: storage.org,
        apiUrl: githubApiUrl(env),
        repository: env.GITHUB_REPOSITORY ?? '',
        seed: seed!, // readConfig makes sure auth-json is given for this storage
        timeoutMs: config.storageTimeoutMs
      }
  }
}
