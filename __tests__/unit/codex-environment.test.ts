import { codexEnvironment } from '../../src/codex/environment.js'

const job: NodeJS.ProcessEnv = {
  PATH: '/usr/bin',
  HOME: '/home/runner',
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  CI: 'true',
  GITHUB_REPOSITORY: 'acme/widgets',
  GITHUB_TOKEN: 'ghs_job',
  GITHUB_ENV: '/runner/env',
  GITHUB_STATE: '/runner/state',
  GITHUB_OUTPUT: '/runner/output',
  GITHUB_PATH: '/runner/path',
  GITHUB_STEP_SUMMARY: '/runner/summary',
  GITHUB_APP_PRIVATE_KEY: 'k',
  RUNNER_TEMP: '/runner/tmp',
  https_proxy: 'http://proxy:3128',
  NO_PROXY: 'localhost',
  SSL_CERT_FILE: '/etc/ssl/cert.pem',
  JAVA_HOME_17_X64: '/opt/java17',
  Python3_ROOT_DIR: '/opt/python',
  pythonLocation: '/opt/python',
  CODEX_CA_CERTIFICATE: '/ca.pem',
  CODEX_GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_x',
  CODEX_API_KEY: 'sk-x',
  CODEX_ACCESS_TOKEN: 'at',
  OPENAI_API_KEY: 'sk-y',
  'INPUT_AUTH-JSON': '{}',
  ACTIONS_RUNTIME_TOKEN: 'rt',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x',
  NODE_AUTH_TOKEN: 'npm',
  AWS_SECRET_ACCESS_KEY: 'aws',
  GH_TOKEN: 'gh',
  RUST_LOG: 'warn'
}

test('only the allowlist reaches Codex, with CODEX_HOME set', () => {
  expect(Object.keys(codexEnvironment(job, '/home/runner/.codex').env).sort()).toEqual(
    [
      'CI',
      'CODEX_CA_CERTIFICATE',
      'CODEX_HOME',
      'GITHUB_REPOSITORY',
      'HOME',
      'JAVA_HOME_17_X64',
      'LANG',
      'LC_ALL',
      'NO_PROXY',
      'PATH',
      'Python3_ROOT_DIR',
      'RUNNER_TEMP',
      'RUST_LOG',
      'SSL_CERT_FILE',
      'https_proxy',
      'pythonLocation'
    ].sort()
  )
})

test('pass-through names are added; the bypass variables are reported', () => {
  const { env, removedBypass } = codexEnvironment(job, '/h', ['GH_TOKEN', 'UNSET_ONE'])
  expect(env.GH_TOKEN).toBe('gh')
  expect('UNSET_ONE' in env).toBe(false)
  expect(removedBypass.sort()).toEqual(['CODEX_ACCESS_TOKEN', 'CODEX_API_KEY', 'OPENAI_API_KEY'])
})
