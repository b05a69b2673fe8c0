import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  debug,
  warning
} from "./chunk-ENXQ43ZO.js";

// src/names.ts
var Input = {
  AuthJson: "auth-json",
  CodexHome: "codex-home",
  Storage: "storage",
  StoragePath: "storage-path",
  Mode: "mode",
  Prompt: "prompt",
  PromptFile: "prompt-file",
  CodexArgs: "codex-args",
  WorkingDirectory: "working-directory",
  OutputFile: "output-file",
  CodexPath: "codex-path",
  CacheKey: "cache-key",
  EncryptionKey: "encryption-key",
  GithubToken: "github-token",
  AllowAnyBranch: "allow-any-branch",
  AllowUsers: "allow-users",
  AllowBots: "allow-bots",
  CodexVersion: "codex-version",
  RegistryUrl: "registry-url",
  StorageTimeout: "storage-timeout",
  PassThroughEnv: "pass-through-env",
  Sandbox: "sandbox",
  AllowDangerFullAccess: "allow-danger-full-access",
  ShellTool: "shell-tool",
  SecretName: "secret-name",
  SecretToken: "secret-token",
  SecretEnvironment: "secret-environment",
  SecretOrg: "secret-org",
  RestoreCommand: "restore-command",
  PersistCommand: "persist-command",
  Model: "model",
  Effort: "effort",
  OutputSchema: "output-schema",
  OutputSchemaFile: "output-schema-file"
};
var Output = {
  AuthSource: "auth-source",
  Refreshed: "refreshed",
  LastRefresh: "last-refresh",
  ExpiresAt: "expires-at",
  CodexExitCode: "codex-exit-code",
  FinalMessage: "final-message",
  CodexHome: "codex-home",
  CodexVersion: "codex-version",
  WillRefresh: "will-refresh"
};
var State = {
  Session: "session"
};
var Storages = ["cache", "directory", "none", "github-secret", "command"];
var Modes = ["run", "setup", "verify"];
var SandboxModes = ["read-only", "workspace-write", "danger-full-access"];
var DEFAULT_SANDBOX = "workspace-write";
var ReasoningEfforts = ["none", "minimal", "low", "medium", "high", "xhigh"];
var BYPASS_ENV = ["CODEX_API_KEY", "OPENAI_API_KEY", "CODEX_ACCESS_TOKEN"];
var PINNED_CODEX_VERSION = "0.169.0";
var DEFAULT_REGISTRY_URL = "https://registry.npmjs.org/";
var DEFAULT_SECRET_NAME = "CODEX_AUTH_JSON";
var DEFAULT_PROMPT = "Reply with the single word OK.";
var DEFAULT_STORAGE_TIMEOUT_SECONDS = 120;

// src/platform/github-api.ts
function octokitOptions(token, apiUrl) {
  return {
    auth: token || void 0,
    baseUrl: apiUrl.replace(/\/+$/, ""),
    userAgent: "codex-auth-action",
    // Octokit's own warnings (a deprecated endpoint) as log lines; nothing else is logged.
    log: {
      debug: () => void 0,
      info: () => void 0,
      warn: (message) => warning(message),
      error: (message) => debug(message)
    }
  };
}

export {
  Input,
  Output,
  State,
  Storages,
  Modes,
  SandboxModes,
  DEFAULT_SANDBOX,
  ReasoningEfforts,
  BYPASS_ENV,
  PINNED_CODEX_VERSION,
  DEFAULT_REGISTRY_URL,
  DEFAULT_SECRET_NAME,
  DEFAULT_PROMPT,
  DEFAULT_STORAGE_TIMEOUT_SECONDS,
  octokitOptions
};
