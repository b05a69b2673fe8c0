/**
 * Installing Codex from a loopback npm registry into the tool cache, as the bundled action does it,
 * then running it (the package's native binary runs the pinned real Codex).
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { publishSmallCodex } from './fakes/codex-package.js'
import { startRegistry, type FakeRegistry } from './fakes/registry.js'
import { scratchDir } from './harness/paths.js'
import type { Job, JobOptions } from './harness/runner.js'
import { codexHomeOf, errorsOf, useScenario } from './harness/scenario.js'

const scenario = useScenario()
const VERSION = '0.169.0'
let registry: FakeRegistry

beforeAll(async () => {
  registry = await startRegistry()
  publishSmallCodex(registry, VERSION)
  // A version whose platform packages were never published.
  registry.publish({
    manifest: { name: '@openai/codex', version: '0.168.0' },
    tarball: Buffer.from('x')
  })
  registry.distTags['@openai/codex'] = { latest: VERSION }
})
afterAll(() => registry.close())
afterEach(() => {
  registry.corrupt.clear()
  registry.truncate.clear()
  registry.requiredToken = undefined
})

/** A job whose tool cache is `toolCache` (shared between jobs: one machine), installing from the fake. */
function installJob(toolCache = scratchDir('tool-cache'), options: JobOptions = {}): Job {
  return scenario.freshJob({
    ...options,
    runner: { RUNNER_TOOL_CACHE: toolCache, ...options.runner }
  })
}

function installInputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'auth-json': JSON.stringify(scenario.world.authority.signIn()),
    storage: 'none',
    'registry-url': registry.url,
    ...extra
  }
}

const toolDir = (toolCache: string) => path.join(toolCache, 'codex', VERSION, process.arch)

test('installs from the registry, runs it, and the next job on the machine hits the tool cache', async () => {
  const toolCache = scratchDir('tool-cache')
  const first = installJob(toolCache)
  const main = await first.runAction(installInputs())
  expect(main.exitCode).toBe(0)
  expect(main.outputs).toMatchObject({
    'codex-version': VERSION,
    'final-message': 'OK',
    'codex-exit-code': '0'
  })
  expect(registry.tarballRequests().map(request => request.path)).toEqual([
    `/npm/@openai/codex/-/codex-${VERSION}-linux-x64.tgz`
  ])
  expect(main.stdout).toMatch(/Downloading @openai\/codex@0.169.0-linux-x64 \(0.0 MB\)/)
  expect(main.stdout).toMatch(/100% \(.* MB in .* s\); verifying its sha512 integrity/)
  expect(main.stdout).toMatch(/Codex 0.169.0 installed into the tool cache/)

  // The tool cache holds the runner's vendor directory, without the voice resources and the code-mode host.
  const installed = toolDir(toolCache)
  expect(existsSync(`${installed}.complete`)).toBe(true)
  // Moved there whole from beside it: no staging directory is left in the tool cache.
  expect(readdirSync(toolCache).filter(name => name.includes('staging'))).toEqual([])
  expect(readdirSync(installed).sort()).toEqual([
    'bin',
    'codex-package.json',
    'codex-path',
    'codex-resources'
  ])
  expect(readdirSync(path.join(installed, 'bin'))).toEqual(['codex'])
  expect(readdirSync(path.join(installed, 'codex-path'))).toEqual(['rg'])
  expect(readdirSync(path.join(installed, 'codex-resources'))).toEqual([])
  // ... on PATH for later steps.
  const later = await first.runCommand('codex', ['--version'])
  expect(later.stdout.trim()).toBe(`codex-cli ${VERSION}`)
  await first.finish()

  const requestsBefore = registry.requests.length
  const second = installJob(toolCache)
  const again = await second.runAction(installInputs({ mode: 'setup' }))
  expect(again.exitCode).toBe(0)
  expect(again.outputs['codex-version']).toBe(VERSION)
  expect(again.stdout).toMatch(/Codex 0.169.0 found in the tool cache \(\d+ ms\)/)
  expect(registry.requests.length).toBe(requestsBefore) // not even the metadata
  await second.finish()
})

test("codex-version: latest resolves the registry's dist-tag", async () => {
  const main = await installJob().runAction(
    installInputs({ 'codex-version': 'latest', mode: 'setup' })
  )
  expect(main.exitCode).toBe(0)
  expect(main.outputs['codex-version']).toBe(VERSION)
  expect(registry.requests.map(request => request.path)).toContain('/npm/@openai/codex/latest')
})

