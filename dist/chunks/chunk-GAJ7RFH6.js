import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  isExactVersion
} from "./chunk-Q4JLL2SL.js";
import {
  MIN_ENCRYPTION_KEY_LENGTH,
  deriveEntryKey,
  deriveSeedEntryKey,
  describeDuration,
  retry
} from "./chunk-VK5IUB2Z.js";
import {
  describeFsError,
  directoryUsability,
  ensurePrivateDir,
  freeBytes,
  pathKind,
  readIfExists,
  withFileLock,
  workspace,
  writePrivateFileAtomic
} from "./chunk-R5CF63KH.js";
import {
  AuthFileError,
  _enum,
  _regex,
  hasAbandonedCalls,
  literal,
  maskSession,
  maskValues,
  object,
  parseAuthJson,
  parseAuthSecret,
  refine,
  refreshDueAt,
  refreshReason,
  secretInputForms,
  sessionAccount,
  string,
  superRefine,
  union,
  url,
  willCodexRefresh
} from "./chunk-3E57OZVL.js";
import {
  BYPASS_ENV,
  DEFAULT_PROMPT,
  DEFAULT_REGISTRY_URL,
  DEFAULT_SANDBOX,
  DEFAULT_SECRET_NAME,
  DEFAULT_STORAGE_TIMEOUT_SECONDS,
  Input,
  Modes,
  PINNED_CODEX_VERSION,
  ReasoningEfforts,
  SandboxModes,
  State,
  Storages,
  octokitOptions
} from "./chunk-D3WQU5D5.js";
import {
  ActionError,
  debug,
  getInput,
  getState,
  info,
  notice,
  saveState,
  setFailed,
  summary,
  warning
} from "./chunk-ENXQ43ZO.js";

// src/codex/home.ts
import { promises as fs } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

