/**
 * npm packages of the Codex CLI for the loopback registry: small ones with the real layout for the
 * tests (the native binary is a wrapper that runs the pinned real Codex), and the real ones packed
 * from node_modules for the benchmark.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { codexBinary, REPO_ROOT, scratchDir } from '../harness/paths.js'
import type { FakeRegistry } from './registry.js'

export const PLATFORMS: Record<string, { os: string; cpu: string; triple: string }> = {
  'linux-x64': { os: 'linux', cpu: 'x64', triple: 'x86_64-unknown-linux-musl' },
  'linux-arm64': { os: 'linux', cpu: 'arm64', triple: 'aarch64-unknown-linux-musl' },
  'darwin-x64': { os: 'darwin', cpu: 'x64', triple: 'x86_64-apple-darwin' },
  'darwin-arm64': { os: 'darwin', cpu: 'arm64', triple: 'aarch64-apple-darwin' },
  'win32-x64': { os: 'win32', cpu: 'x64', triple: 'x86_64-pc-windows-msvc' },
  'win32-arm64': { os: 'win32', cpu: 'arm64', triple: 'aarch64-pc-windows-msvc' }
}

const pack = (dir: string): Buffer =>
  execFileSync('tar', ['-czf', '-', '-C', dir, 'package'], { maxBuffer: 1 << 30 })

/**
 * A platform package with the real layout, whose bin/codex runs the pinned real Codex. The voice
 * resources and the code-mode host are there too, so that a test can see the installer leave them out.
 */
export function smallPlatformTarball(version: string, platform: string): Buffer {
  const { os, cpu, triple } = PLATFORMS[platform]!
  const dir = scratchDir('codex-package')
  const vendor = path.join(dir, 'package', 'vendor', triple)
  for (const sub of ['bin', 'codex-path', 'codex-resources/voice'])
    mkdirSync(path.join(vendor, sub), { recursive: true })
  const manifest = {
    name: '@openai/codex',
    version: `${version}-${platform}`,
    os: [os],
    cpu: [cpu],
    files: ['vendor']
  }
  writeFileSync(path.join(dir, 'package', 'package.json'), JSON.stringify(manifest, null, 2))
  writeFileSync(path.join(vendor, 'bin', 'codex'), `#!/bin/sh\nexec '${codexBinary()}' "$@"\n`)
  chmodSync(path.join(vendor, 'bin', 'codex'), 0o755)
  writeFileSync(path.join(vendor, 'bin', 'codex-code-mode-host'), '#!/bin/sh\nexit 0\n', {
    mode: 0o755
  })
  writeFileSync(path.join(vendor, 'codex-path', 'rg'), '#!/bin/sh\nexit 0\n', { mode: 0o755 })
  writeFileSync(path.join(vendor, 'codex-resources', 'voice', 'manifest.json'), '{}')
  writeFileSync(
    path.join(vendor, 'codex-package.json'),
    JSON.stringify({ layoutVersion: 1, version, target: triple })
  )
  return pack(dir)
}

/** The launcher package @openai/codex@<version>, as published: bin/codex.js and optional platform packages. */
export function launcherManifest(
  version: string
): { name: string; version: string } & Record<string, unknown> {
  return {
    name: '@openai/codex',
    version,
    type: 'module',
    bin: { codex: 'bin/codex.js' },
    engines: { node: '>=16' },
    optionalDependencies: Object.fromEntries(
      Object.keys(PLATFORMS).map(platform => [
        `@openai/codex-${platform}`,
        `npm:@openai/codex@${version}-${platform}`
      ])
    )
  }
}

export function platformManifest(version: string, platform: string) {
  const { os, cpu } = PLATFORMS[platform]!
  return {
    name: '@openai/codex',
    version: `${version}-${platform}`,
    os: [os],
    cpu: [cpu],
    files: ['vendor']
  }
}

/** Publishes a small Codex: the launcher and, for each given platform, a small platform package. */
export function publishSmallCodex(
  registry: FakeRegistry,
  version: string,
  platforms = Object.keys(PLATFORMS)
): void {
  const launcher = scratchDir('codex-launcher')
  mkdirSync(path.join(launcher, 'package', 'bin'), { recursive: true })
  writeFileSync(
    path.join(launcher, 'package', 'package.json'),
    JSON.stringify(launcherManifest(version))
  )
  writeFileSync(path.join(launcher, 'package', 'bin', 'codex.js'), '#!/usr/bin/env node\n')
  registry.publish({ manifest: launcherManifest(version), tarball: pack(launcher) })
  for (const platform of platforms) {
    registry.publish({
      manifest: platformManifest(version, platform),
      tarball: smallPlatformTarball(version, platform)
    })
  }
}

/**
 * The real packages of the pinned version, packed from node_modules into .tmp/bench (kept between
 * runs: packing 400 MB takes a while). Returns the paths of the launcher and linux-x64 tarballs.
 */
export function packRealCodex(version: string): { launcher: string; platform: string } {
  const dir = path.join(REPO_ROOT, '.tmp', 'bench-packages', version)
  const launcher = path.join(dir, 'launcher.tgz')
  const platform = path.join(dir, 'linux-x64.tgz')
  const installed = path.join(REPO_ROOT, 'node_modules', '@openai')
  const installedVersion = JSON.parse(
    readFileSync(path.join(installed, 'codex', 'package.json'), 'utf8')
  ).version
  if (installedVersion !== version)
    throw new Error(`node_modules has @openai/codex ${installedVersion}, not ${version}`)
  for (const [target, source] of [
    [launcher, 'codex'],
    [platform, 'codex-linux-x64']
  ] as const) {
    if (existsSync(target)) continue
    const staging = scratchDir('pack')
    cpSync(path.join(installed, source), path.join(staging, 'package'), { recursive: true })
    mkdirSync(dir, { recursive: true })
    writeFileSync(target, pack(staging))
  }
  return { launcher, platform }
}
