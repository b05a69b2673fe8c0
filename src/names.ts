/**
 * Every input, output and state name in one place. Input and output names are a public contract:
 * added, never renamed. The rest are this release's defaults.
 */

export const Input = {
  AuthJson: 'auth-json',
  CodexHome: 'codex-home',
  Storage: 'storage',
  StoragePath: 'storage-path',
  Mode: 'mode',
  Prompt: 'prompt',
  PromptFile: 'prompt-file',
  CodexArgs: 'codex-args',
  WorkingDirectory: 'working-directory',
  OutputFile: 'output-file',
  CodexPath: 'codex-path',
  CacheKey: 'cache-key',
  EncryptionKey: 'encryption-key',
  GithubToken: 'github-token',
  AllowAnyBranch: 'allow-any-branch',
  AllowUsers: 'allow-users',
  AllowBots: 'allow-bots',
  CodexVersion: 'codex-version',
  RegistryUrl: 'registry-url',
  StorageTimeout: 'storage-timeout',
  PassThroughEnv: 'pass-through-env',
  Sandbox: 'sandbox',
  AllowDangerFullAccess: 'allow-danger-full-access',
  ShellTool: 'shell-tool',
  SecretName: 'secret-name',
  SecretToken: 'secret-token',
  SecretEnvironment: 'secret-environment',
  SecretOrg: 'secret-org',
  RestoreCommand: 'restore-command',
  PersistCommand: 'persist-command',
  Model: 'model',
  Effort: 'effort',
  OutputSchema: 'output-schema',
  OutputSchemaFile: 'output-schema-file',
  Role: 'role',
  RefreshAhead: 'refresh-ahead',
  MinValidity: 'min-validity'
} as const

export const Output = {
  AuthSource: 'auth-source',
  Refreshed: 'refreshed',
  LastRefresh: 'last-refresh',
  ExpiresAt: 'expires-at',
  CodexExitCode: 'codex-exit-code',
  FinalMessage: 'final-message',
  CodexHome: 'codex-home',
  CodexVersion: 'codex-version',
  WillRefresh: 'will-refresh'
} as const

/** What main hands to post: one JSON value (app/state.ts). Never a token. */
export const State = {
  Session: 'session'
} as const

export const Storages = ['cache', 'directory', 'none', 'github-secret', 'command'] as const
export type StorageKind = (typeof Storages)[number]

export const Modes = ['run', 'setup', 'verify'] as const
export type Mode = (typeof Modes)[number]

/**
 * owner: holds the session, refreshes and stores it (one job at a time). refresher: the same, and
 * publishes a consumer bundle after each run. consumer: runs on the bundle only, stores nothing.
 */
export const Roles = ['owner', 'refresher', 'consumer'] as const
export type Role = (typeof Roles)[number]

/** What a storage holds: the full session, or the consumer bundle the refresher publishes. */
export type StoredItem = 'session' | 'consumer'

export const DEFAULT_REFRESH_AHEAD = '2d'
export const DEFAULT_MIN_VALIDITY = '1h'
/** storage: github-secret: the refresher publishes the bundle in the secret `<secret-name>_CONSUMER`. */
export const CONSUMER_SECRET_SUFFIX = '_CONSUMER'
/** storage: command: tells restore-command and persist-command which item they read or write. */
export const COMMAND_ITEM_ENV = 'CODEX_AUTH_ITEM'

export type AuthSource = 'disk' | 'storage' | 'secret'

export const SandboxModes = ['read-only', 'workspace-write', 'danger-full-access'] as const
export type SandboxMode = (typeof SandboxModes)[number]
/** The sandbox codex exec runs in unless `sandbox` or `codex-args` names one. */
export const DEFAULT_SANDBOX: SandboxMode = 'workspace-write'

/**
 * The values of `effort` (`-c model_reasoning_effort=...`) that Codex 0.169.0 knows. Codex passes any
 * string on to the model, which refuses an unknown one only after the run has started.
 */
export const ReasoningEfforts = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const

/** Environment that would make Codex bypass the ChatGPT session: kept out of its environment. */
export const BYPASS_ENV = ['CODEX_API_KEY', 'OPENAI_API_KEY', 'CODEX_ACCESS_TOKEN'] as const

/** The Codex version the action installs by default: the one its tests run against. */
export const PINNED_CODEX_VERSION = '0.169.0'

export const DEFAULT_REGISTRY_URL = 'https://registry.npmjs.org/'

export const DEFAULT_SECRET_NAME = 'CODEX_AUTH_JSON'

export const DEFAULT_PROMPT = 'Reply with the single word OK.'

/** Each call to the storage may take this long before it counts as a failed read or write. */
export const DEFAULT_STORAGE_TIMEOUT_SECONDS = 120
