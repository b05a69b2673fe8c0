import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  ActionError
} from "./chunk-VKEKYMAO.js";

// src/files.ts
import { randomBytes } from "node:crypto";
import { constants as fsConstants, promises as fs } from "node:fs";
import path from "node:path";
var UnsafePathError = class extends ActionError {
};
async function ensurePrivateDir(dir) {
  await fs.mkdir(dir, { recursive: true, mode: 448 });
  const stat = await fs.stat(dir);
  if (!stat.isDirectory()) throw new UnsafePathError(`${dir} exists but is not a directory.`);
  if (process.platform !== "win32" && (stat.mode & 63) !== 0) await fs.chmod(dir, 448);
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
async function writePrivateFileAtomic(file, text) {
  const dir = path.dirname(file);
  await ensurePrivateDir(dir);
  const kind = await pathKind(file);
  if (kind === "symlink" || kind === "other") {
    throw new UnsafePathError(
      `${file} is ${kind === "symlink" ? "a symbolic link" : "not a regular file"}; the action writes credentials only to regular files. Replace it with a regular file, or choose another path.`
    );
  }
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  const flags = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | (fsConstants.O_NOFOLLOW ?? 0);
  const handle = await fs.open(temp, flags, 384);
  try {
    await handle.chmod(384);
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}
async function withFileLock(file, work, { timeoutMs = 3e4, staleMs = 6e4 } = {}) {
  const lock = `${file}.lock`;
  const deadline = Date.now() + timeoutMs;
  for (; ; ) {
    try {
      const handle = await fs.open(lock, "wx", 384);
      await handle.close();
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      const age = await fs.stat(lock).then(
        (stat) => Date.now() - stat.mtimeMs,
        () => 0
      );
      if (age > staleMs) {
        await fs.rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Timed out waiting for the lock ${lock}; remove it if no other job is running.`,
          {
            cause: error
          }
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
    }
  }
  try {
    return await work();
  } finally {
    await fs.rm(lock, { force: true });
  }
}

// src/codex/platform.ts
var PLATFORMS = {
  "linux-x64": { npmPlatform: "linux-x64", targetTriple: "x86_64-unknown-linux-musl" },
  "linux-arm64": { npmPlatform: "linux-arm64", targetTriple: "aarch64-unknown-linux-musl" },
  "darwin-x64": { npmPlatform: "darwin-x64", targetTriple: "x86_64-apple-darwin" },
  "darwin-arm64": { npmPlatform: "darwin-arm64", targetTriple: "aarch64-apple-darwin" },
  "win32-x64": { npmPlatform: "win32-x64", targetTriple: "x86_64-pc-windows-msvc" },
  "win32-arm64": { npmPlatform: "win32-arm64", targetTriple: "aarch64-pc-windows-msvc" }
};
var SUPPORTED_PLATFORMS = Object.keys(PLATFORMS);
function codexPlatform(platform, arch) {
  const known = PLATFORMS[`${platform}-${arch}`];
  return known && { ...known, executable: platform === "win32" ? "codex.exe" : "codex" };
}
var EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
function isExactVersion(version) {
  return EXACT_VERSION.test(version);
}
function parseCodexVersion(output) {
  return /(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(output)?.[1];
}

export {
  ensurePrivateDir,
  readIfExists,
  writePrivateFileAtomic,
  withFileLock,
  SUPPORTED_PLATFORMS,
  codexPlatform,
  isExactVersion,
  parseCodexVersion
};
