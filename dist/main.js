import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  InputError,
  PhaseClock,
  annotate,
  authFilePath,
  codexEnvironment,
  configuredSandbox,
  ensureFileCredentialStore,
  jsonObjectProblem,
  linkedConfigProblem,
  readSession,
  renderSummary,
  runStep,
  saveMainState,
  sessionAnnotations,
  setUpStep,
  sourceWhere,
  unsafeAuthFile,
  writeAuthFile,
  writeSummary
} from "./chunks/chunk-GAJ7RFH6.js";
import {
  InstallError,
  credentialFor,
  mergeNpmrcs,
  parseNpmrc
} from "./chunks/chunk-Q7P4GUPS.js";
import {
  isExactVersion,
  parseCodexVersion
} from "./chunks/chunk-Q4JLL2SL.js";
import "./chunks/chunk-VK5IUB2Z.js";
import {
  describeFsError,
  directoryUsability,
  freeBytes,
  pathKind,
  readIfExists,
  withScratchDir,
  writeFileNoFollow
} from "./chunks/chunk-R5CF63KH.js";
import {
  compareSessions,
  isFromTheFuture,
  isNewer,
  isPlainObject,
  maskSession,
  maskTokensIn,
  parseAuthJson,
  redactForms,
  refreshReason,
  tokenForms,
  willCodexRefresh
} from "./chunks/chunk-3E57OZVL.js";
import {
  Input,
  Output
} from "./chunks/chunk-D3WQU5D5.js";
import {
  ActionError,
  addPath,
  exportVariable,
  getExecOutput,
  info,
  setFailed,
  setOutput,
  setSecret,
  warning
} from "./chunks/chunk-ENXQ43ZO.js";
import "./chunks/chunk-HANBNIMK.js";

// src/codex/provide.ts
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
function askVersion(executable) {
  const answer = packagedVersion(executable).then((known) => known ?? versionOf(executable));
  answer.catch(() => void 0);
  return answer;
}
async function packagedVersion(executable) {
  const packageDir = path.dirname(path.dirname(executable));
  try {
    const metadata = JSON.parse(
      await fs.readFile(path.join(packageDir, "codex-package.json"), "utf8")
    );
    const { version, entrypoint } = metadata ?? {};
    if (typeof version !== "string" || !isExactVersion(version) || typeof entrypoint !== "string")
      return void 0;
    const [entry, given] = await Promise.all([
      fs.realpath(path.resolve(packageDir, entrypoint)),
      fs.realpath(executable)
    ]);
    return entry === given ? version : void 0;
  } catch {
    return void 0;
  }
}
async function provideCodex(config) {
  const started = Date.now();
  let executable;
  let version;
  let origin = `from '${Input.CodexPath}'`;
  if (config.codexPath !== void 0) {
    executable = config.codexPath;
    version = await (config.codexPathVersion ?? askVersion(executable));
  } else {
    const npmrc = await readNpmrc(config.projectDir);
    const credential = credentialFor(config.registryUrl, npmrc);
    if (credential)
      setSecret(credential.kind === "bearer" ? credential.token : credential.auth);
    const { installCodex } = await import("./chunks/install-RJF6G4XN.js");
    const codex = await installCodex({
      version: config.codexVersion,
      registryUrl: config.registryUrl,
      npmrc
    });
    executable = codex.executable;
    version = codex.version;
    origin = codex.fromToolCache ? "found in the tool cache" : "installed into the tool cache";
  }
  info(`Codex ${version} ${origin} (${Date.now() - started} ms).`);
  addPath(path.dirname(executable));
  return { executable, version };
}
async function versionOf(executable) {
  const env = definedEnv(process.env);
  const result = await withScratchDir(
    "codex-version",
    (home) => getExecOutput(executable, ["--version"], {
      silent: true,
      ignoreReturnCode: true,
      env: { ...env, CODEX_HOME: home }
    })
  ).catch((error) => ({ exitCode: -1, stdout: "", stderr: error.message }));
  const version = result.exitCode === 0 ? parseCodexVersion(result.stdout) : void 0;
  if (version === void 0) {
    throw new InstallError(
      `${executable} is not a working Codex CLI: \`codex --version\` ${result.exitCode === 0 ? "printed no version" : "failed"}. Check '${Input.CodexPath}' or '${Input.CodexVersion}'.`
    );
  }
  return version;
}
async function readNpmrc(projectDir) {
  const env = process.env;
  const userConfig = env.NPM_CONFIG_USERCONFIG || env.npm_config_userconfig || path.join(os.homedir(), ".npmrc");
  const files = [userConfig, path.join(env.GITHUB_WORKSPACE || projectDir, ".npmrc")];
  const layers = await Promise.all(
    files.map(async (file) => parseNpmrc(await readIfExists(file) ?? "", env))
  );
  return mergeNpmrcs(layers);
}
function definedEnv(env) {
  return Object.fromEntries(
    Object.entries(env).filter((entry) => entry[1] !== void 0)
  );
}