// src/codex/config-toml.ts
var KEY = "cli_auth_credentials_store";
var KEY_LINE = new RegExp(`^\\s*(?:${KEY}|"${KEY}"|'${KEY}')\\s*=`);
var FILE_VALUE = new RegExp(
  `^\\s*(?:${KEY}|"${KEY}"|'${KEY}')\\s*=\\s*(?:"file"|'file')\\s*(?:#.*)?$`
);
var TABLE_HEADER = /^\s*\[\[?\s*[A-Za-z0-9_"'. -]+\s*\]\]?\s*(?:#.*)?$/;
var SETTING = `${KEY} = "file" # set by codex-auth-action: the session must stay in auth.json`;
function withFileCredentialStore(config) {
  const lines = config.split("\n");
  const firstTable = lines.findIndex((line) => TABLE_HEADER.test(line.replace(/\r$/, "")));
  const topLevelEnd = firstTable === -1 ? lines.length : firstTable;
  const keyLines = lines.slice(0, topLevelEnd).flatMap((line, index) => KEY_LINE.test(line) ? [index] : []);
  if (keyLines.length === 1 && FILE_VALUE.test(lines[keyLines[0]].replace(/\r$/, "")))
    return config;
  if (keyLines.length === 0) {
    const eol = config.includes("\r\n") ? "\r\n" : "\n";
    return config === "" ? `${SETTING}
` : `${SETTING}${eol}${config}`;
  }
  const [first, ...duplicates] = keyLines;
  const eolOf = (line) => line.endsWith("\r") ? "\r" : "";
  lines[first] = SETTING + eolOf(lines[first]);
  return lines.filter((_, index) => !duplicates.includes(index)).join("\n");
}

// src/codex/home.ts
var authFilePath = (codexHome) => path.join(codexHome, "auth.json");
var configFilePath = (codexHome) => path.join(codexHome, "config.toml");
async function readSession(codexHome, { retries = 0, delayMs = 200 } = {}) {
  let problem = "";
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(delayMs);
    const text = await readIfExists(authFilePath(codexHome));
    if (text === void 0) return { kind: "missing" };
    try {
      const session = parseAuthJson(text);
      maskSession(session);
      return { kind: "session", session };
    } catch (error) {
      if (!(error instanceof AuthFileError)) throw error;
      problem = error.message;
    }
  }
  return { kind: "corrupt", problem };
}
async function unsafeAuthFile(codexHome) {
  const file = authFilePath(codexHome);
  const kind = await pathKind(file).catch(() => "other");
  if (kind === "symlink")
    return `${file} is a symbolic link: Codex would write the refreshed tokens through it into its target, which may be readable by others. Replace it with a regular file (or remove it)`;
  if (kind === "other") return `${file} is not a regular file. Remove it`;
  return void 0;
}
async function writeAuthFile(codexHome, session) {
  await writePrivateFileAtomic(authFilePath(codexHome), session.text);
}
var ConfigFileError = class extends ActionError {
};
async function linkedConfigProblem(codexHome) {
  const file = configFilePath(codexHome);
  if (await pathKind(file).catch(() => "missing") !== "symlink") return void 0;
  const current = await readIfExists(file).catch(() => void 0) ?? "";
  if (withFileCredentialStore(current) === current) return void 0;
  return `${file} is a symbolic link and does not set cli_auth_credentials_store = "file". Add that line at the top of the file it points to (the action does not edit linked files), so that Codex keeps the session in auth.json`;
}
async function ensureFileCredentialStore(codexHome) {
  await ensurePrivateDir(codexHome);
  const file = configFilePath(codexHome);
  const current = await readIfExists(file) ?? "";
  const wanted = withFileCredentialStore(current);
  if (wanted === current) return;
  const linked = await linkedConfigProblem(codexHome);
  if (linked) throw new ConfigFileError(`${linked}.`);
  const mode = await fs.stat(file).then(
    (stat) => stat.mode & 511,
    () => 384
  );
  await writePrivateFileAtomic(file, wanted, mode);
}
async function configuredSandbox(codexHome) {
  const text = await readIfExists(configFilePath(codexHome)).catch(() => void 0) ?? "";
  const topLevel = text.split(/\r?\n\s*\[/)[0];
  return /^\s*sandbox_mode\s*=\s*["']([^"']*)["']/m.exec(topLevel)?.[1];
}

// src/app/report.ts
async function writeSummary(summary2) {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    const header = (cells) => cells.map((data) => ({ data, header: true }));
    const body = (rows) => rows.map((row) => row.map(escapeHtml));
    await summary.addHeading(escapeHtml(summary2.title), 3).addTable([header(["What", "Value"]), ...body(summary2.rows)]).addTable([header(["Phase", "Duration"]), ...body(summary2.phases)]).write();
  } catch (error) {
    summary.emptyBuffer();
    warning(
      `Could not write the job summary (${describeFsError(error)}); the session is not affected. To see the summary again, free space on the runner or check GITHUB_STEP_SUMMARY.`
    );
  }
}
function annotate(annotations) {
  for (const { level, message } of annotations) {
    if (level === "warning") warning(message);
    else notice(message);
  }
}
var escapeHtml = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

// src/storage/directory.ts
import { createHash } from "node:crypto";
import path2 from "node:path";
var MIN_FREE_BYTES = 1024 * 1024;
var versionOf = (text) => createHash("sha256").update(text).digest("hex").slice(0, 16);
var DirectoryStorage = class {
  constructor(dir) {
    this.dir = dir;
    this.file = path2.join(dir, "auth.json");
    this.description = `directory ${dir}`;
  }
  dir;
  description;
  keepsSessions = true;
  readsBack = true;
  file;
  /** Writable when the directory, or the nearest existing parent it would be created in, is. */
  async checkWritable() {
    const problem = await directoryUsability(this.dir);
    if (problem !== void 0) {
      return {
        ok: false,
        reason: `the storage directory cannot be used: ${problem}`,
        fix: `make ${this.dir} a private directory writable by the runner's user, or set another storage-path`
      };
    }
    const free = await freeBytes(this.dir);
    if (free !== void 0 && free < MIN_FREE_BYTES) {
      return {
        ok: false,
        reason: `the disk that holds the storage directory ${this.dir} is full (${Math.floor(free / 1024)} KiB free)`,
        fix: "free some space on it, or set 'storage-path' to a directory on another disk"
      };
    }
    return { ok: true };
  }
  async load() {
    const read = await this.read();
    if (read.kind !== "text") return read;
    try {
      return { kind: "found", session: parseAuthJson(read.text), version: read.version };
    } catch (error) {
      if (!(error instanceof AuthFileError)) throw error;
      return { kind: "unreadable", version: read.version, reason: error.message };
    }
  }
  async head() {
    const read = await this.read();
    return read.kind === "text" ? { kind: "version", version: read.version } : read;
  }
  async write(session) {
    await writePrivateFileAtomic(this.file, session.text);
    return { version: versionOf(session.text), where: this.file };
  }
  async exclusive(work) {
    await ensurePrivateDir(this.dir);
    return withFileLock(this.file, work);
  }
  async prune() {
  }
  async read() {
    try {
      const text = await readIfExists(this.file);
      return text === void 0 ? { kind: "empty" } : { kind: "text", text, version: versionOf(text) };
    } catch (error) {
      if (error.code === "ENOTDIR") return { kind: "empty" };
      return {
        kind: "unavailable",
        reason: `${this.file} cannot be read: ${describeFsError(error)}`
      };
    }
  }
};

// src/storage/none.ts
var NoStorage = class {
  constructor(codexHome, runnerEnvironment) {
    this.codexHome = codexHome;
    this.runnerEnvironment = runnerEnvironment;
    this.description = `none (the session stays in ${codexHome})`;
  }
  codexHome;
  runnerEnvironment;
  description;
  keepsSessions = false;
  readsBack = true;
  async checkWritable() {
    if (this.runnerEnvironment !== "github-hosted") return { ok: true };
    return {
      ok: false,
      reason: `storage is none on a GitHub-hosted runner, which discards ${this.codexHome} when the job ends`,
      fix: "set storage: cache (the default), or use a persistent self-hosted runner"
    };
  }
  async load() {
    return { kind: "empty" };
  }
  async head() {
    return { kind: "empty" };
  }
  async write() {
    throw new Error("storage: none stores nothing");
  }
  async exclusive(work) {
    return work();
  }
  async prune() {
  }
};

// src/storage/index.ts
async function openStorage(options) {
  switch (options.kind) {
    case "none":
      return new NoStorage(options.codexHome, options.runnerEnvironment);
    case "directory":
      return new DirectoryStorage(options.path);
    case "cache": {
      const { CacheStorage } = await import("./cache-3YOMZPFX.js");
      return new CacheStorage(options);
    }
    case "command": {
      const { CommandStorage } = await import("./command-466MQCI3.js");
      return new CommandStorage(options);
    }
    case "github-secret": {
      const { GitHubSecretStorage } = await import("./github-secret-I423Z75R.js");
      return new GitHubSecretStorage(options);
    }
  }
}

// src/app/inputs.ts
import os from "node:os";
import path3 from "node:path";

// src/codex/args.ts
function parseCodexArgs(text) {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  if (trimmed.startsWith("[")) {
    let value;
    try {
      value = JSON.parse(trimmed);
    } catch {
      throw new Error("'codex-args' starts with '[' but is not a JSON array of strings.");
    }
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
      throw new Error("'codex-args' must be a JSON array of strings, or a shell-like string.");
    }
    return value;
  }
  return splitShellWords(trimmed);
}
function splitShellWords(text) {
  const words = [];
  let word = "";
  let inWord = false;
  let quote;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = void 0;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = void 0;
      else if (c === "\\" && i + 1 < text.length && '"\\$`'.includes(text[i + 1]))
        word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`'codex-args' has an unclosed ${quote} quote.`);
  if (inWord) words.push(word);
  return words;
}
function credentialStoreOverride(args) {
  return args.some((arg, i) => {
    const value = /^(-c|--config)$/.test(args[i - 1] ?? "") ? arg : /^(?:--config=|-c)(.+)$/s.exec(arg)?.[1] ?? "";
    return /^\s*cli_auth_credentials_store\s*=/.test(value);
  });
}
function configValue(args, key) {
  let found;
  args.forEach((arg, i) => {
    const setting = /^(-c|--config)$/.test(args[i - 1] ?? "") ? arg : /^(?:--config=|-c)(.+)$/s.exec(arg)?.[1];
    const match = (
      // Stryker disable next-line ConditionalExpression: equivalent, the pattern does not match 'undefined' either
      setting === void 0 ? null : new RegExp(`^\\s*${key}\\s*=\\s*(.*)$`, "s").exec(setting)
    );
    if (match)
      found = /^\s*(?:"([^"]*)"|'([^']*)'|([^\s#]*))/.exec(match[1]).slice(1).find((v) => v !== void 0);
  });
  return found;
}
function sandboxInArgs(args) {
  if (args.some((arg) => arg === "--dangerously-bypass-approvals-and-sandbox" || arg === "--yolo"))
    return "danger-full-access";
  const mode = optionValue(args, "--sandbox", "-s");
  if (mode === "danger-full-access") return mode;
  return configValue(args, "sandbox_mode") === "danger-full-access" ? "danger-full-access" : mode;
}
function optionValue(args, long, short) {
  let value;
  args.forEach((arg, i) => {
    if ((arg === long || arg === short) && args[i + 1] !== void 0) value = args[i + 1];
    else if (arg.startsWith(`${long}=`)) value = arg.slice(long.length + 1);
    else if (short !== void 0 && arg.startsWith(short) && /^-.[^-]/.test(arg))
      value = arg.slice(2).replace(/^=/, "");
  });
  return value;
}
function modelInArgs(args) {
  return optionValue(args, "--model", "-m");
}
function outputSchemaInArgs(args) {
  return optionValue(args, "--output-schema");
}
function effortInArgs(args) {
  return configValue(args, "model_reasoning_effort");
}

