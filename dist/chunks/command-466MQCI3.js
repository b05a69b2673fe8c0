import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  AuthFileError,
  maskSession,
  maskValues,
  parseAuthJson,
  secretInputForms,
  withDeadline
} from "./chunk-3E57OZVL.js";
import {
  info
} from "./chunk-ENXQ43ZO.js";
import "./chunk-HANBNIMK.js";

// src/storage/command.ts
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
var versionOf = (text) => createHash("sha256").update(text).digest("hex").slice(0, 16);
var CommandStorage = class {
  constructor(options) {
    this.options = options;
  }
  options;
  description = "the restore-command and persist-command";
  keepsSessions = true;
  readsBack = true;
  /** What `head` read: `load` right after it need not run restore-command again. */
  lastRead;
  async checkWritable() {
    return { ok: true };
  }
  async load() {
    const read = this.lastRead ?? await this.restore();
    this.lastRead = void 0;
    return read;
  }
  async head() {
    this.lastRead = await this.restore();
    const read = this.lastRead;
    return read.kind === "found" || read.kind === "unreadable" ? { kind: "version", version: read.version } : read;
  }
  async write(session) {
    const run = await this.run(this.options.persistCommand, session.text);
    logLines(run.stderr);
    if (run.kind === "failed") throw new Error(`persist-command failed: ${run.reason}`);
    return { version: versionOf(session.text), where: "persist-command" };
  }
  async exclusive(work) {
    return work();
  }
  async prune() {
  }
  async restore() {
    const run = await this.run(this.options.restoreCommand, "");
    if (run.stdout.trim() !== "") maskValues(secretInputForms(run.stdout));
    logLines(run.stderr);
    if (run.kind === "failed")
      return { kind: "unavailable", reason: `restore-command failed: ${run.reason}` };
    const text = run.stdout;
    if (text.trim() === "") return { kind: "empty" };
    const version = versionOf(text);
    try {
      const session = parseAuthJson(text);
      maskSession(session);
      return { kind: "found", session, version };
    } catch (error) {
      if (!(error instanceof AuthFileError)) throw error;
      return {
        kind: "unreadable",
        version,
        reason: `what restore-command printed: ${error.message}`
      };
    }
  }
  /** Runs one command under bash, `input` on its stdin. */
  async run(command, input) {
    const env = Object.fromEntries(
      Object.entries(this.options.env).filter(
        (entry) => entry[1] !== void 0 && !/^INPUT_/i.test(entry[0])
      )
    );
    const child = spawn("bash", ["-e", "-o", "pipefail", "-c", command], {
      env,
      stdio: ["pipe", "pipe", "pipe"]
    });
    const stdout = [];
    const stderr = [];
    child.stdout.on("data", (chunk) => stdout.push(chunk));
    child.stderr.on("data", (chunk) => stderr.push(chunk));
    child.stdin.on("error", () => void 0);
    child.stdin.end(input);
    const exit = new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code, signal }));
    });
    const text = () => ({
      stdout: Buffer.concat(stdout).toString("utf8"),
      stderr: Buffer.concat(stderr).toString("utf8")
    });
    try {
      const { code, signal } = await withDeadline(exit, this.options.timeoutMs, "the command");
      const reason = signal ? `ended by ${signal}` : `exit code ${code} (its output is above)`;
      return { kind: code === 0 ? "ok" : "failed", ...text(), reason };
    } catch (error) {
      child.kill("SIGKILL");
      return { kind: "failed", ...text(), reason: error.message };
    }
  }
};
function logLines(text) {
  for (const line of text.trimEnd().split("\n")) if (line !== "") info(`  ${line}`);
}
export {
  CommandStorage
};