// src/app/bootstrap.ts
var BootstrapError = class extends ActionError {
};
var SOURCE_PREFERENCE = ["disk", "storage", "secret"];
function chooseSession(candidates, now) {
  return [...candidates].sort(
    (a, b) => compareSessions(b.session, a.session, now) || SOURCE_PREFERENCE.indexOf(a.source) - SOURCE_PREFERENCE.indexOf(b.source)
  )[0];
}
var MIN_FREE_BYTES = 8 * 1024 * 1024;
async function chooseStart({ codexHome, seed, store, now }) {
  const { candidates, stored } = await gatherCandidates({ codexHome, seed, store, now });
  let storedVersion;
  if (stored.kind === "found" || stored.kind === "unreadable") storedVersion = stored.version;
  const chosen = chooseSession(candidates, now);
  if (chosen && willCodexRefresh(chosen.session, now)) {
    const writable = await store.checkWritable();
    if (!writable.ok) {
      throw new BootstrapError(
        `Codex would refresh this session on this run (${refreshReason(chosen.session, now)}), but the refreshed session could not be stored: ${writable.reason}. Running Codex anyway would use up the refresh token and lose the new one. Nothing was changed. To fix: ${writable.fix}.`
      );
    }
  }
  if (stored.kind === "unavailable") {
    if (chosen === void 0 || willCodexRefresh(chosen.session, now)) {
      throw new BootstrapError(
        `Could not read the stored session from ${store.description}: ${stored.reason}. This is most likely transient: re-run the job. Nothing was changed. ` + (chosen ? `The action did not fall back to ${describeSource(chosen.source, codexHome, store)}: Codex would refresh it (${refreshReason(chosen.session, now)}), and if a newer session is stored, that copy holds a refresh token that is already used; presenting it can end the session.` : "")
      );
    }
    warning(
      `Could not read the stored session from ${store.description}: ${stored.reason}. Using ${describeSource(chosen.source, codexHome, store)} instead: Codex will not need to refresh it on this run.`
    );
  }
  if (!chosen) throw new BootstrapError(noSessionMessage(codexHome, store, stored));
  info(
    `Using the session from ${describeSource(chosen.source, codexHome, store)} (${describeAge(chosen.session)}).`
  );
  await checkFreeSpace(codexHome);
  return {
    ...chosen,
    storedVersion,
    storedReadable: stored.kind === "found",
    ...stored.kind === "found" && stored.savedAt ? { storedAt: stored.savedAt } : {}
  };
}
async function gatherCandidates({
  codexHome,
  seed,
  store,
  now
}) {
  const disk = await readDiskSession(codexHome);
  const stored = await store.load();
  const candidates = [];
  if (disk) candidates.push({ source: "disk", session: disk });
  switch (stored.kind) {
    case "found":
      candidates.push({ source: "storage", session: stored.session });
      if (stored.warning) warning(stored.warning);
      break;
    case "unreadable":
      warning(`Ignoring the stored session: ${stored.reason}`);
      break;
  }
  if (seed) candidates.push({ source: "secret", session: seed });
  for (const candidate of candidates) {
    if (isFromTheFuture(candidate.session, now)) {
      warning(
        `The session from ${describeSource(candidate.source, codexHome, store)} says it was last refreshed at ${candidate.session.lastRefresh}, which is in the future: the clock of the machine that wrote it was wrong, or the file was edited. It counts as older than any other session.`
      );
    }
  }
  return { candidates, stored };
}
function noSessionMessage(codexHome, store, stored) {
  const storage = stored.kind === "unreadable" ? `storage (${store.description}) holds one that cannot be used (see the warning above)` : `storage (${store.description}) holds none`;
  return `No ChatGPT session to start from: ${authFilePath(codexHome)} does not exist, ${storage}, and the '${Input.AuthJson}' input is empty. Sign in with \`codex login\` on a trusted machine and pass ~/.codex/auth.json as 'auth-json' from a secret.`;
}
async function writeStart(codexHome, start) {
  try {
    await ensureFileCredentialStore(codexHome);
    if (start.source !== "disk") await writeAuthFile(codexHome, start.session);
  } catch (error) {
    if (error instanceof ActionError)
      throw new BootstrapError(`Input '${Input.CodexHome}' (${codexHome}): ${error.message}`);
    throw new BootstrapError(
      `Could not write the session into '${Input.CodexHome}' (${codexHome}): ${describeFsError(error)}. Codex was not run and nothing was stored. Fix that directory (its permissions, free space), or set '${Input.CodexHome}' to another one, and re-run.`
    );
  }
}
async function checkFreeSpace(codexHome) {
  const free = await freeBytes(codexHome);
  if (free !== void 0 && free < MIN_FREE_BYTES) {
    throw new BootstrapError(
      `The disk that holds '${Input.CodexHome}' (${codexHome}) is full: ${Math.floor(free / 1024)} KiB free, and Codex needs room to write the refreshed session (at least ${MIN_FREE_BYTES / 1024 / 1024} MiB). Codex was not run: with a full disk it cannot save new tokens and retries with the used one. Free some space on the runner and re-run.`
    );
  }
}
async function readDiskSession(codexHome) {
  const unsafe = await unsafeAuthFile(codexHome);
  if (unsafe)
    throw new BootstrapError(
      `Input '${Input.CodexHome}': ${unsafe}; the action will not use it. Nothing was changed.`
    );
  const onDisk = await readSession(codexHome).catch((error) => {
    throw new BootstrapError(
      `Could not read ${authFilePath(codexHome)}: ${describeFsError(error)}. Fix its permissions, or set '${Input.CodexHome}' to another directory.`
    );
  });
  if (onDisk.kind === "corrupt") {
    throw new BootstrapError(
      `${authFilePath(codexHome)} exists but is not a usable ChatGPT session: ${onDisk.problem} The action does not replace a file it cannot read. Remove it (or fix it), or set 'codex-home' to another directory.`
    );
  }
  return onDisk.kind === "session" ? onDisk.session : void 0;
}
function describeSource(source, codexHome, store) {
  switch (source) {
    case "disk":
      return authFilePath(codexHome);
    case "storage":
      return `storage (${store.description})`;
    case "secret":
      return `the '${Input.AuthJson}' input`;
  }
}
function describeAge(session) {
  const expiry = session.accessTokenExpiresAt;
  return `last refreshed ${session.lastRefresh}` + (expiry ? `, access token expires ${expiry.toISOString()}` : "");
}

