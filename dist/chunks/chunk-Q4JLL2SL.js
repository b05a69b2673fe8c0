import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

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
  SUPPORTED_PLATFORMS,
  codexPlatform,
  isExactVersion,
  parseCodexVersion
};
