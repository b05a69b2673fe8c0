/**
 * Starts the loopback fakes (token endpoint, ChatGPT backend) and keeps them running until killed:
 * for trying the action by hand, and for the `uses: ./` smoke job on GitHub. Writes into <dir>:
 *   codex-home/  a CODEX_HOME with a config.toml pointing at the fakes and a stale auth.json
 *   env          variables for Codex (KEY=VALUE lines, ready for $GITHUB_ENV)
 *   ready        created last
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { prepareCodexHome, startWorld } from '../__tests__/e2e/harness/world.js'

const dir = path.resolve(process.argv[2] ?? '.tmp/fakes')
const world = await startWorld()
mkdirSync(dir, { recursive: true })
prepareCodexHome(
  path.join(dir, 'codex-home'),
  world.userConfig(),
  world.authority.signIn({ accessExpiresInSeconds: 60 })
)
const env = Object.entries(world.codexEnv).map(([key, value]) => `${key}=${value}\n`)
writeFileSync(path.join(dir, 'env'), env.join(''))
writeFileSync(path.join(dir, 'ready'), '')
console.log(
  `Fakes running. CODEX_HOME=${path.join(dir, 'codex-home')}; environment in ${path.join(dir, 'env')}.`
)
process.on('SIGTERM', () => void world.close().then(() => process.exit(0)))