// src/codex/environment.ts
var EXACT = /* @__PURE__ */ new Set([
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "TZ",
  "TMPDIR",
  "TERM",
  "CI",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "NODE_EXTRA_CA_CERTS",
  "JAVA_HOME",
  "GOROOT",
  "GOPATH",
  "pythonLocation",
  "PKG_CONFIG_PATH",
  "DOTNET_ROOT",
  "CARGO_HOME",
  "RUSTUP_HOME",
  "ANDROID_HOME",
  "ANDROID_SDK_ROOT",
  "CODEX_HOME",
  "RUST_LOG",
  // What a Windows process needs to start at all.
  "Path",
  "PATHEXT",
  "SystemRoot",
  "SystemDrive",
  "windir",
  "ComSpec",
  "USERPROFILE",
  "USERNAME",
  "APPDATA",
  "LOCALAPPDATA",
  "TEMP",
  "TMP",
  "HOMEDRIVE",
  "HOMEPATH",
  "ProgramData",
  "ProgramFiles"
]);
var PROXY = /^(?:HTTP_PROXY|HTTPS_PROXY|ALL_PROXY|NO_PROXY)$/i;
var FAMILIES = [/^GITHUB_/, /^RUNNER_/, /^LC_/, /^JAVA_HOME_/, /^Python\w*_ROOT_DIR$/, /^CODEX_/];
var SECRET_NAME = /(?:_TOKEN|_KEY|_SECRET|_PASSWORD)$/i;
var COMMAND_FILES = /* @__PURE__ */ new Set([
  "GITHUB_ENV",
  "GITHUB_STATE",
  "GITHUB_OUTPUT",
  "GITHUB_PATH",
  "GITHUB_STEP_SUMMARY"
]);
function passThroughRefusal(name) {
  if (/^INPUT_/i.test(name)) return "it is one of the action's inputs (secrets among them)";
  if (/^ACTIONS_/i.test(name)) return "it is one of the runner's own tokens or settings";
  if (COMMAND_FILES.has(name)) return "it is one of the runner's command files";
  if (BYPASS_ENV.includes(name))
    return "it would make Codex bypass the ChatGPT session";
  return void 0;
}
function allowed(name) {
  if (EXACT.has(name) || PROXY.test(name)) return true;
  if (COMMAND_FILES.has(name) || name === "GITHUB_TOKEN") return false;
  return FAMILIES.some((family) => family.test(name)) && !SECRET_NAME.test(name);
}
function codexEnvironment(env, codexHome, passThrough = []) {
  const result = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== void 0 && (allowed(name) || passThrough.includes(name))) result[name] = value;
  }
  result.CODEX_HOME = codexHome;
  const removedBypass = BYPASS_ENV.filter((name) => (env[name] ?? "").trim() !== "");
  return { env: result, removedBypass };
}

