/**
 * Which npm package holds Codex for this runner: `@openai/codex@<version>-<platform>`, whose native
 * binary sits at `package/vendor/<target triple>/bin/codex`. Pure.
 */

export interface CodexPlatform {
  /** The suffix of the platform package's version, e.g. linux-x64. */
  readonly npmPlatform: string
  /** The Rust target triple of the vendor/ directory inside it. */
  readonly targetTriple: string
  readonly executable: string
}

const PLATFORMS: Record<string, Omit<CodexPlatform, 'executable'>> = {
  'linux-x64': { npmPlatform: 'linux-x64', targetTriple: 'x86_64-unknown-linux-musl' },
  'linux-arm64': { npmPlatform: 'linux-arm64', targetTriple: 'aarch64-unknown-linux-musl' },
  'darwin-x64': { npmPlatform: 'darwin-x64', targetTriple: 'x86_64-apple-darwin' },
  'darwin-arm64': { npmPlatform: 'darwin-arm64', targetTriple: 'aarch64-apple-darwin' },
  'win32-x64': { npmPlatform: 'win32-x64', targetTriple: 'x86_64-pc-windows-msvc' },
  'win32-arm64': { npmPlatform: 'win32-arm64', targetTriple: 'aarch64-pc-windows-msvc' }
}

export const SUPPORTED_PLATFORMS = Object.keys(PLATFORMS)

/** The package for a Node platform and architecture (process.platform, process.arch). */
export function codexPlatform(platform: string, arch: string): CodexPlatform | undefined {
  const known = PLATFORMS[`${platform}-${arch}`]
  return known && { ...known, executable: platform === 'win32' ? 'codex.exe' : 'codex' }
}

// npm versions as the registry publishes them: 0.169.0, 0.170.0-alpha.1.
const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/

export function isExactVersion(version: string): boolean {
  return EXACT_VERSION.test(version)
}

/** The version in `codex --version` output ("codex-cli 0.169.0"). */
export function parseCodexVersion(output: string): string | undefined {
  return /(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(output)?.[1]
}
