import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  BYPASS_ENV,
  Input,
  InputError,
  Output,
  State,
  authFilePath,
  createStorage,
  ensureFileCredentialStore,
  readConfig,
  readSession,
  runStep,
  writeAuthFile,
  writeSummary
} from "./chunks/chunk-7SQ3R67X.js";
import {
  InstallError,
  credentialFor,
  mergeNpmrcs,
  parseNpmrc
} from "./chunks/chunk-DDFK4ZV7.js";
import {
  parseCodexVersion,
  readIfExists
} from "./chunks/chunk-ZRIW3VFI.js";
import {
  AuthFileError,
  compareSessions,
  isNewer,
  isPlainObject,
  maskSecretInputs,
  maskSession,
  parseAuthSecret,
  willCodexRefresh
} from "./chunks/chunk-5UWB336W.js";
import {
  ActionError,
  addPath,
  exec,
  exportVariable,
  getExecOutput,
  info,
  saveState,
  setFailed,
  setOutput,
  setSecret,
  warning
} from "./chunks/chunk-VKEKYMAO.js";

// src/bootstrap.ts
var BootstrapError = class extends ActionError {
};
var SOURCE_PREFERENCE = ["disk", "storage", "secret"];
function chooseSession(candidates) {
  return [...candidates].sort(
    (a, b) => compareSessions(b.session, a.session) || SOURCE_PREFERENCE.indexOf(a.source) - SOURCE_PREFERENCE.indexOf(b.source)
  )[0];
}
async function chooseStart(config, storage, now) {
  const secret = parseSecretInput(config.authJson);
  maskSession(secret);
  const disk = await readDiskSession(config.codexHome);
  const stored = await storage.loadNewest();
  maskSession(stored);
  const candidates = [];
  if (disk) candidates.push({ source: "disk", session: disk });
  if (stored) candidates.push({ source: "storage", session: stored });
  if (secret) candidates.push({ source: "secret", session: secret });
  const chosen = chooseSession(candidates);
  if (!chosen) {
    throw new BootstrapError(
      `No ChatGPT session to start from: ${authFilePath(config.codexHome)} does not exist, storage (${storage.description}) holds none, and the '${Input.AuthJson}' input is empty. Sign in with \`codex login\` on a trusted machine and pass ~/.codex/auth.json as 'auth-json' from a secret.`
    );
  }
  info(
    `Using the session from ${describeSource(chosen.source, config, storage)} (${describeAge(chosen.session)}).`
  );
  if (willCodexRefresh(chosen.session, now)) {
    const writable = await storage.checkWritable();
    if (!writable.ok) {
      throw new BootstrapError(
        `Codex would refresh this session on this run (its access token expires within 5 minutes), but the refreshed session could not be stored: ${writable.reason}. Running Codex anyway would use up the refresh token and lose the new one. Nothing was changed. To fix: ${writable.fix}.`
      );
    }
  }
  return chosen;
}
async function writeStart(config, start) {
  if (start.source !== "disk") await writeAuthFile(config.codexHome, start.session);
  await ensureFileCredentialStore(config.codexHome);
}
function parseSecretInput(input) {
  if (input === void 0) return void 0;
  try {
    return parseAuthSecret(input);
  } catch (error) {
    if (error instanceof AuthFileError) {
      throw new BootstrapError(
        `The '${Input.AuthJson}' input is not a usable auth.json: ${error.message}`
      );
    }
    throw error;
  }
}
async function readDiskSession(codexHome) {
  const onDisk = await readSession(codexHome);
  if (onDisk.kind === "corrupt") {
    throw new BootstrapError(
      `${authFilePath(codexHome)} exists but is not a usable ChatGPT session: ${onDisk.problem} The action does not replace a file it cannot read. Remove it (or fix it), or set 'codex-home' to another directory.`
    );
  }
  return onDisk.kind === "session" ? onDisk.session : void 0;
}
function describeSource(source, config, storage) {
  switch (source) {
    case "disk":
      return authFilePath(config.codexHome);
    case "storage":
      return `storage (${storage.description})`;
    case "secret":
      return `the '${Input.AuthJson}' input`;
  }
}
function describeAge(session) {
  const expiry = session.accessTokenExpiresAt;
  return `last refreshed ${session.lastRefresh}` + (expiry ? `, access token expires ${expiry.toISOString()}` : "");
}

