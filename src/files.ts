/**
 * Writing credentials to disk safely: private directories (0700), regular files with mode 0600,
 * replaced atomically (temp file + rename) so a reader never sees half a file, and never through a
 * symbolic link.
 */
import { ActionError } from './errors.js'
import { randomBytes } from 'node:crypto'
import { constants as fsConstants, promises as fs } from 'node:fs'
import path from 'node:path'

export class UnsafePathError extends ActionError {}

/** Creates the directory (and parents) if needed, and makes the directory itself private. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 })
  const stat = await fs.stat(dir)
  if (!stat.isDirectory()) throw new UnsafePathError(`${dir} exists but is not a directory.`)
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) await fs.chmod(dir, 0o700)
}

/** What is at `file`: nothing, a regular file, a symbolic link, or something else. */
async function pathKind(file: string): Promise<'missing' | 'file' | 'symlink' | 'other'> {
  try {
    const stat = await fs.lstat(file)
    if (stat.isSymbolicLink()) return 'symlink'
    return stat.isFile() ? 'file' : 'other'
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing'
    throw error
  }
}

/** Reads a file, or undefined when it does not exist. */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/**
 * Replaces `file` with `text` atomically, as a regular 0600 file in a private directory. Refuses to
 * replace a symbolic link or anything that is not a regular file.
 */
export async function writePrivateFileAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file)
  await ensurePrivateDir(dir)
  const kind = await pathKind(file)
  if (kind === 'symlink' || kind === 'other') {
    throw new UnsafePathError(
      `${file} is ${kind === 'symlink' ? 'a symbolic link' : 'not a regular file'}; the action ` +
        'writes credentials only to regular files. Replace it with a regular file, or choose another path.'
    )
  }
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  // O_EXCL|O_NOFOLLOW: never open something an attacker placed at the temp name.
  const flags =
    fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | (fsConstants.O_NOFOLLOW ?? 0)
  const handle = await fs.open(temp, flags, 0o600)
  try {
    await handle.chmod(0o600) // the umask cannot widen it, but may have narrowed it oddly
    await handle.writeFile(text, 'utf8')
    await handle.sync()
  } catch (error) {
    await handle.close()
    await fs.rm(temp, { force: true })
    throw error
  }
  await handle.close()
  try {
    await fs.rename(temp, file)
  } catch (error) {
    await fs.rm(temp, { force: true })
    throw error
  }
}

/**
 * Runs `work` while holding an exclusive lock file next to `file`, so that two jobs on one machine
 * cannot interleave a read-compare-write. A lock older than `staleMs` is taken over (a crashed job).
 */
export async function withFileLock<T>(
  file: string,
  work: () => Promise<T>,
  { timeoutMs = 30_000, staleMs = 60_000 } = {}
): Promise<T> {
  const lock = `${file}.lock`
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const handle = await fs.open(lock, 'wx', 0o600)
      await handle.close()
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const age = await fs.stat(lock).then(
        stat => Date.now() - stat.mtimeMs,
        () => 0
      )
      if (age > staleMs) {
        await fs.rm(lock, { force: true })
        continue
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Timed out waiting for the lock ${lock}; remove it if no other job is running.`,
          {
            cause: error
          }
        )
      }
      await new Promise(resolve => setTimeout(resolve, 50 + Math.random() * 100))
    }
  }
  try {
    return await work()
  } finally {
    await fs.rm(lock, { force: true })
  }
}