// src/app/checks.ts
import { constants as fsConstants, promises as fs2 } from "node:fs";
import path2 from "node:path";
import os2 from "node:os";
async function checkInputsOnDisk(config) {
  await checkDirectoryInput(Input.CodexHome, config.codexHome);
  const linkedConfig = await linkedConfigProblem(config.codexHome);
  if (linkedConfig)
    throw new InputError(`Input '${Input.CodexHome}': ${linkedConfig}. Nothing was changed.`);
  if (config.storage.kind === "directory") {
    await checkDirectoryInput(Input.StoragePath, config.storage.path);
    const stored = authFilePath(config.storage.path);
    const kind = await pathKind(stored).catch(() => "other");
    if (kind === "symlink" || kind === "other") {
      throw new InputError(
        `Input '${Input.StoragePath}': ${stored} is ${kind === "symlink" ? "a symbolic link" : "not a regular file"}; the stored session is read and written only as a regular file (a refreshed session could not be stored there). Replace it with a regular file (or remove it), or set another storage-path.`
      );
    }
    if (isInside(config.storage.path, config.codexHome) || isInside(config.codexHome, config.storage.path)) {
      throw new InputError(
        `Input '${Input.StoragePath}' (${config.storage.path}) and the Codex home (${config.codexHome}) must be separate directories: the storage keeps a copy of the session, not the session itself.`
      );
    }
  }
  if (config.codexPath !== void 0) {
    await fs2.access(config.codexPath, fsConstants.X_OK).catch(() => {
      throw new InputError(
        `Input '${Input.CodexPath}': ${config.codexPath} is not an executable file.`
      );
    });
  }
  const run2 = config.run;
  if (run2 === void 0) {
    if (config.mode === "setup" && await configuredSandbox(config.codexHome) === "danger-full-access" && !config.allowDangerFullAccess) {
      throw new InputError(
        `The config.toml in '${Input.CodexHome}' sets sandbox_mode = "danger-full-access": every command the model runs in later steps could read the job's secrets and write the runner's command files. Set '${Input.AllowDangerFullAccess}: true' only if that is what you want, or remove the setting.`
      );
    }
    return void 0;
  }
  const stat = await fs2.stat(run2.workingDirectory).catch(() => void 0);
  if (!stat?.isDirectory()) {
    throw new InputError(
      `Input '${Input.WorkingDirectory}': ${run2.workingDirectory} is not a directory.`
    );
  }
  const enterable = await fs2.access(run2.workingDirectory, fsConstants.R_OK | fsConstants.X_OK).then(
    () => true,
    () => false
  );
  if (!enterable) {
    throw new InputError(
      `Input '${Input.WorkingDirectory}': ${run2.workingDirectory} cannot be entered by this runner's user (${os2.userInfo().username}): permission denied. Fix its permissions, or name another directory.`
    );
  }
  if (run2.outputFile !== void 0) await checkOutputFile(run2.outputFile, config);
  if (run2.outputSchema !== void 0 && "file" in run2.outputSchema)
    await checkOutputSchemaFile(run2.outputSchema.file);
  if ("text" in run2.prompt) return { prompt: run2.prompt.text };
  return { prompt: await readPromptFile(run2.prompt.file) };
}
async function checkDirectoryInput(input, dir) {
  const problem = await directoryUsability(dir);
  if (problem !== void 0) {
    throw new InputError(
      `Input '${input}': ${problem}. Name a private directory of the runner's user (if it is yours: chmod 700 ${dir}), or one that does not exist yet (it is then created with mode 0700).`
    );
  }
}
async function checkOutputFile(file, config) {
  const link = await fs2.lstat(file).catch(() => void 0);
  if (link?.isSymbolicLink()) {
    throw new InputError(
      `Input '${Input.OutputFile}': ${file} is a symbolic link: Codex's final message would be written wherever it points (the session, for one), and read back from there. Name a regular file, or one that does not exist yet.`
    );
  }
  const protectedDirs = [
    config.codexHome,
    ...config.storage.kind === "directory" ? [config.storage.path] : []
  ];
  if (protectedDirs.some((dir) => isInside(file, dir)) || file === authFilePath(config.codexHome)) {
    throw new InputError(
      `Input '${Input.OutputFile}': ${file} is inside the Codex home or the storage directory, where Codex's final message could overwrite the session. Choose a file elsewhere (e.g. in the workspace).`
    );
  }
  const stat = await fs2.stat(file).catch(() => void 0);
  if (stat?.isDirectory()) {
    throw new InputError(`Input '${Input.OutputFile}': ${file} is a directory; name a file.`);
  }
  if (stat !== void 0 && !stat.isFile()) {
    throw new InputError(`Input '${Input.OutputFile}': ${file} is not a regular file.`);
  }
  const parentProblem = await directoryUsability(path2.dirname(file));
  if (parentProblem !== void 0 && !/can be written by other users|shared directory/.test(parentProblem)) {
    throw new InputError(`Input '${Input.OutputFile}': ${parentProblem}.`);
  }
}
async function checkOutputSchemaFile(file) {
  const text2 = await fs2.readFile(file, "utf8").catch((error) => {
    throw new InputError(
      `Input '${Input.OutputSchemaFile}': cannot read ${file}: ${describeFsError(error).replace(/ on \/.*$/, "")}. Name a readable JSON Schema file (relative paths are resolved against the workspace).`
    );
  });
  const problem = jsonObjectProblem(text2);
  if (problem) {
    throw new InputError(
      `Input '${Input.OutputSchemaFile}': ${file} ${problem}. Make it one JSON object (a JSON Schema).`
    );
  }
}
async function readPromptFile(file) {
  const prompt = await fs2.readFile(file, "utf8").catch(() => {
    throw new InputError(`Input '${Input.PromptFile}': cannot read ${file}.`);
  });
  if (prompt.includes("\0")) {
    throw new InputError(
      `Input '${Input.PromptFile}': ${file} holds a NUL byte, so it is not a text file. Name a text file.`
    );
  }
  if (prompt.trim() === "") throw new InputError(`Input '${Input.PromptFile}': ${file} is empty.`);
  return prompt;
}
function isInside(inner, outer) {
  const relative = path2.relative(outer, inner);
  return relative === "" || !relative.startsWith("..") && !path2.isAbsolute(relative);
}