// src/app/inputs.ts
var InputError = class extends ActionError {
};
var oneOf = (name, values) => `Input '${name}' must be one of: ${values.join(", ")}.`;
var RawInputs = object({
  storage: _enum(Storages, { error: oneOf(Input.Storage, Storages) }),
  storagePath: string(),
  mode: _enum(Modes, { error: oneOf(Input.Mode, Modes) }),
  prompt: string(),
  promptFile: string(),
  outputFile: string(),
  codexArgs: string(),
  authJson: string(),
  cacheKey: string().check(
    _regex(/^[A-Za-z0-9._-]{1,100}$/, {
      error: `Input '${Input.CacheKey}' must be 1 to 100 letters, digits, '.', '_' or '-'.`
    })
  ),
  encryptionKey: string(),
  allowAnyBranch: _enum(["true", "false"], {
    error: `Input '${Input.AllowAnyBranch}' must be true or false.`
  }),
  codexVersion: string().check(
    refine((version) => version === "latest" || isExactVersion(version), {
      error: `Input '${Input.CodexVersion}' must be 'latest' or an exact version such as ${PINNED_CODEX_VERSION}.`
    })
  ),
  registryUrl: url({
    protocol: /^https?$/,
    error: `Input '${Input.RegistryUrl}' must be an http(s) URL, like ${DEFAULT_REGISTRY_URL}.`
  }),
  githubToken: string().check(
    _regex(/^\S*$/, {
      error: `Input '${Input.GithubToken}' holds whitespace (a space or a line break): give one token, the token alone (no 'Bearer', no second line).`
    })
  ),
  sandbox: union([literal(""), _enum(SandboxModes)], {
    error: oneOf(Input.Sandbox, SandboxModes)
  }),
  allowDangerFullAccess: _enum(["true", "false"], {
    error: `Input '${Input.AllowDangerFullAccess}' must be true or false.`
  }),
  secretName: string().check(
    _regex(/^(?!GITHUB_)[A-Za-z_][A-Za-z0-9_]{0,99}$/i, {
      error: `Input '${Input.SecretName}' must be a secret name: letters, digits and _, not starting with a digit or GITHUB_.`
    })
  ),
  secretToken: string(),
  secretEnvironment: string(),
  secretOrg: string(),
  restoreCommand: string(),
  persistCommand: string(),
  shellTool: _enum(["true", "false"], {
    error: `Input '${Input.ShellTool}' must be true or false.`
  }),
  storageTimeout: string().check(
    _regex(/^\d{1,4}$/, {
      error: `Input '${Input.StorageTimeout}' must be a whole number of seconds (1 to 3600), like ${DEFAULT_STORAGE_TIMEOUT_SECONDS}.`
    })
  ),
  model: string().check(
    _regex(/^(?:[A-Za-z0-9][A-Za-z0-9._:/-]*)?$/, {
      error: `Input '${Input.Model}' must be a model name such as gpt-5.1-codex: letters, digits, '.', '_', ':', '/' or '-', starting with a letter or digit.`
    })
  ),
  effort: union([literal(""), _enum(ReasoningEfforts)], {
    error: `${oneOf(Input.Effort, ReasoningEfforts)} For a value this release does not know, pass it in '${Input.CodexArgs}' as -c model_reasoning_effort=<value> instead.`
  }),
  outputSchema: string(),
  outputSchemaFile: string()
}).check(
  superRefine((raw, ctx) => {
    const problem = (message) => ctx.addIssue({ code: "custom", message });
    if (raw.storage === "directory" && raw.storagePath.trim() === "") {
      problem(
        `Input '${Input.StoragePath}' is required with storage: directory: name a directory.`
      );
    }
    if (raw.storage !== "directory" && raw.storagePath !== "") {
      problem(
        `Input '${Input.StoragePath}' is only used with storage: directory; remove it or set storage.`
      );
    }
    const onlyFor = (storage, names) => {
      for (const [name, value] of names) {
        if (raw.storage !== storage && value.trim() !== "")
          problem(
            `Input '${name}' is only used with storage: ${storage}; remove it or set storage.`
          );
      }
    };
    onlyFor("github-secret", [
      [Input.SecretToken, raw.secretToken],
      [Input.SecretEnvironment, raw.secretEnvironment],
      [Input.SecretOrg, raw.secretOrg]
    ]);
    onlyFor("command", [
      [Input.RestoreCommand, raw.restoreCommand],
      [Input.PersistCommand, raw.persistCommand]
    ]);
    if (raw.storage === "github-secret") {
      if (raw.secretToken === "") {
        problem(
          `storage: github-secret needs '${Input.SecretToken}': a fine-grained token or GitHub App installation token with "Secrets: write" on this repository (from a secret).`
        );
      } else if (raw.secretToken === raw.githubToken) {
        problem(
          `Input '${Input.SecretToken}' is the job's GITHUB_TOKEN, which can never write secrets (there is no secrets permission for it). Give a fine-grained token or a GitHub App installation token with "Secrets: write".`
        );
      }
      if (raw.authJson.trim() === "") {
        problem(
          `storage: github-secret keeps the session in the secret passed as '${Input.AuthJson}': pass it (auth-json: \${{ secrets.${raw.secretName} }}).`
        );
      }
      if (raw.secretEnvironment !== "" && raw.secretOrg !== "") {
        problem(
          `Inputs '${Input.SecretEnvironment}' and '${Input.SecretOrg}' exclude each other: set one.`
        );
      }
    }
    if (raw.storage === "command" && (raw.restoreCommand === "" || raw.persistCommand === "")) {
      problem(
        `storage: command needs both '${Input.RestoreCommand}' (prints the stored auth.json) and '${Input.PersistCommand}' (reads it on stdin).`
      );
    }
    if (raw.encryptionKey !== "" && raw.encryptionKey.trim() === "") {
      problem(
        `Input '${Input.EncryptionKey}' is only whitespace: most likely the secret it names is empty or missing. Set the secret (make one with \`openssl rand -base64 32\`), or remove the input.`
      );
    } else if (raw.encryptionKey !== "" && raw.encryptionKey.length < MIN_ENCRYPTION_KEY_LENGTH) {
      problem(
        `Input '${Input.EncryptionKey}' must be at least ${MIN_ENCRYPTION_KEY_LENGTH} characters (make one with \`openssl rand -base64 32\`).`
      );
    }
    if (raw.storage === "cache" && raw.encryptionKey === "" && raw.authJson.trim() === "") {
      problem(
        `storage: cache encrypts the session (the cache is readable from pull requests and forks) and needs a key: set '${Input.EncryptionKey}' (a secret), or '${Input.AuthJson}' to derive it from.`
      );
    }
    if (raw.prompt !== "" && raw.promptFile !== "") {
      problem(`Inputs '${Input.Prompt}' and '${Input.PromptFile}' exclude each other: set one.`);
    }
    if (raw.prompt.includes("\0")) {
      problem(`Input '${Input.Prompt}' holds a NUL byte: a prompt must be text.`);
    }
    const seconds = Number(raw.storageTimeout);
    if (/^\d+$/.test(raw.storageTimeout) && (seconds < 1 || seconds > 3600)) {
      problem(`Input '${Input.StorageTimeout}' must be between 1 and 3600 seconds.`);
    }
    if (raw.outputSchema !== "" && raw.outputSchemaFile !== "") {
      problem(
        `Inputs '${Input.OutputSchema}' and '${Input.OutputSchemaFile}' exclude each other: set one.`
      );
    } else if (raw.outputSchema.trim() !== "") {
      const schemaProblem = jsonObjectProblem(raw.outputSchema);
      if (schemaProblem)
        problem(
          `Input '${Input.OutputSchema}' ${schemaProblem}: give a JSON Schema as one JSON object, such as {"type": "object", "properties": {...}}.`
        );
    }
    if (raw.mode !== "run") {
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
      ];
      const why = raw.mode === "setup" ? "in setup mode later steps run codex" : "verify mode runs no Codex";
      for (const [name, value] of runOnly) {
        if (value.trim() !== "") {
          problem(
            `Input '${name}' is only used with mode: run; ${why}. Remove it, or set mode: run.`
          );
        }
      }
    }
  })
);
function readConfig(getRawInput = (name) => getInput(name, { trimWhitespace: false }), env = process.env) {
  const getInput2 = (name) => getRawInput(name).trim();
  const encryptionKey = getRawInput(Input.EncryptionKey);
  const raw = {
    storage: getInput2(Input.Storage) || "cache",
    storagePath: getInput2(Input.StoragePath),
    mode: getInput2(Input.Mode) || "run",
    prompt: getRawInput(Input.Prompt),
    promptFile: getInput2(Input.PromptFile),
    outputFile: getInput2(Input.OutputFile),
    codexArgs: getInput2(Input.CodexArgs),
    authJson: getRawInput(Input.AuthJson),
    cacheKey: getInput2(Input.CacheKey) || "codex-auth",
    encryptionKey: encryptionKey.trim() === "" ? encryptionKey : encryptionKey.trim(),
    allowAnyBranch: (getInput2(Input.AllowAnyBranch) || "false").toLowerCase(),
    codexVersion: getInput2(Input.CodexVersion) || PINNED_CODEX_VERSION,
    registryUrl: getInput2(Input.RegistryUrl) || DEFAULT_REGISTRY_URL,
    storageTimeout: getInput2(Input.StorageTimeout) || String(DEFAULT_STORAGE_TIMEOUT_SECONDS),
    githubToken: getInput2(Input.GithubToken),
    sandbox: getInput2(Input.Sandbox),
    allowDangerFullAccess: (getInput2(Input.AllowDangerFullAccess) || "false").toLowerCase(),
    shellTool: (getInput2(Input.ShellTool) || "true").toLowerCase(),
    secretName: getInput2(Input.SecretName) || DEFAULT_SECRET_NAME,
    secretToken: getInput2(Input.SecretToken),
    secretEnvironment: getInput2(Input.SecretEnvironment),
    secretOrg: getInput2(Input.SecretOrg),
    restoreCommand: getInput2(Input.RestoreCommand),
    persistCommand: getInput2(Input.PersistCommand),
    model: getInput2(Input.Model),
    effort: getInput2(Input.Effort).toLowerCase(),
    outputSchema: getInput2(Input.OutputSchema),
    outputSchemaFile: getInput2(Input.OutputSchemaFile)
  };
  const given = (name) => env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] !== void 0;
  if (given(Input.CacheKey) && getInput2(Input.CacheKey) === "") {
    throw new InputError(
      `Input '${Input.CacheKey}' is empty: most likely the variable or secret it names is empty. Set it (1 to 100 letters, digits, ., _ or -), or remove the input to use the default codex-auth.`
    );
  }
  const parsed = RawInputs.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(parsed.error.issues.map((issue) => issue.message).join("\n"));
  }
  const data = parsed.data;
  let codexArgs;
  try {
    codexArgs = parseCodexArgs(data.codexArgs);
  } catch (error) {
    throw new InputError(error.message);
  }
  const sandbox = resolveSandbox(
    data.sandbox || void 0,
    codexArgs,
    data.allowDangerFullAccess === "true"
  );
  refuseTwice(Input.Model, data.model, modelInArgs(codexArgs), "--model");
  refuseTwice(Input.Effort, data.effort, effortInArgs(codexArgs), "-c model_reasoning_effort=");
  for (const name of [Input.OutputSchema, Input.OutputSchemaFile]) {
    const value = name === Input.OutputSchema ? data.outputSchema : data.outputSchemaFile;
    refuseTwice(name, value, outputSchemaInArgs(codexArgs), "--output-schema");
  }
  const passThroughEnv = parsePassThroughEnv(getInput2(Input.PassThroughEnv));
  if (credentialStoreOverride(codexArgs)) {
    throw new InputError(
      `Input '${Input.CodexArgs}' overrides cli_auth_credentials_store: Codex would keep the refreshed session outside auth.json, where the action cannot store it. Remove that override.`
    );
  }
  const base = workspace(env);
  const resolve = (value) => value === "" ? void 0 : resolvePath(value, base);
  const storage = storageConfig(data, base);
  const run = data.mode !== "run" ? void 0 : {
    prompt: data.promptFile !== "" ? { file: resolvePath(data.promptFile, base) } : { text: data.prompt || DEFAULT_PROMPT },
    codexArgs,
    sandbox,
    shellTool: data.shellTool === "true",
    workingDirectory: resolve(getInput2(Input.WorkingDirectory)) ?? base,
    outputFile: resolve(data.outputFile),
    model: data.model || void 0,
    effort: data.effort || void 0,
    outputSchema: data.outputSchemaFile !== "" ? { file: resolvePath(data.outputSchemaFile, base) } : data.outputSchema.trim() !== "" ? { text: data.outputSchema } : void 0
  };
  return {
    mode: data.mode,
    authJson: data.authJson.trim() === "" ? void 0 : data.authJson,
    codexHome: resolvePath(getInput2(Input.CodexHome) || env.CODEX_HOME || "~/.codex", base),
    storage,
    run,
    codexPath: resolve(getInput2(Input.CodexPath)),
    githubToken: data.githubToken,
    codexVersion: data.codexVersion,
    registryUrl: data.registryUrl.replace(/\/*$/, "/"),
    storageTimeoutMs: Number(data.storageTimeout) * 1e3,
    passThroughEnv,
    allowDangerFullAccess: data.allowDangerFullAccess === "true"
  };
}
function storageConfig(data, base) {
  switch (data.storage) {
    case "directory":
      return { kind: "directory", path: resolvePath(data.storagePath.trim(), base) };
    case "cache":
      return {
        kind: "cache",
        cacheKey: data.cacheKey,
        encryptionKey: data.encryptionKey || void 0,
        allowAnyBranch: data.allowAnyBranch === "true"
      };
    case "github-secret":
      return {
        kind: "github-secret",
        secretName: data.secretName,
        secretToken: data.secretToken,
        environment: data.secretEnvironment || void 0,
        org: data.secretOrg || void 0
      };
    case "command":
      return {
        kind: "command",
        restoreCommand: data.restoreCommand,
        persistCommand: data.persistCommand
      };
    case "none":
      return { kind: "none" };
  }
}
function resolveSandbox(input, codexArgs, allowDanger) {
  const inArgs = sandboxInArgs(codexArgs);
  if (input !== void 0 && inArgs !== void 0) {
    throw new InputError(
      `Input '${Input.Sandbox}' and a sandbox option in '${Input.CodexArgs}' exclude each other (Codex refuses a repeated --sandbox): set one of them.`
    );
  }
  if ((input ?? inArgs) === "danger-full-access" && !allowDanger) {
    throw new InputError(
      `danger-full-access (asked for in '${input ? Input.Sandbox : Input.CodexArgs}') lets every command the model runs read the action's own secret inputs and write the runner's command files, and a prompt may carry text that others wrote. Set '${Input.AllowDangerFullAccess}: true' only if that is what you want; otherwise use workspace-write or read-only.`
    );
  }
  return inArgs === void 0 ? input ?? DEFAULT_SANDBOX : void 0;
}
function refuseTwice(input, value, inArgs, option) {
  if (value.trim() !== "" && inArgs !== void 0) {
    throw new InputError(
      `Input '${input}' and ${option} in '${Input.CodexArgs}' exclude each other (Codex refuses a repeated option): set one of them.`
    );
  }
}
function jsonObjectProblem(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `is not valid JSON (${error.message})`;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return `is JSON but not an object (it is ${Array.isArray(value) ? "an array" : value === null ? "null" : typeof value})`;
  return void 0;
}
function parsePassThroughEnv(text) {
  const names = text.split(/[,\n]/).map((name) => name.trim()).filter((name) => name !== "");
  for (const name of names) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new InputError(
        `Input '${Input.PassThroughEnv}': '${name}' is not a variable name (letters, digits and _, separated by commas or new lines).`
      );
    }
    const refusal = passThroughRefusal(name);
    if (refusal) {
      throw new InputError(
        `Input '${Input.PassThroughEnv}' may not name ${name}: ${refusal}. Remove it from '${Input.PassThroughEnv}'.`
      );
    }
  }
  return names;
}
function resolvePath(value, base) {
  const expanded = value === "~" || value.startsWith("~/") ? path3.join(os.homedir(), value.slice(1)) : value;
  return path3.resolve(base, expanded);
}

// src/app/gate.ts
var ActorRefused = class extends ActionError {
};
var WRITE_PERMISSIONS = /* @__PURE__ */ new Set(["admin", "write"]);
var LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\[bot\])?$/;
var PERMISSION_TIMEOUT_MS = 3e4;
var PERMISSION_ATTEMPTS = 3;
function readActorPolicy(getInput2 = (name) => getInput(name, { trimWhitespace: true })) {
  const bots = (getInput2(Input.AllowBots).trim() || "false").toLowerCase();
  if (bots !== "true" && bots !== "false") {
    throw new InputError(`Input '${Input.AllowBots}' must be true or false.`);
  }
  const entries = getInput2(Input.AllowUsers).split(/[,\n]/).map((entry) => entry.trim()).filter((entry) => entry !== "");
  let allowUsers = entries.map((entry) => entry.toLowerCase());
  if (entries.includes("*")) {
    if (entries.length > 1) {
      throw new InputError(
        `Input '${Input.AllowUsers}' mixes '*' with names: '*' alone lets everyone run the action; otherwise list the logins only.`
      );
    }
    allowUsers = "everyone";
  } else {
    for (const entry of entries) {
      if (!LOGIN.test(entry)) {
        throw new InputError(
          `Input '${Input.AllowUsers}': '${entry}' is not a GitHub login (letters, digits and hyphens, a bot's ending in [bot], without '@'); separate logins with commas.`
        );
      }
    }
  }
  return { allowUsers, allowBots: bots === "true" };
}
var isBot = (actor) => actor.toLowerCase().endsWith("[bot]");
function decideLocally(actor, policy) {
  if (policy.allowUsers === "everyone")
    return { kind: "allowed", why: `'${Input.AllowUsers}' is '*': the actor check is off` };
  if (!actor) {
    return {
      kind: "refused",
      reason: `GITHUB_ACTOR is not set, so the action cannot tell who triggered this run, and refuses it. On a runner it is always set; to run without the check, set '${Input.AllowUsers}: *'.`
    };
  }
  if (policy.allowUsers.includes(actor.toLowerCase()))
    return { kind: "allowed", why: `${actor} is listed in '${Input.AllowUsers}'` };
  if (isBot(actor)) {
    if (policy.allowBots) return { kind: "allowed", why: `'${Input.AllowBots}' lets bots run it` };
    return {
      kind: "refused",
      reason: `This run was triggered by the bot ${actor}, and bots may not use the session by default. To let it run the action, set '${Input.AllowBots}: true' (every bot) or '${Input.AllowUsers}: ${actor}' (this one).`
    };
  }
  return { kind: "ask" };
}
function decideFromAnswer(actor, repository, answer) {
  const letIn = `To let ${actor} run it anyway, add it to '${Input.AllowUsers}'.`;
  switch (answer.kind) {
    case "permission": {
      const role = answer.roleName || answer.permission;
      if (WRITE_PERMISSIONS.has(answer.permission))
        return { kind: "allowed", why: `${actor} has ${role} permission on ${repository}` };
      return {
        kind: "refused",
        reason: `${actor}, who triggered this run, has ${role} permission on ${repository}; the action runs only for actors with write, maintain or admin permission. ${letIn}`
      };
    }
    case "status": {
      const detail = answer.message ? ` (${answer.message})` : "";
      const cause = answer.status === 404 ? `${actor} is not a collaborator on ${repository} (the permission API answered 404${detail})` : answer.status === 401 ? `the permission API did not accept '${Input.GithubToken}' (401${detail}): give a valid token` : answer.status === 403 ? `'${Input.GithubToken}' may not read collaborator permissions on ${repository} (403${detail}): it needs metadata read access, which the job's GITHUB_TOKEN always has` : `the permission API answered ${answer.status}${detail}`;
      return {
        kind: "refused",
        reason: `Could not confirm that ${actor}, who triggered this run, may use the session: ${cause}. ${letIn}`
      };
    }
    case "no-answer":
      return {
        kind: "refused",
        reason: `Could not confirm that ${actor}, who triggered this run, may use the session: ${answer.reason}. The check fails closed: re-run when the API answers, or add ${actor} to '${Input.AllowUsers}'.`
      };
  }
}
async function checkActor(policy, context) {
  let decision = decideLocally(context.actor, policy);
  if (decision.kind === "ask") {
    const actor = context.actor;
    const repository = context.repository ?? "";
    if (!/^[^/\s]+\/[^/\s]+$/.test(repository)) {
      throw new ActorRefused(
        `GITHUB_REPOSITORY is '${repository}', not owner/repo: the permission of ${actor} cannot be checked, so the run is refused. To run without the check, set '${Input.AllowUsers}: *'.`
      );
    }
    decision = decideFromAnswer(actor, repository, await askPermission(actor, repository, context));
  }
  if (decision.kind === "refused") throw new ActorRefused(decision.reason);
  if (decision.kind === "allowed") info(`Allowed to run: ${decision.why}.`);
}
async function askPermission(username, repository, context) {
  let answer = { kind: "no-answer", reason: "not asked" };
  await retry(
    async () => {
      answer = await askOnce(username, repository, context);
      if (answer.kind === "no-answer" || answer.kind === "status" && answer.status >= 500)
        throw new Error("worth another attempt");
    },
    {
      attempts: PERMISSION_ATTEMPTS,
      baseDelayMs: 1e3,
      onRetry: (attempt, delayMs) => info(
        `The permission check got no usable answer (attempt ${attempt}); retrying in ${delayMs} ms.`
      )
    }
  ).catch(() => void 0);
  return answer;
}
async function askOnce(username, repository, context) {
  const [owner, repo] = repository.split("/");
  const { Octokit } = await import("./dist-src-NOTTDM26.js");
  const deadline = AbortSignal.timeout(PERMISSION_TIMEOUT_MS);
  const octokit = new Octokit({
    ...octokitOptions(context.token, context.apiUrl),
    request: { signal: deadline }
  });
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
      owner,
      repo,
      username
    });
    const { permission, role_name: roleName } = data;
    if (typeof permission !== "string")
      return { kind: "no-answer", reason: "the permission API answered without a permission" };
    return { kind: "permission", permission, ...typeof roleName === "string" ? { roleName } : {} };
  } catch (error) {
    const { status, response } = error;
    if (typeof status === "number" && response !== void 0) {
      const message = response.data?.message;
      return { kind: "status", status, ...typeof message === "string" ? { message } : {} };
    }
    if (deadline.aborted)
      return {
        kind: "no-answer",
        reason: `${context.apiUrl} gave no answer within ${PERMISSION_TIMEOUT_MS / 1e3} s`
      };
    const cause = error.cause;
    const why = cause instanceof Error ? cause.message : error.message;
    return { kind: "no-answer", reason: `could not reach ${context.apiUrl} (${why})` };
  }
}

