import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  InstallError,
  authorizationHeader,
  credentialFor
} from "./chunk-Q7P4GUPS.js";
import {
  SUPPORTED_PLATFORMS,
  codexPlatform
} from "./chunk-Q4JLL2SL.js";
import {
  require_semver
} from "./chunk-3LIX2SKN.js";
import {
  withFileLock,
  withScratchDir
} from "./chunk-R5CF63KH.js";
import {
  HttpClient,
  cp,
  debug,
  info,
  mkdirP,
  rmRF
} from "./chunk-ENXQ43ZO.js";
import {
  __toESM
} from "./chunk-HANBNIMK.js";

// node_modules/@actions/tool-cache/lib/tool-cache.js
import * as fs from "fs";

// node_modules/@actions/tool-cache/lib/manifest.js
var semver = __toESM(require_semver(), 1);

// node_modules/@actions/tool-cache/lib/tool-cache.js
import * as os from "os";
import * as path from "path";
var semver2 = __toESM(require_semver(), 1);
import { ok } from "assert";
var __awaiter = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve) {
      resolve(value);
    });
  }
  return new (P || (P = Promise))(function(resolve, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var IS_WINDOWS = process.platform === "win32";
var IS_MAC = process.platform === "darwin";
function cacheDir(sourceDir, tool, version, arch2) {
  return __awaiter(this, void 0, void 0, function* () {
    version = semver2.clean(version) || version;
    arch2 = arch2 || os.arch();
    debug(`Caching tool ${tool} ${version} ${arch2}`);
    debug(`source dir: ${sourceDir}`);
    if (!fs.statSync(sourceDir).isDirectory()) {
      throw new Error("sourceDir is not a directory");
    }
    const destPath = yield _createToolPath(tool, version, arch2);
    for (const itemName of fs.readdirSync(sourceDir)) {
      const s = path.join(sourceDir, itemName);
      yield cp(s, destPath, { recursive: true });
    }
    _completeToolPath(tool, version, arch2);
    return destPath;
  });
}
function find(toolName, versionSpec, arch2) {
  if (!toolName) {
    throw new Error("toolName parameter is required");
  }
  if (!versionSpec) {
    throw new Error("versionSpec parameter is required");
  }
  arch2 = arch2 || os.arch();
  if (!isExplicitVersion(versionSpec)) {
    const localVersions = findAllVersions(toolName, arch2);
    const match = evaluateVersions(localVersions, versionSpec);
    versionSpec = match;
  }
  let toolPath = "";
  if (versionSpec) {
    versionSpec = semver2.clean(versionSpec) || "";
    const cachePath = path.join(_getCacheDirectory(), toolName, versionSpec, arch2);
    debug(`checking cache: ${cachePath}`);
    if (fs.existsSync(cachePath) && fs.existsSync(`${cachePath}.complete`)) {
      debug(`Found tool in cache ${toolName} ${versionSpec} ${arch2}`);
      toolPath = cachePath;
    } else {
      debug("not found");
    }
  }
  return toolPath;
}
function findAllVersions(toolName, arch2) {
  const versions = [];
  arch2 = arch2 || os.arch();
  const toolPath = path.join(_getCacheDirectory(), toolName);
  if (fs.existsSync(toolPath)) {
    const children = fs.readdirSync(toolPath);
    for (const child of children) {
      if (isExplicitVersion(child)) {
        const fullPath = path.join(toolPath, child, arch2 || "");
        if (fs.existsSync(fullPath) && fs.existsSync(`${fullPath}.complete`)) {
          versions.push(child);
        }
      }
    }
  }
  return versions;
}
function _createToolPath(tool, version, arch2) {
  return __awaiter(this, void 0, void 0, function* () {
    const folderPath = path.join(_getCacheDirectory(), tool, semver2.clean(version) || version, arch2 || "");
    debug(`destination ${folderPath}`);
    const markerPath = `${folderPath}.complete`;
    yield rmRF(folderPath);
    yield rmRF(markerPath);
    yield mkdirP(folderPath);
    return folderPath;
  });
}
function _completeToolPath(tool, version, arch2) {
  const folderPath = path.join(_getCacheDirectory(), tool, semver2.clean(version) || version, arch2 || "");
  const markerPath = `${folderPath}.complete`;
  fs.writeFileSync(markerPath, "");
  debug("finished caching tool");
}
function isExplicitVersion(versionSpec) {
  const c = semver2.clean(versionSpec) || "";
  debug(`isExplicit: ${c}`);
  const valid2 = semver2.valid(c) != null;
  debug(`explicit? ${valid2}`);
  return valid2;
}
function evaluateVersions(versions, versionSpec) {
  let version = "";
  debug(`evaluating ${versions.length} versions`);
  versions = versions.sort((a, b) => {
    if (semver2.gt(a, b)) {
      return 1;
    }
    return -1;
  });
  for (let i = versions.length - 1; i >= 0; i--) {
    const potential = versions[i];
    const satisfied = semver2.satisfies(potential, versionSpec);
    if (satisfied) {
      version = potential;
      break;
    }
  }
  if (version) {
    debug(`matched: ${version}`);
  } else {
    debug("match not found");
  }
  return version;
}
function _getCacheDirectory() {
  const cacheDirectory = process.env["RUNNER_TOOL_CACHE"] || "";
  ok(cacheDirectory, "Expected RUNNER_TOOL_CACHE to be defined");
  return cacheDirectory;
}

// src/codex/install.ts
import { createHash } from "node:crypto";
import { createWriteStream as createWriteStream2, promises as fs3 } from "node:fs";
import os2 from "node:os";
import path3 from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";

// src/codex/untar.ts
import { createReadStream, promises as fs2 } from "node:fs";
import path2 from "node:path";
import { createGunzip } from "node:zlib";
var BLOCK = 512;
var CHUNK = 1 << 20;
var READ_AHEAD = 32 << 20;
var UnsafeArchiveError = class extends Error {
  name = "UnsafeArchiveError";
};
async function extractTgz(file, dest, { root, exclude = [] }) {
  const prefix = `${root.replace(/\/+$/, "")}/`;
  const excluded = exclude.map((entry) => entry.replace(/\/+$/, ""));
  const wanted = (name) => {
    const relative = name.startsWith(prefix) ? name.slice(prefix.length).replace(/\/+$/, "") : "";
    if (relative === "" || excluded.some((skip) => relative === skip || relative.startsWith(`${skip}/`)))
      return void 0;
    return safeJoin(dest, relative);
  };
  let state = { kind: "header" };
  let partial = Buffer.alloc(0);
  let longName;
  let written = 0;
  await fs2.mkdir(dest, { recursive: true });
  const inflate = createGunzip({
    chunkSize: CHUNK,
    readableHighWaterMark: READ_AHEAD
  });
  const input = createReadStream(file, { highWaterMark: CHUNK }).pipe(inflate);
  for await (const chunk of input) {
    let data = chunk;
    while (data.length > 0) {
      if (state.kind === "data") {
        const take = Math.min(state.remaining, data.length);
        if (state.handle && take > 0) await state.handle.write(data.subarray(0, take));
        state.remaining -= take;
        const skip = Math.min(state.padding, data.length - take);
        state.padding -= skip;
        data = data.subarray(take + skip);
        if (state.remaining === 0 && state.padding === 0) {
          if (state.handle) {
            await state.handle.close();
            written++;
          }
          state = { kind: "header" };
        }
        continue;
      }
      const need = state.kind === "header" ? BLOCK : padded(state.size);
      const available = Math.min(need - partial.length, data.length);
      partial = Buffer.concat([partial, data.subarray(0, available)]);
      data = data.subarray(available);
      if (partial.length < need) continue;
      const record = partial;
      partial = Buffer.alloc(0);
      if (state.kind === "name") {
        const body = record.subarray(0, state.size).toString("utf8");
        longName = state.type === "L" ? body.replace(/\0+$/, "") : /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body)?.[1] ?? longName;
        state = { kind: "header" };
        continue;
      }
      if (record.every((byte) => byte === 0)) continue;
      const size = octal(record, 124, 12);
      const type = String.fromCharCode(record[156]);
      if (type === "L" || type === "x") {
        state = { kind: "name", type, size };
        continue;
      }
      const target = wanted(longName ?? ustarName(record));
      longName = void 0;
      if (target && type === "5") await fs2.mkdir(target, { recursive: true });
      let handle;
      if (target && (type === "0" || type === "\0" || type === "7")) {
        await fs2.mkdir(path2.dirname(target), { recursive: true });
        handle = await fs2.open(target, "w", octal(record, 100, 8) & 73 ? 493 : 420);
      }
      state = { kind: "data", remaining: size, padding: padded(size) - size, handle };
      if (size === 0) {
        if (handle) {
          await handle.close();
          written++;
        }
        state = { kind: "header" };
      }
    }
  }
  if (state.kind !== "header")
    throw new UnsafeArchiveError("The archive ends in the middle of an entry.");
  return written;
}
function padded(size) {
  return Math.ceil(size / BLOCK) * BLOCK;
}
function ustarName(header) {
  const name = cString(header, 0, 100);
  const magic = cString(header, 257, 6);
  const prefix = magic.startsWith("ustar") ? cString(header, 345, 155) : "";
  return prefix ? `${prefix}/${name}` : name;
}
function cString(buffer, start, length) {
  const field = buffer.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString("utf8");
}
function octal(buffer, start, length) {
  const text = cString(buffer, start, length).trim();
  return text === "" ? 0 : parseInt(text, 8);
}
function safeJoin(dest, relative) {
  const target = path2.resolve(dest, relative);
  if (path2.isAbsolute(relative) || !target.startsWith(path2.resolve(dest) + path2.sep)) {
    throw new UnsafeArchiveError(`The archive has an entry outside its directory: ${relative}`);
  }
  return target;
}

// src/codex/install.ts
var RETRY_OR_CODEX_PATH = "Re-run the job; if it fails again, check 'registry-url' (a mirror, a proxy) or set 'codex-path' to a Codex binary.";
var CODEX_PACKAGE = "@openai/codex";
var TOOL_NAME = "codex";
var ATTEMPTS = 3;
async function installCodex(request) {
  const platform = codexPlatform(process.platform, process.arch);
  if (!platform) {
    throw new InstallError(
      `Codex publishes no package for this runner (${process.platform}-${process.arch}); packages exist for ${SUPPORTED_PLATFORMS.join(", ")}. Set 'codex-path' to a Codex binary instead.`
    );
  }
  const registry = new Registry(request.registryUrl, request.npmrc);
  const version = request.version === "latest" ? await registry.latestVersion() : request.version;
  const found = findInToolCache(version, platform);
  if (found) return found;
  const toolCache = process.env.RUNNER_TOOL_CACHE || path3.join(os2.tmpdir(), "tool-cache");
  await fs3.mkdir(toolCache, { recursive: true });
  const lock = path3.join(toolCache, `${TOOL_NAME}-${version}-${process.arch}`);
  return withFileLock(
    lock,
    async () => {
      const cachedMeanwhile = findInToolCache(version, platform);
      if (cachedMeanwhile) return cachedMeanwhile;
      const pkg = await registry.platformPackage(version, platform);
      return withScratchDir("codex-install", async (scratch) => {
        const timer = new PhaseTimer();
        const tarball = path3.join(scratch, "package.tgz");
        await registry.download(pkg, tarball, `${CODEX_PACKAGE}@${version}-${platform.npmPlatform}`);
        timer.lap("downloaded and verified");
        const staging = path3.join(toolCache, `.${TOOL_NAME}-${version}-${process.arch}.staging`);
        await fs3.rm(staging, { recursive: true, force: true });
        try {
          await extractVendorDir(tarball, staging, platform);
          await fs3.rm(tarball);
          timer.lap("unpacked");
          const toolDir = await moveIntoToolCache(staging, toolCache, version);
          timer.lap("cached");
          info(`Codex ${version}: ${timer.summary()}.`);
          return installed(toolDir, version, platform, false);
        } finally {
          await fs3.rm(staging, { recursive: true, force: true });
        }
      });
    },
    INSTALL_LOCK
  );
}
var INSTALL_LOCK = { staleMs: 10 * 6e4, timeoutMs: 11 * 6e4 };
async function moveIntoToolCache(staging, toolCache, version) {
  const toolDir = path3.join(toolCache, TOOL_NAME, version, process.arch);
  await fs3.rm(`${toolDir}.complete`, { force: true });
  await fs3.rm(toolDir, { recursive: true, force: true });
  await fs3.mkdir(path3.dirname(toolDir), { recursive: true });
  try {
    await fs3.rename(staging, toolDir);
  } catch {
    return cacheDir(staging, TOOL_NAME, version, process.arch);
  }
  await fs3.writeFile(`${toolDir}.complete`, "");
  return toolDir;
}
function findInToolCache(version, platform) {
  const toolDir = find(TOOL_NAME, version, process.arch);
  return toolDir ? installed(toolDir, version, platform, true) : void 0;
}
function installed(toolDir, version, platform, fromToolCache) {
  return { executable: path3.join(toolDir, "bin", platform.executable), version, fromToolCache };
}
async function extractVendorDir(tarball, dest, platform) {
  const root = `package/vendor/${platform.targetTriple}`;
  try {
    await extractTgz(tarball, dest, {
      root,
      exclude: ["codex-resources/voice", "bin/codex-code-mode-host"]
    });
  } catch (error) {
    throw new InstallError(
      `Could not unpack the Codex package: ${error.message}. ${RETRY_OR_CODEX_PATH}`
    );
  }
  const executable = path3.join(dest, "bin", platform.executable);
  const extracted = await fs3.stat(executable).then(
    (stat) => stat.isFile(),
    () => false
  );
  if (!extracted)
    throw new InstallError(
      `The Codex package has no ${root}/bin/${platform.executable}. Set 'codex-version' to another version, or 'codex-path' to a Codex binary.`
    );
}
var Registry = class {
  constructor(baseUrl, npmrc) {
    this.baseUrl = baseUrl;
    this.npmrc = npmrc;
  }
  baseUrl;
  npmrc;
  // The toolkit's client: it honours the runner's proxy settings (https_proxy, no_proxy), and drops
  // the authorization header when a redirect leaves the host.
  http = new HttpClient("codex-auth-action", [], {
    allowRetries: false,
    maxRedirects: 5
  });
  async latestVersion() {
    const manifest = await this.getJson(
      `${this.packageUrl()}/latest`,
      `the latest version of ${CODEX_PACKAGE}`
    );
    if (!manifest || typeof manifest.version !== "string") {
      throw new InstallError(
        `${this.baseUrl} has no 'latest' version of ${CODEX_PACKAGE}. Set 'codex-version' to an exact version, or 'registry-url' to a registry that has it.`
      );
    }
    return manifest.version;
  }
  async platformPackage(version, platform) {
    const url = `${this.packageUrl()}/${version}-${platform.npmPlatform}`;
    const manifest = await this.getJson(url, `${CODEX_PACKAGE}@${version}-${platform.npmPlatform}`);
    if (!manifest) {
      const base = await this.getJson(
        `${this.packageUrl()}/${version}`,
        `${CODEX_PACKAGE}@${version}`
      );
      throw new InstallError(
        base ? `${CODEX_PACKAGE}@${version} has no package for ${platform.npmPlatform} on ${this.baseUrl} (tried ${url}). Set 'codex-version' to a version that has one, or 'codex-path' to a Codex binary.` : `${CODEX_PACKAGE}@${version} is not published on ${this.baseUrl} (tried ${url}). Check 'codex-version'.`
      );
    }
    const dist = manifest.dist ?? {};
    const integrity = typeof dist.integrity === "string" ? dist.integrity : "";
    if (typeof dist.tarball !== "string" || !/(^|\s)sha512-/.test(integrity)) {
      throw new InstallError(
        `The registry's metadata for ${url} has no tarball with a sha512 integrity: refusing to install. Set 'registry-url' to a registry or mirror that publishes integrity, or 'codex-path' to a Codex binary.`
      );
    }
    return { tarball: dist.tarball, integrity };
  }
  /** Downloads the tarball into `file`, logging progress, and checks its sha512 integrity. Retries transient failures. */
  async download(pkg, file, label) {
    const expected = pkg.integrity.split(/\s+/).filter((entry) => entry.startsWith("sha512-")).map((entry) => entry.slice("sha512-".length));
    let problem = "";
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) {
        info(`Download failed (${problem}); retrying (attempt ${attempt} of ${ATTEMPTS}).`);
        await sleep(1e3 * (attempt - 1));
      }
      try {
        const digest = await this.fetchToFile(pkg.tarball, file, label);
        if (!expected.includes(digest)) {
          throw new InstallError(
            `The tarball from ${pkg.tarball} does not match its published integrity (sha512): refusing to unpack it. The registry or a proxy served different bytes. ` + RETRY_OR_CODEX_PATH
          );
        }
        return;
      } catch (error) {
        await fs3.rm(file, { force: true });
        if (error instanceof InstallError) throw error;
        problem = error.message;
      }
    }
    throw new InstallError(
      `Downloading ${pkg.tarball} failed after ${ATTEMPTS} attempts: ${problem}. ${RETRY_OR_CODEX_PATH}`
    );
  }
  /** Streams a URL into a file; returns the base64 sha512 of what arrived. */
  async fetchToFile(url, file, label) {
    const response = await this.http.get(url, this.headers(url));
    const status = response.message.statusCode ?? 0;
    if (status !== 200) {
      response.message.resume();
      throw this.httpError(status, url);
    }
    const total = Number(response.message.headers["content-length"]) || 0;
    const hash = createHash("sha512");
    const progress = new DownloadProgress(label, total);
    const measure = new Transform({
      transform(chunk, _encoding, done) {
        hash.update(chunk);
        progress.add(chunk.length);
        done(null, chunk);
      }
    });
    await pipeline(response.message, measure, createWriteStream2(file, { highWaterMark: 8 << 20 }));
    if (total > 0 && progress.received !== total) {
      throw new Error(`the connection ended after ${progress.received} of ${total} bytes`);
    }
    progress.done();
    return hash.digest("base64");
  }
  async getJson(url, what) {
    let problem = "";
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) await sleep(500 * (attempt - 1));
      try {
        const response = await this.http.get(url, {
          accept: "application/json",
          ...this.headers(url)
        });
        const status = response.message.statusCode ?? 0;
        const body = await response.readBody();
        if (status === 404) return void 0;
        if (status === 200) return JSON.parse(body);
        if (status < 500 && status !== 429) throw this.httpError(status, url);
        problem = `HTTP ${status}`;
      } catch (error) {
        if (error instanceof InstallError) throw error;
        problem = error.message;
      }
    }
    throw new InstallError(`Could not read ${what} from ${url}: ${problem}. ${RETRY_OR_CODEX_PATH}`);
  }
  httpError(status, url) {
    const { host } = new URL(url);
    if (status === 401 || status === 403) {
      return new InstallError(
        `The registry refused ${url} (HTTP ${status}). For a private registry or mirror, give it a token the usual npm way: '//${host}/:_authToken=\${NODE_AUTH_TOKEN}' in an .npmrc (actions/setup-node writes one with 'registry-url'), and NODE_AUTH_TOKEN in the step's environment.`
      );
    }
    return new InstallError(
      `The registry answered HTTP ${status} for ${url}. ${RETRY_OR_CODEX_PATH}`
    );
  }
  headers(url) {
    return authorizationHeader(credentialFor(url, this.npmrc));
  }
  packageUrl() {
    return `${this.baseUrl}${CODEX_PACKAGE.replace("/", "%2f")}`;
  }
};
var DownloadProgress = class {
  constructor(label, total) {
    this.label = label;
    this.total = total;
    info(`Downloading ${label}${total ? ` (${megabytes(total)})` : ""}...`);
  }
  label;
  total;
  received = 0;
  reported = 0;
  started = Date.now();
  add(bytes) {
    this.received += bytes;
    if (this.total === 0) return;
    const percent = Math.floor(this.received / this.total * 10) * 10;
    if (percent > this.reported && percent < 100) {
      this.reported = percent;
      info(`  ${percent}% (${megabytes(this.received)} of ${megabytes(this.total)})`);
    }
  }
  done() {
    const seconds = (Date.now() - this.started) / 1e3;
    info(
      `  100% (${megabytes(this.received)} in ${seconds.toFixed(1)} s); verifying its sha512 integrity.`
    );
  }
};
function megabytes(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
var PhaseTimer = class {
  last = Date.now();
  laps = [];
  lap(what) {
    const now = Date.now();
    this.laps.push(`${what} in ${((now - this.last) / 1e3).toFixed(1)} s`);
    this.last = now;
  }
  summary() {
    return this.laps.join(", ");
  }
};
export {
  installCodex
};
