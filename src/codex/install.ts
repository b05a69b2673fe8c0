/**
 * Installing Codex from the npm registry into the tool cache: the platform package
 * `@openai/codex@<version>-<platform>` is resolved from the registry's metadata, its tarball is
 * downloaded once and checked against the published sha512 integrity before anything is unpacked,
 * only what `codex exec` needs from the runner's vendor/<target>/ directory is extracted, and the
 * result is moved into the tool cache where @actions/tool-cache finds it. A tool-cache hit
 * downloads nothing.
 */
import * as core from '@actions/core'
import { HttpClient } from '@actions/http-client'
import * as tc from '@actions/tool-cache'
import { createHash } from 'node:crypto'
import { createWriteStream, promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { withFileLock } from '../platform/files.js'
import { withScratchDir } from '../platform/runner.js'
import { InstallError } from './errors.js'
import { authorizationHeader, credentialFor } from './npmrc.js'
import { SUPPORTED_PLATFORMS, codexPlatform, type CodexPlatform } from './platform.js'
import { extractTgz } from './untar.js'

// The next step of most install failures: they are usually transient (a registry or proxy hiccup).
const RETRY_OR_CODEX_PATH =
  "Re-run the job; if it fails again, check 'registry-url' (a mirror, a proxy) or set 'codex-path' to a Codex binary."

const CODEX_PACKAGE = '@openai/codex'
const TOOL_NAME = 'codex'
const ATTEMPTS = 3

export interface InstallRequest {
  /** An exact version, or `latest`. */
  readonly version: string
  /** The registry's base URL, ending in a slash. */
  readonly registryUrl: string
  /** The merged .npmrc settings, for registry credentials. */
  readonly npmrc: Map<string, string>
}

export interface InstalledCodex {
  readonly executable: string
  /** The npm version that was installed or found. */
  readonly version: string
  readonly fromToolCache: boolean
}

interface PlatformPackage {
  readonly tarball: string
  readonly integrity: string
}

export async function installCodex(request: InstallRequest): Promise<InstalledCodex> {
  const platform = codexPlatform(process.platform, process.arch)
  if (!platform) {
    throw new InstallError(
      `Codex publishes no package for this runner (${process.platform}-${process.arch}); packages ` +
        `exist for ${SUPPORTED_PLATFORMS.join(', ')}. Set 'codex-path' to a Codex binary instead.`
    )
  }
  const registry = new Registry(request.registryUrl, request.npmrc)
  const version = request.version === 'latest' ? await registry.latestVersion() : request.version

  const found = findInToolCache(version, platform)
  if (found) return found
  const toolCache = process.env.RUNNER_TOOL_CACHE || path.join(os.tmpdir(), 'tool-cache')
  await fs.mkdir(toolCache, { recursive: true })
  // Two jobs on one machine: the second waits, then finds what the first cached. An install takes
  // far longer than a session write: the lock goes stale only after minutes (or when its holder is gone).
  const lock = path.join(toolCache, `${TOOL_NAME}-${version}-${process.arch}`)
  return withFileLock(
    lock,
    async () => {
      const cachedMeanwhile = findInToolCache(version, platform)
      if (cachedMeanwhile) return cachedMeanwhile
      const pkg = await registry.platformPackage(version, platform)
      return withScratchDir('codex-install', async scratch => {
        const timer = new PhaseTimer()
        const tarball = path.join(scratch, 'package.tgz')
        await registry.download(pkg, tarball, `${CODEX_PACKAGE}@${version}-${platform.npmPlatform}`)
        timer.lap('downloaded and verified')
        // Unpacked beside its place in the tool cache (same file system), then moved there whole.
        const staging = path.join(toolCache, `.${TOOL_NAME}-${version}-${process.arch}.staging`)
        await fs.rm(staging, { recursive: true, force: true }) // left by an install that died: under the lock, nobody else's
        try {
          await extractVendorDir(tarball, staging, platform)
          // Deleted before the move: its pages then never need writing to disk.
          await fs.rm(tarball)
          timer.lap('unpacked')
          const toolDir = await moveIntoToolCache(staging, toolCache, version)
          timer.lap('cached')
          core.info(`Codex ${version}: ${timer.summary()}.`)
          return installed(toolDir, version, platform, false)
        } finally {
          await fs.rm(staging, { recursive: true, force: true })
        }
      })
    },
    INSTALL_LOCK
  )
}

const INSTALL_LOCK = { staleMs: 10 * 60_000, timeoutMs: 11 * 60_000 }

/**
 * Puts an unpacked Codex where tc.find looks (`<tool cache>/codex/<version>/<arch>`, then the
 * `.complete` marker), by a rename rather than tc.cacheDir's copy of ~290 MB. Where the rename is
 * refused (a virus scanner holding a file open on Windows), tc.cacheDir copies as before.
 */
async function moveIntoToolCache(
  staging: string,
  toolCache: string,
  version: string
): Promise<string> {
  const toolDir = path.join(toolCache, TOOL_NAME, version, process.arch)
  await fs.rm(`${toolDir}.complete`, { force: true })
  await fs.rm(toolDir, { recursive: true, force: true })
  await fs.mkdir(path.dirname(toolDir), { recursive: true })
  try {
    await fs.rename(staging, toolDir)
  } catch {
    return tc.cacheDir(staging, TOOL_NAME, version, process.arch)
  }
  await fs.writeFile(`${toolDir}.complete`, '')
  return toolDir
}

function findInToolCache(version: string, platform: CodexPlatform): InstalledCodex | undefined {
  const toolDir = tc.find(TOOL_NAME, version, process.arch)
  return toolDir ? installed(toolDir, version, platform, true) : undefined
}

function installed(
  toolDir: string,
  version: string,
  platform: CodexPlatform,
  fromToolCache: boolean
): InstalledCodex {
  return { executable: path.join(toolDir, 'bin', platform.executable), version, fromToolCache }
}

/**
 * Extracts package/vendor/<target>/ into `dest`: what `codex exec` needs. Left out: the voice
 * resources (interactive sessions only) and the experimental code-mode host (off unless
 * `features.code_mode_host` is set; use codex-path for a full install). The tarball's integrity
 * was checked before this runs.
 */
async function extractVendorDir(
  tarball: string,
  dest: string,
  platform: CodexPlatform
): Promise<void> {
  const root = `package/vendor/${platform.targetTriple}`
  try {
    await extractTgz(tarball, dest, {
      root,
      exclude: ['codex-resources/voice', 'bin/codex-code-mode-host']
    })
  } catch (error) {
    throw new InstallError(
      `Could not unpack the Codex package: ${(error as Error).message}. ${RETRY_OR_CODEX_PATH}`
    )
  }
  const executable = path.join(dest, 'bin', platform.executable)
  const extracted = await fs.stat(executable).then(
    stat => stat.isFile(),
    () => false
  )
  if (!extracted)
    throw new InstallError(
      `The Codex package has no ${root}/bin/${platform.executable}. Set 'codex-version' to another ` +
        "version, or 'codex-path' to a Codex binary."
    )
}

/** The npm registry, as far as installing one package needs it. */
class Registry {
  // The toolkit's client: it honours the runner's proxy settings (https_proxy, no_proxy), and drops
  // the authorization header when a redirect leaves the host.
  private readonly http = new HttpClient('codex-auth-action', [], {
    allowRetries: false,
    maxRedirects: 5
  })

  constructor(
    private readonly baseUrl: string,
    private readonly npmrc: Map<string, string>
  ) {}

  async latestVersion(): Promise<string> {
    const manifest = await this.getJson(
      `${this.packageUrl()}/latest`,
      `the latest version of ${CODEX_PACKAGE}`
    )
    if (!manifest || typeof manifest.version !== 'string') {
      throw new InstallError(
        `${this.baseUrl} has no 'latest' version of ${CODEX_PACKAGE}. Set 'codex-version' to an exact ` +
          "version, or 'registry-url' to a registry that has it."
      )
    }
    return manifest.version
  }

  async platformPackage(version: string, platform: CodexPlatform): Promise<PlatformPackage> {
    const url = `${this.packageUrl()}/${version}-${platform.npmPlatform}`
    const manifest = await this.getJson(url, `${CODEX_PACKAGE}@${version}-${platform.npmPlatform}`)
    if (!manifest) {
      // Tell an unknown version from a version without a package for this platform.
      const base = await this.getJson(
        `${this.packageUrl()}/${version}`,
        `${CODEX_PACKAGE}@${version}`
      )
      throw new InstallError(
        base
          ? `${CODEX_PACKAGE}@${version} has no package for ${platform.npmPlatform} on ${this.baseUrl} (tried ${url}). ` +
              "Set 'codex-version' to a version that has one, or 'codex-path' to a Codex binary."
          : `${CODEX_PACKAGE}@${version} is not published on ${this.baseUrl} (tried ${url}). Check 'codex-version'.`
      )
    }
    const dist = (manifest.dist ?? {}) as { tarball?: unknown; integrity?: unknown }
    const integrity = typeof dist.integrity === 'string' ? dist.integrity : ''
    if (typeof dist.tarball !== 'string' || !/(^|\s)sha512-/.test(integrity)) {
      throw new InstallError(
        `The registry's metadata for ${url} has no tarball with a sha512 integrity: refusing to install. ` +
          "Set 'registry-url' to a registry or mirror that publishes integrity, or 'codex-path' to a Codex binary."
      )
    }
    return { tarball: dist.tarball, integrity }
  }

  /** Downloads the tarball into `file`, logging progress, and checks its sha512 integrity. Retries transient failures. */
  async download(pkg: PlatformPackage, file: string, label: string): Promise<void> {
    const expected = pkg.integrity
      .split(/\s+/)
      .filter(entry => entry.startsWith('sha512-'))
      .map(entry => entry.slice('sha512-'.length))
    let problem = ''
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) {
        core.info(`Download failed (${problem}); retrying (attempt ${attempt} of ${ATTEMPTS}).`)
        await sleep(1000 * (attempt - 1))
      }
      try {
        const digest = await this.fetchToFile(pkg.tarball, file, label)
        if (!expected.includes(digest)) {
          throw new InstallError(
            `The tarball from ${pkg.tarball} does not match its published integrity (sha512): ` +
              'refusing to unpack it. The registry or a proxy served different bytes. ' +
              RETRY_OR_CODEX_PATH
          )
        }
        return
      } catch (error) {
        await fs.rm(file, { force: true })
        if (error instanceof InstallError) throw error
        problem = (error as Error).message
      }
    }
    throw new InstallError(
      `Downloading ${pkg.tarball} failed after ${ATTEMPTS} attempts: ${problem}. ${RETRY_OR_CODEX_PATH}`
    )
  }

  /** Streams a URL into a file; returns the base64 sha512 of what arrived. */
  private async fetchToFile(url: string, file: string, label: string): Promise<string> {
    const response = await this.http.get(url, this.headers(url))
    const status = response.message.statusCode ?? 0
    if (status !== 200) {
      response.message.resume()
      throw this.httpError(status, url)
    }
    const total = Number(response.message.headers['content-length']) || 0
    const hash = createHash('sha512')
    const progress = new DownloadProgress(label, total)
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk)
        progress.add(chunk.length)
        done(null, chunk)
      }
    })
    // A large write buffer keeps the socket flowing while the disk catches up.
    await pipeline(response.message, measure, createWriteStream(file, { highWaterMark: 8 << 20 }))
    if (total > 0 && progress.received !== total) {
      throw new Error(`the connection ended after ${progress.received} of ${total} bytes`)
    }
    progress.done()
    return hash.digest('base64')
  }

  private async getJson(url: string, what: string): Promise<Record<string, unknown> | undefined> {
    let problem = ''
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) await sleep(500 * (attempt - 1))
      try {
        const response = await this.http.get(url, {
          accept: 'application/json',
          ...this.headers(url)
        })
        const status = response.message.statusCode ?? 0
        const body = await response.readBody()
        if (status === 404) return undefined
        if (status === 200) return JSON.parse(body) as Record<string, unknown>
        if (status < 500 && status !== 429) throw this.httpError(status, url)
        problem = `HTTP ${status}`
      } catch (error) {
        if (error instanceof InstallError) throw error
        problem = (error as Error).message
      }
    }
    throw new InstallError(`Could not read ${what} from ${url}: ${problem}. ${RETRY_OR_CODEX_PATH}`)
  }

  private httpError(status: number, url: string): InstallError {
    const { host } = new URL(url)
    if (status === 401 || status === 403) {
      return new InstallError(
        `The registry refused ${url} (HTTP ${status}). For a private registry or mirror, give it a token ` +
          `the usual npm way: '//${host}/:_authToken=\${NODE_AUTH_TOKEN}' in an .npmrc (actions/setup-node ` +
          "writes one with 'registry-url'), and NODE_AUTH_TOKEN in the step's environment."
      )
    }
    return new InstallError(
      `The registry answered HTTP ${status} for ${url}. ${RETRY_OR_CODEX_PATH}`
    )
  }

  private headers(url: string): Record<string, string> {
    return authorizationHeader(credentialFor(url, this.npmrc))
  }

  private packageUrl(): string {
    return `${this.baseUrl}${CODEX_PACKAGE.replace('/', '%2f')}`
  }
}

/** Logs size and percent every 10%, so a 170 MB download shows it is moving. */
class DownloadProgress {
  received = 0
  private reported = 0
  private readonly started = Date.now()

  constructor(
    private readonly label: string,
    private readonly total: number
  ) {
    core.info(`Downloading ${label}${total ? ` (${megabytes(total)})` : ''}...`)
  }

  add(bytes: number): void {
    this.received += bytes
    if (this.total === 0) return
    const percent = Math.floor((this.received / this.total) * 10) * 10
    if (percent > this.reported && percent < 100) {
      this.reported = percent
      core.info(`  ${percent}% (${megabytes(this.received)} of ${megabytes(this.total)})`)
    }
  }

  done(): void {
    const seconds = (Date.now() - this.started) / 1000
    core.info(
      `  100% (${megabytes(this.received)} in ${seconds.toFixed(1)} s); verifying its sha512 integrity.`
    )
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

class PhaseTimer {
  private last = Date.now()
  private readonly laps: string[] = []

  lap(what: string): void {
    const now = Date.now()
    this.laps.push(`${what} in ${((now - this.last) / 1000).toFixed(1)} s`)
    this.last = now
  }

  summary(): string {
    return this.laps.join(', ')
  }
}