// src/app/setup.ts
async function setUpStep(env = process.env, options = {}) {
  const config = readConfig(void 0, env);
  const actorPolicy = readActorPolicy();
  maskValues([
    ...config.authJson === void 0 ? [] : secretInputForms(config.authJson),
    config.storage.kind === "cache" ? config.storage.encryptionKey ?? "" : "",
    config.storage.kind === "github-secret" ? config.storage.secretToken : "",
    config.githubToken
  ]);
  if (options.checkActor ?? true) {
    await checkActor(actorPolicy, {
      actor: env.GITHUB_ACTOR,
      repository: env.GITHUB_REPOSITORY,
      apiUrl: env.GITHUB_API_URL || "https://api.github.com",
      token: config.githubToken
    });
  }
  const seed = parseSeed(config.authJson);
  maskSession(seed);
  const store = await openStorage(storageOptions(config, seed, env));
  return { config, seed, store };
}
function parseSeed(input) {
  if (input === void 0) return void 0;
  try {
    return parseAuthSecret(input);
  } catch (error) {
    if (error instanceof AuthFileError) {
      throw new InputError(
        `The '${Input.AuthJson}' input is not a usable auth.json: ${error.message}`
      );
    }
    throw error;
  }
}
function storageOptions(config, seed, env) {
  const { storage } = config;
  switch (storage.kind) {
    case "none":
      return {
        kind: "none",
        codexHome: config.codexHome,
        runnerEnvironment: env.RUNNER_ENVIRONMENT
      };
    case "directory":
      return { kind: "directory", path: storage.path };
    case "cache":
      return {
        kind: "cache",
        cacheKey: storage.cacheKey,
        // readConfig makes sure of one of the two for storage: cache.
        entryKey: storage.encryptionKey ? deriveEntryKey(storage.encryptionKey) : deriveSeedEntryKey(seed, config.authJson),
        allowAnyBranch: storage.allowAnyBranch,
        githubToken: config.githubToken,
        timeoutMs: config.storageTimeoutMs,
        env
      };
    case "command":
      return {
        kind: "command",
        restoreCommand: storage.restoreCommand,
        persistCommand: storage.persistCommand,
        timeoutMs: config.storageTimeoutMs,
        env
      };
    case "github-secret":
      return {
        kind: "github-secret",
        secretName: storage.secretName,
        token: storage.secretToken,
        environment: storage.environment,
        org: storage.org,
        apiUrl: env.GITHUB_API_URL || "https://api.github.com",
        repository: env.GITHUB_REPOSITORY ?? "",
        seed,
        // readConfig makes sure auth-json is given for this storage
        timeoutMs: config.storageTimeoutMs
      };
  }
}