// src/codex/credential-watch.ts
import { readFileSync, statSync } from "node:fs";
var CredentialWatch = class {
  constructor(codexHome, sessions) {
    this.codexHome = codexHome;
    sessions.forEach((session) => this.add(session));
  }
  codexHome;
  forms = [];
  seen = "";
  add(session) {
    this.forms = [.../* @__PURE__ */ new Set([...this.forms, ...tokenForms(session)])].sort(
      (a, b) => b.length - a.length
    );
  }
  redact(text2) {
    this.refresh();
    return redactForms(text2, this.forms).text;
  }
  /** Codex replaces auth.json atomically when it refreshes: a new inode or mtime means new tokens. */
  refresh() {
    const file = authFilePath(this.codexHome);
    const stat = statSyncOrUndefined(file);
    const identity = stat ? `${stat.ino}:${stat.mtimeMs}` : "";
    if (identity === this.seen || stat === void 0) return;
    this.seen = identity;
    try {
      const session = parseAuthJson(readFileSync(file, "utf8"));
      maskSession(session);
      this.add(session);
    } catch {
      this.seen = "";
    }
  }
};
function statSyncOrUndefined(file) {
  try {
    return statSync(file);
  } catch {
    return void 0;
  }
}

// src/codex/outcome.ts
var PATTERNS = [
  [/refresh token was already used|refresh_token_reused/i, "reused"],
  [/refresh token has expired|refresh_token_expired/i, "expired"],
  [/refresh token was revoked|refresh_token_invalidated/i, "revoked"],
  [/access token could not be refreshed|signed in to another account/i, "unknown"]
];
function detectDeadSession(messages) {
  for (const [pattern, reason] of PATTERNS) {
    if (messages.some((message) => pattern.test(message))) return reason;
  }
  return void 0;
}
var WHY = {
  expired: "its refresh token has expired (the session went unused for too long)",
  revoked: "its refresh token was revoked (signed out, password change, or revoked by an admin)",
  unknown: "Codex could not refresh it and asks to sign in again"
};
var RECOVERY = [
  "To recover:",
  "1. Run `codex login` on a trusted machine (ChatGPT sign-in).",
  "2. Put the new ~/.codex/auth.json into the secret passed as 'auth-json'.",
  "3. Make sure nothing else uses this session: give each runner, workflow or machine its own sign-in, and never copy an auth.json that is still in use elsewhere."
];
function deadSessionMessage(reason) {
  if (reason === "reused") {
    return [
      "Codex could not refresh the ChatGPT session: its refresh token was already used. Each refresh token works once, so another job, runner or machine that uses this same session refreshed it first (concurrent use of one session).",
      "If that was another job of this workflow, it stores the newer session when it ends: re-run this job after it, and keep such jobs from overlapping with a concurrency group.",
      "Otherwise the session is dead for good. " + RECOVERY.join("\n")
    ].join("\n");
  }
  return [
    `The ChatGPT session is dead: ${WHY[reason]}. No run can refresh it any more.`,
    ...RECOVERY
  ].join("\n");
}

