import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import {
  authorizationHeader,
  credentialFor,
  mergeNpmrcs,
  parseNpmrc
} from '../../src/codex/npmrc.js'
import { codexPlatform, isExactVersion, parseCodexVersion } from '../../src/codex/platform.js'
import { PINNED_CODEX_VERSION } from '../../src/names.js'

describe('codexPlatform', () => {
  test.each([
    ['linux', 'x64', 'linux-x64', 'x86_64-unknown-linux-musl', 'codex'],
    ['linux', 'arm64', 'linux-arm64', 'aarch64-unknown-linux-musl', 'codex'],
    ['darwin', 'arm64', 'darwin-arm64', 'aarch64-apple-darwin', 'codex'],
    ['darwin', 'x64', 'darwin-x64', 'x86_64-apple-darwin', 'codex'],
    ['win32', 'x64', 'win32-x64', 'x86_64-pc-windows-msvc', 'codex.exe']
  ])('%s %s', (platform, arch, npmPlatform, targetTriple, executable) => {
    expect(codexPlatform(platform, arch)).toEqual({ npmPlatform, targetTriple, executable })
  })
  test('no package: undefined', () => {
    expect(codexPlatform('linux', 'ia32')).toBeUndefined()
    expect(codexPlatform('freebsd', 'x64')).toBeUndefined()
  })
})

test('versions', () => {
  expect(['0.169.0', '1.2.3-alpha.1', '10.0.0'].every(isExactVersion)).toBe(true)
  expect(['latest', '1.x', '^1.2.3', '1.2', 'v1.2.3', ''].some(isExactVersion)).toBe(false)
  expect(parseCodexVersion('codex-cli 0.169.0\n')).toBe('0.169.0')
  expect(parseCodexVersion('codex-cli 0.170.0-alpha.2')).toBe('0.170.0-alpha.2')
  expect(parseCodexVersion('nothing here')).toBeUndefined()
})

test('the pinned version is the one in action.yml and the one the tests run', () => {
  const action = parse(readFileSync('action.yml', 'utf8')) as {
    inputs: Record<string, { default: string }>
  }
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
    devDependencies: Record<string, string>
  }
  expect(action.inputs['codex-version']!.default).toBe(PINNED_CODEX_VERSION)
  expect(pkg.devDependencies['@openai/codex']).toBe(PINNED_CODEX_VERSION)
})

describe('.npmrc credentials', () => {
  const env = { NODE_AUTH_TOKEN: 'tok-from-env' }

  test('parsing: comments, quotes, ${VAR}', () => {
    const settings = parseNpmrc(
      '# comment\n; also\nregistry=https://r.example/\n//r.example/:_authToken=${NODE_AUTH_TOKEN}\r\nempty=\nquoted="x y"\n',
      env
    )
    expect(settings.get('//r.example/:_authToken')).toBe('tok-from-env')
    expect(settings.get('quoted')).toBe('x y')
    expect(settings.has('# comment')).toBe(false)
  })

  test('the longest matching //host/path/ wins; other hosts get nothing', () => {
    const settings = parseNpmrc(
      [
        '//mirror.example/:_authToken=host-wide',
        '//mirror.example/npm/private/:_authToken=path-specific'
      ].join('\n'),
      env
    )
    expect(credentialFor('https://mirror.example/npm/private/@openai%2fcodex', settings)).toEqual({
      kind: 'bearer',
      token: 'path-specific'
    })
    expect(credentialFor('https://mirror.example/npm/public/x.tgz', settings)).toEqual({
      kind: 'bearer',
      token: 'host-wide'
    })
    expect(credentialFor('https://elsewhere.example/npm/private/x', settings)).toBeUndefined()
    // The port is part of the host.
    expect(credentialFor('https://mirror.example:8443/x', settings)).toBeUndefined()
  })

  test('the project .npmrc overrides the user one; _auth is basic', () => {
    const user = parseNpmrc('//r.example/:_authToken=user', env)
    const project = parseNpmrc(
      '//r.example/:_authToken=project\n//b.example/:_auth=dXNlcjpwYXNz',
      env
    )
    const merged = mergeNpmrcs([user, project])
    expect(credentialFor('https://r.example/p', merged)).toEqual({
      kind: 'bearer',
      token: 'project'
    })
    expect(authorizationHeader(credentialFor('https://b.example/p', merged))).toEqual({
      authorization: 'Basic dXNlcjpwYXNz'
    })
    expect(authorizationHeader(undefined)).toEqual({})
  })
})