// src/app/state.ts
function saveMainState(state) {
  saveState(State.Session, JSON.stringify(state));
}
function loadMainState(read = getState) {
  const text = read(State.Session);
  if (text === "") return void 0;
  const value = JSON.parse(text);
  if (typeof value?.codexHome !== "string" || typeof value.start?.fingerprint !== "string") {
    throw new Error("the state left by the main step is not one this release wrote");
  }
  return value;
}

// src/app/step.ts
async function runStep(body) {
  try {
    await body();
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    debug(err.stack ?? err.message);
    setFailed(
      err instanceof ActionError ? err.message : `Unexpected error: ${err.message.replace(/\.$/, "")}. Re-run the job; if it happens again, re-run it with debug logging (RUNNER_DEBUG=1) and report it with that log.`
    );
  }
  if (hasAbandonedCalls()) process.exit();
}

// src/app/summary.ts
var TITLES = {
  run: "Codex session: bootstrap and run",
  setup: "Codex session: set up for later steps",
  verify: "Codex session: verified (nothing run, nothing written)"
};
function renderSummary(facts) {
  const { session, now } = facts;
  const rows = [
    ["Mode", facts.mode],
    ["Session from", `${facts.source}: ${facts.sourceWhere}`]
  ];
  if (session) {
    rows.push(
      ["Account", describeAccount(session)],
      [
        facts.step === "post" ? "Refreshed during this job" : "Refreshed during this step",
        facts.mode === "verify" ? "no (verify mode runs no Codex)" : facts.refreshed ? "yes" : "no"
      ],
      ["Last refresh", session.lastRefresh],
      ["Access token expires", describeExpiry(session, now)],
      ["Next refresh", describeNextRefresh(session, now)]
    );
  }
  rows.push(["Saved to", describeSaved(facts.saved)]);
  if (facts.generation) {
    const { version, savedAt } = facts.generation;
    rows.push([
      "Stored generation",
      savedAt ? `${version} (saved ${describeAge(now, savedAt)})` : version
    ]);
  }
  if (facts.codexExitCode !== void 0) rows.push(["Codex exit code", String(facts.codexExitCode)]);
  return {
    title: facts.step === "post" ? "Codex session: write back" : TITLES[facts.mode],
    rows,
    phases: facts.phases.map((phase) => [phase.name, `${(phase.ms / 1e3).toFixed(2)} s`])
  };
}
function sessionAnnotations({
  session,
  saved,
  writable,
  now
}) {
  const annotations = [];
  const blocked = writable !== void 0 && !writable.ok ? writable : void 0;
  if (session && blocked && willCodexRefresh(session, now)) {
    annotations.push({
      level: "warning",
      message: `Codex will refresh this session on its next run (${refreshReason(session, now)}), but a run like this one could not store the refreshed session: ${blocked.reason}. Such a run is refused before Codex starts, so nothing here can refresh the access token. To fix: ${blocked.fix}.`
    });
  } else if (blocked && saved.kind === "unchanged") {
    annotations.push({
      level: "notice",
      message: `This run could not have stored a refreshed session: ${blocked.reason}.`
    });
  }
  if (saved.kind === "unchanged" || saved.kind === "already-saved") {
    annotations.push({
      level: "notice",
      message: saved.kind === "unchanged" ? "Nothing needed saving: the session did not change during this job." : "Nothing needed saving: the refreshed session is already in the storage."
    });
  }
  return annotations;
}
function sourceWhere(source, authFile, storageDescription) {
  switch (source) {
    case "disk":
      return authFile;
    case "storage":
      return storageDescription;
    case "secret":
      return `the '${Input.AuthJson}' input`;
  }
}
function shortAccountId(id) {
  return `${id.slice(0, Math.min(8, Math.floor(id.length / 2)))}\u2026`;
}
function describeAccount(session) {
  const { accountId, plan } = sessionAccount(session);
  return `${accountId ? shortAccountId(accountId) : "unknown"}, plan ${plan ?? "unknown"}`;
}
function describeExpiry(session, now) {
  const expiry = session.accessTokenExpiresAt;
  if (!expiry) return "unknown (the access token has no readable expiry)";
  const when = expiry.toISOString();
  return expiry.getTime() <= now.getTime() ? `${when} (expired ${describeAge(now, expiry)})` : `${when} (in ${describeDuration(expiry.getTime() - now.getTime())})`;
}
function describeNextRefresh(session, now) {
  if (willCodexRefresh(session, now)) return `on the next run: ${refreshReason(session, now)}`;
  return `by Codex on the first run after ${refreshDueAt(session).toISOString()}`;
}
function describeSaved(saved) {
  switch (saved.kind) {
    case "by-post":
      return `${saved.where}, by the post step if Codex refreshes the session`;
    case "verify":
      return `nothing (verify mode writes nothing; the storage is ${saved.where})`;
    case "saved":
      return saved.where;
    case "unchanged":
      return "nothing needed saving: the session did not change";
    case "already-saved":
      return "nothing needed saving: the refreshed session was there already";
    case "kept-in-place":
      return `nowhere else: it stays in ${saved.where} on this runner (storage: none)`;
    case "missing":
      return "nothing: auth.json is gone";
    case "not-saved":
      return "NOT saved: the error annotation says why, and how to recover the session";
  }
}
function describeAge(now, then) {
  return `${describeDuration(Math.max(0, now.getTime() - then.getTime()))} ago`;
}
var PhaseClock = class {
  constructor(clock = () => performance.now()) {
    this.clock = clock;
    this.last = clock();
  }
  clock;
  phases = [];
  last;
  /** The phase `name` ends now: it took the time since the previous phase ended. */
  end(name) {
    const now = this.clock();
    this.phases.push({ name, ms: Math.round(now - this.last) });
    this.last = now;
  }
};

export {
  authFilePath,
  readSession,
  unsafeAuthFile,
  writeAuthFile,
  linkedConfigProblem,
  ensureFileCredentialStore,
  configuredSandbox,
  codexEnvironment,
  InputError,
  jsonObjectProblem,
  writeSummary,
  annotate,
  setUpStep,
  saveMainState,
  loadMainState,
  runStep,
  renderSummary,
  sessionAnnotations,
  sourceWhere,
  PhaseClock
};
