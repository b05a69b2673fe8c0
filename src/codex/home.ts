/** CODEX_HOME on disk: its auth.json and config.toml. */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { Session } from '../auth/index.js'
import { ensurePrivateDir, readIfExists, writePrivateFileAtomic } from '../files.js'
import { withFileCredentialStore } from './config-toml.js'

export const authFilePath = (codexHome: string) => path.join(codexHome, 'auth.json')
export const configFilePath = (codexHome: string) => path.join(codexHome, 'config.toml')

/** The auth.json text, or undefined when there is none. Follows a symlink, as Codex does. */
export function readAuthFile(codexHome: string): Promise<string | undefined> {
  return readIfExists(authFilePath(codexHome))
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
