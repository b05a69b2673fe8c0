import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  ActionError
} from "./chunk-ENXQ43ZO.js";

// src/platform/files.ts
import { randomBytes } from "node:crypto";
import { constants as fsConstants, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
var UnsafePathError = class extends ActionError {
};
function describeFsError(error) {
  const err = error;
  const words = {
    ENOSPC: "the disk is full",
    EDQUOT: "the disk quota is exhausted",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "the file system is read-only",
    ENOTDIR: "a part of the path is not a directory",
    EISDIR: "it is a directory",
    ENOENT: "no such file or directory",
    ELOOP: "it is a symbolic link"
  };
  if (!err?.code) return err?.message ?? String(error);
  const what = words[err.code] ?? err.message.replace(/^\w+: /, "").replace(/, \w+ '.*'$/, "");
  return `${what} (${err.code})${err.path ? ` on ${err.path}` : ""}`;
}
function sharedDirectoryProblem(dir, mode) {
  if (process.platform === "win32") return void 0;
  if ((mode & 512) !== 0)
    return `${dir} is a shared directory (sticky bit set, like /tmp): others can place files in it`;
  if ((mode & 18) !== 0)
    return `${dir} can be written by other users (mode ${(mode & 511).toString(8)})`;
  return void 0;
}
async function ensurePrivateDir(dir) {
  const existing = await fs.stat(dir).catch((error) => {
    if (error.code === "ENOENT") return void 0;
    throw error;
  });
  if (existing === void 0) {
    await fs.mkdir(dir, { recursive: true, mode: 448 });
    await fs.chmod(dir, 448);
    return;
  }
  if (!existing.isDirectory()) throw new UnsafePathError(`${dir} exists but is not a directory.`);
  const problem = sharedDirectoryProblem(dir, existing.mode);
  if (problem) {
    throw new UnsafePathError(
      `${problem}, so it cannot hold a credential. Use a private directory of the runner's user (if it is yours: chmod 700 ${dir}), or a path that does not exist yet (it is then created with mode 0700).`
    );
  }
}
async function directoryUsability(dir) {
  let probe = dir;
  for (; ; ) {
    const stat = await fs.stat(probe).catch(() => void 0);
    if (stat) {
      if (!stat.isDirectory())
        return probe === dir ? `${dir} is not a directory` : `${probe} is not a directory`;
      const writable = await fs.access(probe, fsConstants.W_OK | fsConstants.X_OK).then(
        () => true,
        // Stryker disable next-line ArrowFunction: equivalent, undefined is as falsy as false where writable is tested
        () => false
      );
      if (!writable)
        return `${probe} cannot be written by this runner's user (${os.userInfo().username})`;
      if (probe === dir) return sharedDirectoryProblem(dir, stat.mode);
      return void 0;
    }
    const parent = path.dirname(probe);
    if (parent === probe) return `no part of ${dir} exists`;
    probe = parent;
  }
}
async function pathKind(file) {
  try {
    const stat = await fs.lstat(file);
    if (stat.isSymbolicLink()) return "symlink";
    return stat.isFile() ? "file" : "other";
  } catch (error) {
    if (error.code === "ENOENT") return "missing";
    throw error;
  }
}
async function readIfExists(file) {
  try {
    return await fs.readFile(file, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw error;
  }
}
async function writePrivateFileAtomic(file, text, mode = 384) {
  const dir = path.dirname(file);
  await ensurePrivateDir(dir);
  const kind = await pathKind(file);
  if (kind === "symlink" || kind === "other") {
    throw new UnsafePathError(
      `${file} is ${kind === "symlink" ? "a symbolic link" : "not a regular file"}; the action writes credentials only to regular files. Replace it with a regular file, or choose another path.`
    );
  }
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  const flags = (
    // Stryker disable next-line LogicalOperator: equivalent, O_CREAT with O_EXCL already fails on any existing path, a symbolic link included
    fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | (fsConstants.O_NOFOLLOW ?? 0)
  );
  const handle = await fs.open(temp, flags, mode);
  try {
    await handle.chmod(mode);
    await handle.writeFile(text, "utf8");
    await handle.sync();
    await handle.close();
    await fs.rename(temp, file);
  } catch (error) {
    await handle.close().catch(() => void 0);
    await fs.rm(temp, { force: true });
    throw withPath(error, file);
  }
}
async function writeFileNoFollow(file, text) {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const flags = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC | (fsConstants.O_NOFOLLOW ?? 0);
  const handle = await fs.open(file, flags, 420);
  try {
    await handle.writeFile(text, "utf8");
  } finally {
    await handle.close();
  }
}
var LockTimeoutError = class extends ActionError {
};
async function withFileLock(file, work, { timeoutMs = 9e4, staleMs = 6e4 } = {}) {
  const lock = `${file}.lock`;
  const deadline = Date.now() + Math.max(timeoutMs, staleMs * 1.5);
  const holder = `${os.hostname()} ${process.pid}`;
  for (; ; ) {
    let handle;
    try {
      handle = await fs.open(lock, "wx", 384);
      await handle.writeFile(holder);
      await handle.close();
      break;
    } catch (error) {
      if (handle !== void 0) {
        await handle.close().catch(() => void 0);
        await fs.rm(lock, { force: true });
        throw withPath(error, lock);
      }
      if (error.code !== "EEXIST") throw error;
      if (await isStaleLock(lock, staleMs)) {
        await fs.rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new LockTimeoutError(
          `timed out waiting for the lock ${lock}, held by another job; remove it if no other job is running`
        );
      }
      await sleep(50 + Math.random() * 100);
    }
  }
  try {
    return await work();
  } finally {
    const current = await fs.readFile(lock, "utf8").catch(() => void 0);
    if (current === holder) await fs.rm(lock, { force: true });
  }
}
function withPath(error, file) {
  const err = error;
  if (typeof err?.code === "string" && err.path === void 0) err.path = file;
  return error;
}
async function isStaleLock(lock, staleMs) {
  const [stat, content] = await Promise.all([
    fs.stat(lock).catch(() => void 0),
    // Stryker disable next-line StringLiteral: equivalent, any text without this host's name is judged by the lock's age, as an empty one is
    fs.readFile(lock, "utf8").catch(() => "")
  ]);
  if (stat === void 0) return false;
  const [host, pid] = content.split(" ");
  if (host === os.hostname() && pid !== void 0 && /^\d+$/.test(pid)) return !isAlive(Number(pid));
  return Date.now() - stat.mtimeMs > staleMs;
}
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
async function freeBytes(dir) {
  let probe = dir;
  for (; ; ) {
    const stats = await fs.statfs(probe).catch(() => void 0);
    if (stats) return stats.bavail * stats.bsize;
    const parent = path.dirname(probe);
    if (parent === probe) return void 0;
    probe = parent;
  }
}

// src/platform/runner.ts
import { promises as fs2 } from "node:fs";
import os2 from "node:os";
import path2 from "node:path";
function runnerTemp(env = process.env) {
  return path2.resolve(env.RUNNER_TEMP || os2.tmpdir());
}
function workspace(env = process.env) {
  return path2.resolve(env.GITHUB_WORKSPACE || process.cwd());
}
async function withScratchDir(prefix, work) {
  const dir = await fs2.mkdtemp(path2.join(runnerTemp(), `${prefix}-`));
  try {
    return await work(dir);
  } finally {
    await fs2.rm(dir, { recursive: true, force: true });
  }
}

export {
  describeFsError,
  ensurePrivateDir,
  directoryUsability,
  pathKind,
  readIfExists,
  writePrivateFileAtomic,
  writeFileNoFollow,
  withFileLock,
  freeBytes,
  workspace,
  withScratchDir
};
