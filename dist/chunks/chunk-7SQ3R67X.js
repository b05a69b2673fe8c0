import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  ensurePrivateDir,
  isExactVersion,
  readIfExists,
  withFileLock,
  writePrivateFileAtomic
} from "./chunk-ZRIW3VFI.js";
import {
  AuthFileError,
  MIN_ENCRYPTION_KEY_LENGTH,
  SaveError,
  _enum,
  deriveEntryKey,
  isNewer,
  maskSession,
  object,
  parseAuthJson,
  string,
  url
} from "./chunk-5UWB336W.js";
import {
  ActionError,
  debug,
  getInput,
  setFailed,
  summary,
  warning
} from "./chunk-VKEKYMAO.js";

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
  CodexVersion: "codex-version",
  RegistryUrl: "registry-url"
};
var Output = {
  AuthSource: "auth-source",
  Refreshed: "refreshed",
  LastRefresh: "last-refresh",
  ExpiresAt: "expires-at",
  CodexExitCode: "codex-exit-code",
  FinalMessage: "final-message",
  CodexHome: "codex-home",
  CodexVersion: "codex-version"
};
var State = {
  CodexHome: "codex-home",
  StartFingerprint: "start-fingerprint",
  /** Set when Codex refreshed the session during the main step. */
  RefreshedFingerprint: "refreshed-fingerprint",
  AuthSource: "auth-source"
};
var Storages = ["cache", "directory", "none"];
var Modes = ["run", "setup"];
var BYPASS_ENV = ["CODEX_API_KEY", "OPENAI_API_KEY", "CODEX_ACCESS_TOKEN"];
var PINNED_CODEX_VERSION = "0.169.0";
var DEFAULT_REGISTRY_URL = "https://registry.npmjs.org/";
var DEFAULT_PROMPT = "Reply with the single word OK.";

// src/inputs.ts
import os from "node:os";
import path from "node:path";

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