// src/codex/run.ts
import { spawn } from "node:child_process";
import { promises as fs3 } from "node:fs";
import path3 from "node:path";
import { createInterface } from "node:readline";

// src/codex/events.ts
function newProgress() {
  return { errors: [], lastAgentMessage: void 0 };
}
function describeEventLine(line, progress) {
  if (line.trim() === "") return void 0;
  let event;
  try {
    event = JSON.parse(line);
  } catch {
    return line;
  }
  if (!isPlainObject(event)) return line;
  const item = isPlainObject(event.item) ? event.item : {};
  switch (event.type) {
    case "thread.started":
      return `Codex thread ${text(event.thread_id)} started.`;
    case "turn.started":
      return void 0;
    case "item.completed":
      return describeItem(item, progress);
    case "turn.completed": {
      const usage = isPlainObject(event.usage) ? event.usage : {};
      return `Turn completed (usage: ${text(usage.input_tokens)} in, ${text(usage.output_tokens)} out).`;
    }
    case "turn.failed": {
      const message = isPlainObject(event.error) ? text(event.error.message) : "unknown error";
      progress.errors.push(message);
      return `Turn failed: ${message}`;
    }
    case "error": {
      const message = text(event.message);
      progress.errors.push(message);
      return `Codex error: ${message}`;
    }
    default:
      return void 0;
  }
}
function describeItem(item, progress) {
  switch (item.type) {
    case "agent_message":
      progress.lastAgentMessage = text(item.text);
      return `Codex: ${progress.lastAgentMessage}`;
    case "command_execution":
      return `Codex ran: ${text(item.command)} (exit ${text(item.exit_code)})`;
    case "file_change": {
      const changes = Array.isArray(item.changes) ? item.changes : [];
      const paths = changes.map((change) => isPlainObject(change) ? text(change.path) : "?");
      return `Codex changed: ${paths.join(", ")}`;
    }
    case "mcp_tool_call":
      return `Codex called tool ${text(item.server)}/${text(item.tool)}`;
    case "web_search":
      return `Codex searched the web: ${text(item.query)}`;
    case "error":
      return `Codex reported: ${text(item.message)}`;
    default:
      return void 0;
  }
}
function text(value) {
  if (typeof value === "string") return value;
  if (value === void 0 || value === null) return "?";
  return JSON.stringify(value);
}

