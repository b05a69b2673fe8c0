/** CODEX_HOME on disk: its auth.json and config.toml. */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { AuthFileError, parseAuthJson, type Session } from '../auth/index.js'
import { ensurePrivateDir, readIfExists, writePrivateFileAtomic } from '../files.js'
import { maskSession } from '../masking.js'
import { withFileCredentialStore } from './config-toml.js'

export const authFilePath = (codexHome: string) => path.join(codexHome, 'auth.json')
const configFilePath = (codexHome: string) => path.join(codexHome, 'config.toml')

/** The auth.json text, or undefined when there is none. Follows a symlink, as Codex does. */
function readAuthFile(codexHome: string): Promise<string | undefined> {
  return readIfExists(authFilePath(codexHome))
}

export type SessionOnDisk =
  { kind: 'session'; session: Session } | { kind: 'missing' } | { kind: 'corrupt'; problem: string }

/**
 * The session Codex left in CODEX_HOME, its tokens masked. An unreadable file is read again a few
 * times first (`retries`), in case a writer that is not atomic is in the middle of writing it.
 */
export async function readSession(
  codexHome: string,
  { retries = 0, delayMs = 200 } = {}
): Promise<SessionOnDisk> {
  let problem = ''
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(delayMs)
    const text = await readAuthFile(codexHome)
    if (text === undefined) return { kind: 'missing' }
    try {
      const session = parseAuthJson(text)
      maskSession(session)
      return { kind: 'session', session }
    } catch (error) {
      if (!(error instanceof AuthFileError)) throw error
      problem = error.message
    }
  }
  return { kind: 'corrupt', problem }
}

export async function writeAuthFile(codexHome: string, session: Session): Promise<void> {
  await writePrivateFileAtomic(authFilePath(codexHome), session.text)
}

/** Makes config.toml keep credentials in auth.json; the rest of the user's config is untouched. */
export async function ensureFileCredentialStore(codexHome: string): Promise<void> {
  await ensurePrivateDir(codexHome)
  const file = configFilePath(codexHome)
  const current = (await readIfExists(file)) ?? ''
  const wanted = withFileCredentialStore(current)
  if (wanted === current) return
  const mode = await fs.stat(file).then(
    stat => stat.mode & 0o777,
    () => 0o600
  )
  const temp = `${file}.${process.pid}.tmp`
  await fs.writeFile(temp, wanted, { mode })
  await fs.rename(temp, file)
}