describe('refusals: a clear error naming what was tried, nothing cached, nothing written', () => {
  async function expectRefusal(
    inputs: Record<string, string>,
    expected: RegExp,
    toolCache = scratchDir('tool-cache')
  ) {
    const job = installJob(toolCache)
    const main = await job.runAction(installInputs(inputs))
    expect(main.exitCode).toBe(1)
    expect(errorsOf(main)).toEqual([expect.stringMatching(expected)])
    expect(errorsOf(main)[0]).not.toMatch(/^Unexpected error/) // written for the user, not a crash
    expect(existsSync(path.join(toolCache, 'codex'))).toBe(false)
    expect(existsSync(path.join(codexHomeOf(job), 'auth.json'))).toBe(false)
    const [post] = await job.finish()
    expect(post!.exitCode).toBe(0)
    return main
  }

  test('a corrupted tarball', async () => {
    registry.corrupt.add(`codex-${VERSION}-linux-x64.tgz`)
    await expectRefusal(
      {},
      /The tarball from http:\/\/127\.0\.0\.1:\d+\/npm\/@openai\/codex\/-\/codex-0\.169\.0-linux-x64\.tgz does not match its published integrity \(sha512\): refusing to unpack it/
    )
  })

  test('a download cut short: retried, then refused; the partial file is never cached', async () => {
    registry.truncate.add(`codex-${VERSION}-linux-x64.tgz`)
    const main = await expectRefusal(
      {},
      /Downloading http:.*codex-0\.169\.0-linux-x64\.tgz failed after 3 attempts/
    )
    expect(main.stdout.match(/retrying \(attempt \d of 3\)/g)).toHaveLength(2)
  })

  test('a version that does not exist', async () => {
    await expectRefusal(
      { 'codex-version': '9.9.9' },
      /@openai\/codex@9\.9\.9 is not published on http:\/\/127\.0\.0\.1:\d+\/npm\/ \(tried http:.*\/npm\/@openai%2fcodex\/9\.9\.9-linux-x64\)/
    )
  })

  test('a version without a package for this platform', async () => {
    await expectRefusal(
      { 'codex-version': '0.168.0' },
      /@openai\/codex@0\.168\.0 has no package for linux-x64/
    )
  })

  test('a private registry without a token', async () => {
    registry.requiredToken = 'npm_private_registry_token_123'
    await expectRefusal({}, /refused .* \(HTTP 401\)[\s\S]*_authToken=\$\{NODE_AUTH_TOKEN\}/)
  })

  test.each([
    [{ 'codex-version': '1.x' }, /Input 'codex-version' must be 'latest' or an exact version/],
    [{ 'registry-url': 'ftp://mirror.example' }, /Input 'registry-url' must be an http\(s\) URL/]
  ])('a bad input %j', async (inputs, expected) => {
    await expectRefusal(inputs, expected)
  })
})

test('a private registry with a token the usual npm way (.npmrc and NODE_AUTH_TOKEN)', async () => {
  const token = 'npm_private_registry_token_456'
  registry.requiredToken = token
  const job = installJob(scratchDir('tool-cache'), { env: { NODE_AUTH_TOKEN: token } })
  const { host } = new URL(registry.url)
  writeFileSync(
    path.join(job.workspace, '.npmrc'),
    `//${host}/npm/:_authToken=\${NODE_AUTH_TOKEN}\n`
  )
  const main = await job.runAction(installInputs({ mode: 'setup' }))
  expect(main.exitCode).toBe(0)
  expect(registry.tarballRequests().at(-1)!.authorization).toBe(`Bearer ${token}`)
  expect(main.masks).toContain(token)
  expect(main.visibleText).not.toContain(token)
  await job.finish()
})

test('codex-path wins: nothing is installed', async () => {
  const requestsBefore = registry.requests.length
  const main = await installJob().runAction(
    installInputs({ 'codex-path': scenario.world.codexPath, mode: 'setup' })
  )
  expect(main.exitCode).toBe(0)
  expect(main.outputs['codex-version']).toBe(VERSION)
  expect(registry.requests.length).toBe(requestsBefore)
})