// src/codex/provide.ts
import os from "node:os";
import path from "node:path";
async function provideCodex(config) {
  const started = Date.now();
  let executable;
  let origin = `from '${Input.CodexPath}'`;
  if (config.codexPath !== void 0) {
    executable = config.codexPath;
  } else {
    const npmrc = await readNpmrc(config.workingDirectory);
    const credential = credentialFor(config.registryUrl, npmrc);
    if (credential)
      setSecret(credential.kind === "bearer" ? credential.token : credential.auth);
    const { installCodex } = await import("./chunks/install-AUUF4DGP.js");
    const codex = await installCodex({
      version: config.codexVersion,
      registryUrl: config.registryUrl,
      npmrc
    });
    executable = codex.executable;
    origin = codex.fromToolCache ? "found in the tool cache" : "installed into the tool cache";
  }
  const version = await versionOf(executable);
  info(`Codex ${version} ${origin} (${Date.now() - started} ms).`);
  addPath(path.dirname(executable));
  setOutput(Output.CodexVersion, version);
  return { executable, version };
}
async function versionOf(executable) {
  const result = await getExecOutput(executable, ["--version"], { silent: true, ignoreReturnCode: true }).catch((error) => ({ exitCode: -1, stdout: "", stderr: error.message }));
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

// src/invoke.ts
import { constants as fsConstants, promises as fs2 } from "node:fs";

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
import { promises as fs } from "node:fs";
import os2 from "node:os";
import path2 from "node:path";

// src/codex/events.ts
function newProgress() {
  return { errors: [], lastAgentMessage: void 0, turnCompleted: false };
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
      progress.turnCompleted = true;
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
var ACTION_ONLY_ENV = /^(INPUT_|ACTIONS_RUNTIME_TOKEN$)/;
function codexEnvironment(env, codexHome) {
  const result = {};
  const removedBypass = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === void 0 || ACTION_ONLY_ENV.test(name)) continue;
    if (BYPASS_ENV.includes(name)) {
      if (value.trim() !== "") removedBypass.push(name);
      continue;
    }
    result[name] = value;
  }
  result.CODEX_HOME = codexHome;
  return { env: result, removedBypass };
}
async function runCodexExec(run) {
  const { env, removedBypass } = codexEnvironment(process.env, run.codexHome);
  for (const name of removedBypass) {
    warning(
      `${name} is set in this step's environment. It would make Codex bypass the ChatGPT session, so the action removed it for codex exec. Unset it to silence this warning.`
    );
  }
  const scratch = await fs.mkdtemp(path2.join(process.env.RUNNER_TEMP || os2.tmpdir(), "codex-exec-"));
  const lastMessageFile = run.outputFile ?? path2.join(scratch, "last-message.txt");
  await fs.mkdir(path2.dirname(lastMessageFile), { recursive: true });
  const args = [
    "exec",
    "--json",
    "--skip-git-repo-check",
    "--output-last-message",
    lastMessageFile,
    ...run.codexArgs,
    run.prompt
  ];
  info(`Running: codex ${args.slice(0, -1).join(" ")} <prompt>`);
  const progress = newProgress();
  const stderr = [];
  try {
    const exitCode = await exec(run.codexPath, args, {
      cwd: run.workingDirectory,
      env,
      silent: true,
      ignoreReturnCode: true,
      input: Buffer.alloc(0),
      // stdin closed: codex exec must not wait for more input
      listeners: {
        stdline: (line) => {
          const message = describeEventLine(line, progress);
          if (message !== void 0) info(message);
        },
        errline: (line) => {
          stderr.push(line);
          info(line);
        }
      }
    });
    const finalMessage = await fs.readFile(lastMessageFile, "utf8").catch(() => void 0) ?? "";
    return {
      exitCode,
      finalMessage: finalMessage || progress.lastAgentMessage || "",
      errors: progress.errors,
      deadSession: detectDeadSession([...progress.errors, ...stderr])
    };
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

// src/invoke.ts
async function prepareInvocation(config) {
  if (config.mode === "setup") return void 0;
  const stat = await fs2.stat(config.workingDirectory).catch(() => void 0);
  if (!stat?.isDirectory()) {
    throw new InputError(
      `Input '${Input.WorkingDirectory}': ${config.workingDirectory} is not a directory.`
    );
  }
  if (config.codexPath !== void 0) {
    await fs2.access(config.codexPath, fsConstants.X_OK).catch(() => {
      throw new InputError(
        `Input '${Input.CodexPath}': ${config.codexPath} is not an executable file.`
      );
    });
  }
  if (config.promptFile === void 0) return { prompt: config.prompt };
  const prompt = await fs2.readFile(config.promptFile, "utf8").catch(() => {
    throw new InputError(`Input '${Input.PromptFile}': cannot read ${config.promptFile}.`);
  });
  if (prompt.trim() === "") {
    throw new InputError(`Input '${Input.PromptFile}': ${config.promptFile} is empty.`);
  }
  return { prompt };
}
async function invokeCodex(config, codex, invocation, start, storage) {
  if (invocation === void 0) {
    setSessionOutputs(start.session, false);
    info(`Setup mode: ${config.codexHome} holds the session; later steps can run codex.`);
    await writeSummary("Codex session ready (setup mode)", sessionRows(start, start.session, false));
    return void 0;
  }
  const result = await runCodexExec({
    codexPath: codex.executable,
    codexHome: config.codexHome,
    prompt: invocation.prompt,
    codexArgs: config.codexArgs,
    workingDirectory: config.workingDirectory,
    outputFile: config.outputFile
  });
  const onDisk = await readSession(config.codexHome);
  if (onDisk.kind !== "session") {
    warning(
      `${authFilePath(config.codexHome)} is ${onDisk.kind === "missing" ? "gone" : `not usable any more (${onDisk.problem})`} after the run.`
    );
  }
  const after = onDisk.kind === "session" ? onDisk.session : start.session;
  const refreshed = after.fingerprint !== start.session.fingerprint;
  setSessionOutputs(after, refreshed);
  setOutput(Output.CodexExitCode, String(result.exitCode));
  setOutput(Output.FinalMessage, result.finalMessage);
  info(
    refreshed ? `Codex refreshed the session (last_refresh ${after.lastRefresh}); the post step will store it.` : "Codex did not refresh the session on this run."
  );
  await writeSummary("Codex run", [
    ...sessionRows(start, after, refreshed),
    ["codex exit code", String(result.exitCode)]
  ]);
  if (result.exitCode !== 0) setFailed(await failureMessage(result, start, storage));
  return refreshed ? after : void 0;
}
async function failureMessage(result, start, storage) {
  if (result.deadSession === "reused") {
    const newest = await storage.loadNewest().catch(() => void 0);
    maskSession(newest);
    if (newest && isNewer(newest, start.session)) {
      return `Codex could not refresh the session because its refresh token was already used: another job using the same session refreshed it and stored a newer one (last refreshed ${newest.lastRefresh}) while this job ran. Re-run this job to start from the newer session. To avoid this, do not run jobs that share one session at the same time (use a concurrency group).`;
    }
  }
  if (result.deadSession) return deadSessionMessage(result.deadSession);
  const last = result.errors.at(-1);
  return `codex exec failed with exit code ${result.exitCode}${last ? `: ${last}` : "."}`;
}
function setSessionOutputs(session, refreshed) {
  setOutput(Output.Refreshed, String(refreshed));
  setOutput(Output.LastRefresh, session.lastRefresh);
  setOutput(Output.ExpiresAt, session.accessTokenExpiresAt?.toISOString() ?? "");
}
function sessionRows(start, session, refreshed) {
  return [
    ["session source", start.source],
    ["refreshed during this step", String(refreshed)],
    ["last refresh", session.lastRefresh],
    ["access token expires", session.accessTokenExpiresAt?.toISOString() ?? "unknown"]
  ];
}

// src/main.ts
await runStep(async () => {
  const config = readConfig();
  maskSecretInputs(config);
  const invocation = await prepareInvocation(config);
  const storage = await createStorage(config);
  const start = await chooseStart(config, storage, /* @__PURE__ */ new Date());
  const codex = await provideCodex(config);
  await writeStart(config, start);
  saveState(State.CodexHome, config.codexHome);
  saveState(State.StartFingerprint, start.session.fingerprint);
  saveState(State.AuthSource, start.source);
  exportVariable("CODEX_HOME", config.codexHome);
  setOutput(Output.CodexHome, config.codexHome);
  setOutput(Output.AuthSource, start.source);
  const refreshed = await invokeCodex(config, codex, invocation, start, storage);
  if (refreshed) saveState(State.RefreshedFingerprint, refreshed.fingerprint);
});