// src/inputs.ts
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
  cacheKey: string().regex(/^[A-Za-z0-9._-]{1,100}$/, {
    error: `Input '${Input.CacheKey}' must be 1 to 100 letters, digits, '.', '_' or '-'.`
  }),
  encryptionKey: string(),
  allowAnyBranch: _enum(["true", "false"], {
    error: `Input '${Input.AllowAnyBranch}' must be true or false.`
  }),
  codexVersion: string().refine((version) => version === "latest" || isExactVersion(version), {
    error: `Input '${Input.CodexVersion}' must be 'latest' or an exact version such as ${PINNED_CODEX_VERSION}.`
  }),
  registryUrl: url({
    protocol: /^https?$/,
    error: `Input '${Input.RegistryUrl}' must be an http(s) URL, like ${DEFAULT_REGISTRY_URL}.`
  })
}).superRefine((raw, ctx) => {
  const problem = (message) => ctx.addIssue({ code: "custom", message });
  if (raw.storage === "directory" && raw.storagePath === "") {
    problem(`Input '${Input.StoragePath}' is required with storage: directory: name a directory.`);
  }
  if (raw.storage !== "directory" && raw.storagePath !== "") {
    problem(
      `Input '${Input.StoragePath}' is only used with storage: directory; remove it or set storage.`
    );
  }
  if (raw.storage === "cache" && raw.encryptionKey === "" && raw.authJson.trim() === "") {
    problem(
      `storage: cache encrypts the session (the cache is readable from pull requests and forks) and needs a key: set '${Input.EncryptionKey}' (a secret), or '${Input.AuthJson}' to derive it from.`
    );
  }
  if (raw.encryptionKey !== "" && raw.encryptionKey.length < MIN_ENCRYPTION_KEY_LENGTH) {
    problem(
      `Input '${Input.EncryptionKey}' must be at least ${MIN_ENCRYPTION_KEY_LENGTH} characters (make one with \`openssl rand -base64 32\`).`
    );
  }
  if (raw.prompt !== "" && raw.promptFile !== "") {
    problem(`Inputs '${Input.Prompt}' and '${Input.PromptFile}' exclude each other: set one.`);
  }
  if (raw.mode === "setup") {
    const runOnly = [
      [Input.Prompt, raw.prompt],
      [Input.PromptFile, raw.promptFile],
      [Input.OutputFile, raw.outputFile],
      [Input.CodexArgs, raw.codexArgs]
    ];
    for (const [name, value] of runOnly) {
      if (value.trim() !== "") {
        problem(
          `Input '${name}' is only used with mode: run; in setup mode later steps run codex.`
        );
      }
    }
  }
});
function readConfig(getInput2 = (name) => getInput(name), env = process.env) {
  const raw = {
    storage: getInput2(Input.Storage) || "cache",
    storagePath: getInput2(Input.StoragePath),
    mode: getInput2(Input.Mode) || "run",
    prompt: getInput2(Input.Prompt),
    promptFile: getInput2(Input.PromptFile),
    outputFile: getInput2(Input.OutputFile),
    codexArgs: getInput2(Input.CodexArgs),
    authJson: getInput2(Input.AuthJson),
    cacheKey: getInput2(Input.CacheKey) || "codex-auth",
    encryptionKey: getInput2(Input.EncryptionKey),
    allowAnyBranch: (getInput2(Input.AllowAnyBranch) || "false").toLowerCase(),
    codexVersion: getInput2(Input.CodexVersion) || PINNED_CODEX_VERSION,
    registryUrl: getInput2(Input.RegistryUrl) || DEFAULT_REGISTRY_URL
  };
  const parsed = RawInputs.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(parsed.error.issues.map((issue) => issue.message).join("\n"));
  }
  let codexArgs;
  try {
    codexArgs = parseCodexArgs(raw.codexArgs);
  } catch (error) {
    throw new InputError(error.message);
  }
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const resolve = (value) => value === "" ? void 0 : resolvePath(value, workspace);
  const { storage, mode, prompt, promptFile } = parsed.data;
  return {
    authJson: parsed.data.authJson.trim() === "" ? void 0 : parsed.data.authJson,
    codexHome: resolvePath(getInput2(Input.CodexHome) || env.CODEX_HOME || "~/.codex", workspace),
    storage,
    storagePath: resolve(parsed.data.storagePath),
    mode,
    prompt: mode === "run" && promptFile === "" ? prompt || DEFAULT_PROMPT : void 0,
    promptFile: resolve(promptFile),
    codexArgs,
    workingDirectory: resolve(getInput2(Input.WorkingDirectory)) ?? workspace,
    outputFile: resolve(parsed.data.outputFile),
    codexPath: resolve(getInput2(Input.CodexPath)),
    cacheKey: parsed.data.cacheKey,
    encryptionKey: parsed.data.encryptionKey || void 0,
    githubToken: getInput2(Input.GithubToken),
    allowAnyBranch: parsed.data.allowAnyBranch === "true",
    codexVersion: parsed.data.codexVersion,
    registryUrl: parsed.data.registryUrl.replace(/\/*$/, "/")
  };
}
function resolvePath(value, base) {
  const expanded = value === "~" || value.startsWith("~/") ? path.join(os.homedir(), value.slice(1)) : value;
  return path.resolve(base, expanded);
}

// src/step.ts
async function runStep(body) {
  try {
    await body();
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    debug(err.stack ?? err.message);
    setFailed(err instanceof ActionError ? err.message : `Unexpected error: ${err.message}`);
  }
}

// src/storage/directory.ts
import { promises as fs, constants as fsConstants } from "node:fs";
import path2 from "node:path";
var DirectoryStorage = class {
  constructor(dir) {
    this.dir = dir;
    this.file = path2.join(dir, "auth.json");
    this.description = `directory ${dir}`;
  }
  dir;
  description;
  file;
  /** Writable when the directory, or the nearest existing parent it would be created in, is. */
  async checkWritable() {
    let dir = this.dir;
    while (!await isDirectory(dir) && path2.dirname(dir) !== dir) dir = path2.dirname(dir);
    const writable = await fs.access(dir, fsConstants.W_OK).then(
      () => true,
      () => false
    );
    if (writable) return { ok: true };
    return {
      ok: false,
      reason: `the storage directory ${this.dir} cannot be written by this runner's user`,
      fix: `make ${this.dir} writable for it, or set another storage-path`
    };
  }
  async loadNewest() {
    return this.read(true);
  }
  async save(session) {
    return withFileLock(this.file, async () => {
      const stored = await this.read(false);
      if (stored?.fingerprint === session.fingerprint) return { kind: "already-stored" };
      if (stored && isNewer(stored, session)) return { kind: "newer-stored", stored };
      await writePrivateFileAtomic(this.file, session.text);
      return { kind: "saved", where: this.file };
    });
  }
  /** The stored session; an unreadable one counts as absent (warned once, when loading). */
  async read(warn) {
    const text = await readIfExists(this.file);
    if (text === void 0) return void 0;
    try {
      return parseAuthJson(text);
    } catch (error) {
      if (!(error instanceof AuthFileError)) throw error;
      if (warn) warning(`Ignoring the stored session at ${this.file}: ${error.message}`);
      return void 0;
    }
  }
};
async function isDirectory(dir) {
  return fs.stat(dir).then(
    (stat) => stat.isDirectory(),
    () => false
  );
}

// src/storage/none.ts
var NoStorage = class {
  constructor(codexHome, env = process.env) {
    this.codexHome = codexHome;
    this.env = env;
    this.description = `none (the session stays in ${codexHome})`;
  }
  codexHome;
  env;
  description;
  get ephemeralRunner() {
    return this.env.RUNNER_ENVIRONMENT === "github-hosted";
  }
  async checkWritable() {
    if (!this.ephemeralRunner) return { ok: true };
    return {
      ok: false,
      reason: "storage is none on a GitHub-hosted runner, whose disk is discarded when the job ends",
      fix: "set storage: cache (the default), or use a persistent self-hosted runner"
    };
  }
  async loadNewest() {
    return void 0;
  }
  async save(_session) {
    if (this.ephemeralRunner) {
      throw new SaveError(
        `storage is none and this GitHub-hosted runner discards ${this.codexHome} when the job ends`
      );
    }
    return { kind: "saved", where: `${this.codexHome} (storage: none keeps it on this runner)` };
  }
};

// src/storage/index.ts
async function createStorage(config) {
  switch (config.storage) {
    case "none":
      return new NoStorage(config.codexHome);
    case "directory":
      return new DirectoryStorage(config.storagePath);
    case "cache": {
      const { CacheStorage } = await import("./cache-CGQPOG2A.js");
      return new CacheStorage({
        cacheKey: config.cacheKey,
        // readConfig guarantees one of the two for storage: cache.
        entryKey: config.encryptionKey ? deriveEntryKey(config.encryptionKey, "encryption-key") : deriveEntryKey(config.authJson.trim(), "auth-json"),
        allowAnyBranch: config.allowAnyBranch,
        githubToken: config.githubToken
      });
    }
  }
}

// src/codex/home.ts
import { promises as fs2 } from "node:fs";
import path3 from "node:path";
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
var authFilePath = (codexHome) => path3.join(codexHome, "auth.json");
var configFilePath = (codexHome) => path3.join(codexHome, "config.toml");
function readAuthFile(codexHome) {
  return readIfExists(authFilePath(codexHome));
}
async function readSession(codexHome, { retries = 0, delayMs = 200 } = {}) {
  let problem = "";
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(delayMs);
    const text = await readAuthFile(codexHome);
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
async function writeAuthFile(codexHome, session) {
  await writePrivateFileAtomic(authFilePath(codexHome), session.text);
}
async function ensureFileCredentialStore(codexHome) {
  await ensurePrivateDir(codexHome);
  const file = configFilePath(codexHome);
  const current = await readIfExists(file) ?? "";
  const wanted = withFileCredentialStore(current);
  if (wanted === current) return;
  const mode = await fs2.stat(file).then(
    (stat) => stat.mode & 511,
    () => 384
  );
  const temp = `${file}.${process.pid}.tmp`;
  await fs2.writeFile(temp, wanted, { mode });
  await fs2.rename(temp, file);
}

// src/report.ts
async function writeSummary(title, rows) {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await summary.addHeading(title, 3).addTable([
    [
      { data: "What", header: true },
      { data: "Value", header: true }
    ],
    ...rows
  ]).write();
}

export {
  authFilePath,
  readSession,
  writeAuthFile,
  ensureFileCredentialStore,
  Input,
  Output,
  State,
  BYPASS_ENV,
  InputError,
  readConfig,
  writeSummary,
  runStep,
  createStorage
};