// src/codex/run.ts
async function runCodexExec(run2) {
  const { env, removedBypass } = codexEnvironment(process.env, run2.codexHome, run2.passThroughEnv);
  for (const name of removedBypass) {
    warning(
      `${name} is set in this step's environment. It would make Codex bypass the ChatGPT session, so the action removed it for codex exec. Unset it to silence this warning.`
    );
  }
  return withScratchDir("codex-exec", async (scratch) => {
    const lastMessageFile = path3.join(scratch, "last-message.txt");
    let schemaFile;
    if (run2.outputSchema !== void 0 && "text" in run2.outputSchema) {
      schemaFile = path3.join(scratch, "output-schema.json");
      await fs3.writeFile(schemaFile, run2.outputSchema.text, { mode: 384, flag: "wx" });
    } else schemaFile = run2.outputSchema?.file;
    const args = [
      "exec",
      "--json",
      "--skip-git-repo-check",
      "--output-last-message",
      lastMessageFile,
      ...run2.sandbox === void 0 ? [] : ["--sandbox", run2.sandbox],
      ...run2.model === void 0 ? [] : ["--model", run2.model],
      ...run2.effort === void 0 ? [] : ["-c", `model_reasoning_effort="${run2.effort}"`],
      ...schemaFile === void 0 ? [] : ["--output-schema", schemaFile],
      ...run2.shellTool ? [] : ["-c", "features.shell_tool=false"],
      ...run2.codexArgs,
      "-"
    ];
    info(`Running: codex ${args.join(" ")} (the prompt on stdin)`);
    const progress = newProgress();
    const stderr = [];
    const promptFile = path3.join(scratch, "prompt.txt");
    await fs3.writeFile(promptFile, run2.prompt, { mode: 384 });
    const exitCode = await spawnWithLines(run2.codexPath, args, {
      cwd: run2.workingDirectory,
      env,
      stdinFile: promptFile,
      stdline: (line) => {
        maskTokensIn(line);
        const message = describeEventLine(line, progress);
        if (message !== void 0) info(run2.redact(message));
      },
      // Held until Codex exits and the new tokens are masked: a trace line may carry them.
      errline: (line) => stderr.push(line)
    });
    await run2.beforeStderrShown();
    for (const line of stderr) {
      maskTokensIn(line);
      info(run2.redact(line));
    }
    const finalMessage = await fs3.readFile(lastMessageFile, "utf8").catch(() => void 0) ?? "";
    return {
      exitCode: exitCode ?? -1,
      killed: exitCode === null,
      finalMessage: finalMessage || progress.lastAgentMessage || "",
      errors: progress.errors,
      deadSession: detectDeadSession([...progress.errors, ...stderr])
    };
  });
}
async function spawnWithLines(command, args, options) {
  const stdin = await fs3.open(options.stdinFile, "r");
  try {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [stdin.fd, "pipe", "pipe"]
    });
    const lines = (stream, each) => new Promise(
      (resolve) => createInterface({ input: stream, crlfDelay: Infinity }).on("line", each).on("close", resolve)
    );
    const [code] = await Promise.all([
      new Promise((resolve, reject) => {
        child.on("error", reject);
        child.on("close", (code2) => resolve(code2));
      }),
      lines(child.stdout, options.stdline),
      lines(child.stderr, options.errline)
    ]);
    return code;
  } finally {
    await stdin.close();
  }
}

