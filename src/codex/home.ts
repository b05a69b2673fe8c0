/** CODEX_HOME on disk: its auth.json and config.toml. */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { AuthFileError, parseStoredItem, type Session } from '../auth/index.js'
import type { StoredItem } from '../names.js'
import { ActionError } from '../errors.js'
import {
  ensurePrivateDir,
  pathKind,
  readIfExists,
  writePrivateFileAtomic
} from '../platform/files.js'
import { maskSession } from '../platform/secrets.js'
import { withFileCredentialStore } from './config-toml.js'

export const authFilePath = (codexHome: string) => path.join(codexHome, 'auth.json')
const configFilePath = (codexHome: string) => path.join(codexHome, 'config.toml')

export type SessionOnDisk =
  { kind: 'session'; session: Session } | { kind: 'missing' } | { kind: 'corrupt'; problem: string }

/**
 * The session Codex left in CODEX_HOME, its tokens masked. An unreadable file is read again a few
 * times first (`retries`), in case a writer that is not atomic is in the middle of writing it.
 * Follows a symbolic link, as Codex does (bootstrap refuses one before Codex runs).
 */
export async function readSession(
  codexHome: string,
  {
    retries = 0,
    delayMs = 200,
    item = 'session'
  }: { retries?: number; delayMs?: number; item?: StoredItem } = {}
): Promise<SessionOnDisk> {
  let problem = ''
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(delayMs)
    const text = await readIfExists(authFilePath(codexHome))
    if (text === undefined) return { kind: 'missing' }
    try {
      const session = parseStoredItem(item, text)
      maskSession(session)
      return { kind: 'session', session }
    } catch (error) {
      if (!(error instanceof AuthFileError)) throw error
      problem = error.message
    }
  }
  return { kind: 'corrupt', problem }
}

/** Why auth.json in CODEX_HOME must not be used or replaced, or undefined when it is a plain file. */
export async function unsafeAuthFile(codexHome: string): Promise<string | undefined> {
  const file = authFilePath(codexHome)
  const kind = await pathKind(file).catch(() => 'other' as const)
  if (kind === 'symlink')
    return (
      `${file} is a symbolic link: Codex would write the refreshed tokens through it into its ` +
      'target, which may be readable by others. Replace it with a regular file (or remove it)'
    )
  if (kind === 'other') return `${file} is not a regular file. Remove it`
  return undefined
}

export async function writeAuthFile(codexHome: string, session: Session): Promise<void> {
  await writePrivateFileAtomic(authFilePath(codexHome), session.text)
}

export class ConfigFileError extends ActionError {}

/**
 * Why config.toml cannot be made to keep credentials in auth.json: it is a symbolic link (dotfiles)
 * without the setting. Undefined when it can. Reads only, so inputs can be checked before anything runs.
 */
export async function linkedConfigProblem(codexHome: string): Promise<string | undefined> {
  const file = configFilePath(codexHome)
  if ((await pathKind(file).catch(() => 'missing' as const)) !== 'symlink') return undefined
  const current = (await readIfExists(file).catch(() => undefined)) ?? ''
  if (withFileCredentialStore(current) === current) return undefined
  // A dotfiles link: writing through it edits someone's repository, replacing it loses the link.
  return (
    `${file} is a symbolic link and does not set cli_auth_credentials_store = "file". Add that ` +
    'line at the top of the file it points to (the action does not edit linked files), so that ' +
    'Codex keeps the session in auth.json'
  )
}

/** Makes config.toml keep credentials in auth.json; the rest of the user's config is untouched. */
export async function ensureFileCredentialStore(codexHome: string): Promise<void> {
  await ensurePrivateDir(codexHome)
  const file = configFilePath(codexHome)
  const current = (await readIfExists(file)) ?? ''
  const wanted = withFileCredentialStore(current)
  if (wanted === current) return
  const linked = await linkedConfigProblem(codexHome)
  if (linked) throw new ConfigFileError(`${linked}.`)
  const mode = await fs.stat(file).then(
    stat => stat.mode & 0o777,
    () => 0o600
  )
  await writePrivateFileAtomic(file, wanted, mode)
}

/** The top-level `sandbox_mode` of config.toml (what a later `codex exec` uses), if set. */
export async function configuredSandbox(codexHome: string): Promise<string | undefined> {
  const text = (await readIfExists(configFilePath(codexHome)).catch(() => undefined)) ?? ''
  const topLevel = text.split(/\r?\n\s*\[/)[0]!
  return /^\s*sandbox_mode\s*=\s*["']([^"']*)["']/m.exec(topLevel)?.[1]
}