// src/app/invoke.ts
async function invokeCodex(input) {
  const { codexHome, run: run2, invocation, start, store } = input;
  if (run2 === void 0 || invocation === void 0) {
    setSessionOutputs(start.session, false);
    info(`Setup mode: ${codexHome} holds the session; later steps can run codex.`);
    return { session: start.session, refreshed: false, codexExitCode: void 0 };
  }
  let after = start.session;
  const credentials = new CredentialWatch(codexHome, [start.session, ...input.otherSessions]);
  const result = await runCodexExec({
    codexPath: input.codex.executable,
    codexHome,
    prompt: invocation.prompt,
    codexArgs: run2.codexArgs,
    sandbox: run2.sandbox,
    model: run2.model,
    effort: run2.effort,
    outputSchema: run2.outputSchema,
    shellTool: run2.shellTool,
    passThroughEnv: input.passThroughEnv,
    workingDirectory: run2.workingDirectory,
    // Reading the session masks its new tokens, before any line Codex printed is shown.
    beforeStderrShown: async () => {
      const onDisk = await readSession(codexHome).catch((error) => ({
        kind: "corrupt",
        problem: error.message
      }));
      if (onDisk.kind === "session") {
        after = onDisk.session;
        credentials.add(after);
      } else
        warning(
          `${authFilePath(codexHome)} is ${onDisk.kind === "missing" ? "gone" : `not usable any more (${onDisk.problem})`} after the run.`
        );
    },
    redact: (line) => credentials.redact(line)
  });
  const finalMessage = credentials.redact(result.finalMessage);
  if (finalMessage !== result.finalMessage) {
    warning(
      "Codex's final message contained a credential of the ChatGPT session; it was replaced with *** in the final-message output and the output file. The prompt may carry injected text that made the model read the session: see the README on what a prompt can reach."
    );
  }
  if (run2.outputFile !== void 0) await writeFileNoFollow(run2.outputFile, finalMessage);
  const refreshed = after.fingerprint !== start.session.fingerprint;
  setSessionOutputs(after, refreshed);
  setOutput(Output.CodexExitCode, result.killed ? "" : String(result.exitCode));
  setOutput(Output.FinalMessage, finalMessage);
  info(
    refreshed ? `Codex refreshed the session (last_refresh ${after.lastRefresh}); the post step will store it.` : "Codex did not refresh the session on this run."
  );
  if (result.exitCode !== 0) setFailed(await failureMessage(result, start, store));
  return {
    session: after,
    refreshed,
    codexExitCode: result.killed ? void 0 : result.exitCode
  };
}
async function failureMessage(result, start, store) {
  if (result.deadSession === "reused") {
    const newest = await store.load();
    if (newest.kind === "found" && isNewer(newest.session, start.session, /* @__PURE__ */ new Date())) {
      return `Codex could not refresh the session because its refresh token was already used: another job using the same session refreshed it and stored a newer one (last refreshed ${newest.session.lastRefresh}) while this job ran. Re-run this job to start from the newer session. To avoid this, do not run jobs that share one session at the same time (use a concurrency group).`;
    }
  }
  if (result.deadSession) return deadSessionMessage(result.deadSession);
  if (result.killed)
    return "codex exec was killed by a signal before it finished (out of memory, a time-out, or a cancelled job). Re-run the job; if it happens again, give the runner more memory or the job more time.";
  const last = result.errors.at(-1)?.replace(/\.$/, "");
  return `codex exec failed with exit code ${result.exitCode}${last ? `: ${last}` : ""}. Read what Codex printed above, fix what it reports (the prompt, 'codex-args', 'model'), and re-run.`;
}
function setSessionOutputs(session, refreshed) {
  setOutput(Output.Refreshed, String(refreshed));
  setOutput(Output.LastRefresh, session.lastRefresh);
  setOutput(Output.ExpiresAt, session.accessTokenExpiresAt?.toISOString() ?? "");
}

// src/app/verify.ts
var VerifyError = class extends ActionError {
};
async function verifySession({ config, seed, store, clock }) {
  const now = /* @__PURE__ */ new Date();
  const { codexHome } = config;
  const { candidates, stored } = await gatherCandidates({ codexHome, seed, store, now });
  if (stored.kind === "unavailable") {
    throw new VerifyError(
      `Could not read the stored session from ${store.description}: ${stored.reason}. A failed read is not "nothing stored", so which session a run would start from is unknown. This is most likely transient: re-run the job; if it keeps failing, check that this job can reach the storage.`
    );
  }
  const chosen = chooseSession(candidates, now);
  if (!chosen) throw new VerifyError(noSessionMessage(codexHome, store, stored));
  const { session, source } = chosen;
  const willRefresh = willCodexRefresh(session, now);
  const writable = willRefresh && !store.probesByWriting ? await store.checkWritable() : void 0;
  setOutput(Output.AuthSource, source);
  setOutput(Output.LastRefresh, session.lastRefresh);
  setOutput(Output.ExpiresAt, session.accessTokenExpiresAt?.toISOString() ?? "");
  setOutput(Output.WillRefresh, String(willRefresh));
  clock.end("verify: read the sessions");
  const summary = renderSummary({
    step: "main",
    mode: "verify",
    source,
    sourceWhere: sourceWhere(source, authFilePath(codexHome), store.description),
    session,
    refreshed: false,
    saved: { kind: "verify", where: store.description },
    ...stored.kind === "found" || stored.kind === "unreadable" ? {
      generation: {
        version: stored.version,
        ...stored.kind === "found" && stored.savedAt ? { savedAt: stored.savedAt } : {}
      }
    } : {},
    phases: clock.phases,
    now
  });
  info("The session a run would start from:");
  for (const [what, value] of summary.rows) info(`  ${what}: ${value}`);
  annotate(
    sessionAnnotations({
      session,
      saved: { kind: "verify", where: store.description },
      writable,
      now
    })
  );
  await writeSummary(summary);
}

// src/app/main.ts
async function run() {
  await runStep(async () => {
    const clock = new PhaseClock();
    const { config, seed, store } = await setUpStep();
    const codexPathVersion = config.codexPath === void 0 || config.mode === "verify" ? void 0 : askVersion(config.codexPath);
    const invocation = await checkInputsOnDisk(config);
    if (config.mode === "verify") return verifySession({ config, seed, store, clock });
    const start = await chooseStart({ codexHome: config.codexHome, seed, store, now: /* @__PURE__ */ new Date() });
    clock.end("bootstrap: choose the session");
    const codex = await provideCodex({
      codexPath: config.codexPath,
      codexVersion: config.codexVersion,
      registryUrl: config.registryUrl,
      projectDir: config.run?.workingDirectory ?? process.cwd(),
      codexPathVersion
    });
    setOutput(Output.CodexVersion, codex.version);
    clock.end("invoke: provide Codex");
    await writeStart(config.codexHome, start);
    clock.end("bootstrap: write CODEX_HOME");
    const state = {
      codexHome: config.codexHome,
      start: {
        source: start.source,
        fingerprint: start.session.fingerprint,
        lastRefresh: start.session.lastRefresh,
        storedVersion: start.storedVersion,
        storedReadable: start.storedReadable
      }
    };
    saveMainState(state);
    exportVariable("CODEX_HOME", config.codexHome);
    setOutput(Output.CodexHome, config.codexHome);
    setOutput(Output.AuthSource, start.source);
    const invoked = await invokeCodex({
      codexHome: config.codexHome,
      run: config.run,
      invocation,
      codex,
      start,
      store,
      passThroughEnv: config.passThroughEnv,
      otherSessions: seed ? [seed] : []
    });
    clock.end(config.run ? "invoke: codex exec" : "invoke: none (setup mode)");
    saveMainState({
      ...state,
      ...invoked.refreshed ? { refreshedFingerprint: invoked.session.fingerprint } : {},
      phases: clock.phases
    });
    await writeSummary(
      renderSummary({
        step: "main",
        mode: config.mode,
        source: start.source,
        sourceWhere: sourceWhere(start.source, authFilePath(config.codexHome), store.description),
        session: invoked.session,
        refreshed: invoked.refreshed,
        saved: store.keepsSessions ? { kind: "by-post", where: store.description } : { kind: "kept-in-place", where: authFilePath(config.codexHome) },
        ...start.storedVersion ? { generation: { version: start.storedVersion, savedAt: start.storedAt } } : {},
        codexExitCode: invoked.codexExitCode,
        phases: clock.phases,
        now: /* @__PURE__ */ new Date()
      })
    );
  });
}

// src/main.ts
await run();
