/**
 * Writing credentials to disk safely: private directories (0700), regular files with mode 0600,
 * replaced atomically (temp file + rename) so a reader never sees half a file, and never through a
 * symbolic link. A directory the action did not create keeps its mode: one that others can write
 * to (like /tmp) is refused instead of changed.
 */
import { ActionError } from '../errors.js'
import { randomBytes } from 'node:crypto'
import { constants as fsConstants, promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

export class UnsafePathError extends ActionError {}

/** An fs error in plain words, with the path: "permission denied (EACCES) on /srv/x/auth.json". */
export function describeFsError(error: unknown): string {
  const err = error as NodeJS.ErrnoException
  const words: Record<string, string> = {
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is exhausted',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOTDIR: 'a part of the path is not a directory',
    EISDIR: 'it is a directory',
    ENOENT: 'no such file or directory',
    ELOOP: 'it is a symbolic link'
  }
  if (!err?.code) return err?.message ?? String(error)
  const what = words[err.code] ?? err.message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '')
  return `${what} (${err.code})${err.path ? ` on ${err.path}` : ''}`
}

/** Why `dir` must not hold credentials, or undefined when it may. `stat` follows symlinks. */
function sharedDirectoryProblem(dir: string, mode: number): string | undefined {
  if (process.platform === 'win32') return undefined
  if ((mode & 0o1000) !== 0)
    return `${dir} is a shared directory (sticky bit set, like /tmp): others can place files in it`
  if ((mode & 0o022) !== 0)
    return `${dir} can be written by other users (mode ${(mode & 0o777).toString(8)})`
  return undefined
}

/**
 * Creates the directory (parents included) with mode 0700 when it is missing. An existing one is
 * used as it is, unless others can write to it: then it is refused (never chmod-ed), since they
 * could replace the credentials in it.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  const existing = await fs.stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (existing === undefined) {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 })
    // The umask may have narrowed it; never wider than 0700.
    await fs.chmod(dir, 0o700)
    return
  }
  if (!existing.isDirectory()) throw new UnsafePathError(`${dir} exists but is not a directory.`)
  const problem = sharedDirectoryProblem(dir, existing.mode)
  if (problem) {
    throw new UnsafePathError(
      `${problem}, so it cannot hold a credential. Use a private directory of the runner's user ` +
        `(if it is yours: chmod 700 ${dir}), or a path that does not exist yet (it is then created ` +
        'with mode 0700).'
    )
  }
}

/**
 * Where a directory would be created: the nearest existing ancestor must be a writable directory.
 * Returns a problem in words, or undefined. Creates nothing.
 */
export async function directoryUsability(dir: string): Promise<string | undefined> {
  let probe = dir
  for (;;) {
    const stat = await fs.stat(probe).catch(() => undefined)
    if (stat) {
      if (!stat.isDirectory())
        // Stryker disable next-line ConditionalExpression: equivalent, when probe is dir both messages are the same text
        return probe === dir ? `${dir} is not a directory` : `${probe} is not a directory`
      const writable = await fs.access(probe, fsConstants.W_OK | fsConstants.X_OK).then(
        () => true,
        // Stryker disable next-line ArrowFunction: equivalent, undefined is as falsy as false where writable is tested
        () => false
      )
      if (!writable)
        return `${probe} cannot be written by this runner's user (${os.userInfo().username})`
      if (probe === dir) return sharedDirectoryProblem(dir, stat.mode)
      return undefined
    }
    const parent = path.dirname(probe)
    if (parent === probe) return `no part of ${dir} exists`
    probe = parent
  }
}

/** What is at `file`: nothing, a regular file, a symbolic link, or something else. */
export async function pathKind(file: string): Promise<'missing' | 'file' | 'symlink' | 'other'> {
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
 * Replaces `file` with `text` atomically, as a regular file (mode 0600 unless given) in a private
 * directory. Refuses to replace a symbolic link or anything that is not a regular file.
 */
export async function writePrivateFileAtomic(
  file: string,
  text: string,
  mode = 0o600
): Promise<void> {
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
    // Stryker disable next-line LogicalOperator: equivalent, O_CREAT with O_EXCL already fails on any existing path, a symbolic link included
    fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | (fsConstants.O_NOFOLLOW ?? 0)
  const handle = await fs.open(temp, flags, mode)
  try {
    await handle.chmod(mode) // the umask cannot widen it, but may have narrowed it oddly
    // Stryker disable next-line StringLiteral: equivalent, an empty encoding name writes the text as utf8
    await handle.writeFile(text, 'utf8')
    await handle.sync()
    await handle.close()
    await fs.rename(temp, file)
  } catch (error) {
    await handle.close().catch(() => undefined)
    await fs.rm(temp, { force: true })
    throw withPath(error, file)
  }
}

/** Writes a regular file (mode 0644 when new), never through a symbolic link placed at its path. */
export async function writeFileNoFollow(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true })
  const flags =
    fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC | (fsConstants.O_NOFOLLOW ?? 0)
  const handle = await fs.open(file, flags, 0o644)
  try {
    // Stryker disable next-line StringLiteral: equivalent, an empty encoding name writes the text as utf8
    await handle.writeFile(text, 'utf8')
  } finally {
    await handle.close()
  }
}

export class LockTimeoutError extends ActionError {}

export interface LockOptions {
  readonly timeoutMs?: number
  /** A lock older than this is taken over: its holder crashed (a job holds it for milliseconds). */
  readonly staleMs?: number
}

/**
 * Runs `work` while holding an exclusive lock file next to `file`, so that two jobs on one machine
 * cannot interleave a read-compare-write. The lock names its holder (host and pid): on the same
 * host, a lock whose process is gone is taken over at once and a live one is waited for; a lock
 * from another host (a shared volume) is taken over after `staleMs`. The wait outlasts `staleMs`,
 * so a crashed job's lock never makes the next one give up.
 */
export async function withFileLock<T>(
  file: string,
  work: () => Promise<T>,
  { timeoutMs = 90_000, staleMs = 60_000 }: LockOptions = {}
): Promise<T> {
  const lock = `${file}.lock`
  const deadline = Date.now() + Math.max(timeoutMs, staleMs * 1.5)
  const holder = `${os.hostname()} ${process.pid}`
  for (;;) {
    let handle: fs.FileHandle | undefined
    try {
      handle = await fs.open(lock, 'wx', 0o600)
      await handle.writeFile(holder)
      await handle.close()
      break
    } catch (error) {
      if (handle !== undefined) {
        // Made but not written (a full disk): a lock that names no holder would hold up the next job.
        await handle.close().catch(() => undefined)
        await fs.rm(lock, { force: true })
        throw withPath(error, lock)
      }
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      if (await isStaleLock(lock, staleMs)) {
        await fs.rm(lock, { force: true })
        continue
      }
      if (Date.now() > deadline) {
        throw new LockTimeoutError(
          `timed out waiting for the lock ${lock}, held by another job; remove it if no other job is running`
        )
      }
      await sleep(50 + Math.random() * 100)
    }
  }
  try {
    return await work()
  } finally {
    // Only our own lock: if it was taken over meanwhile, the new holder's stays.
    const current = await fs.readFile(lock, 'utf8').catch(() => undefined)
    if (current === holder) await fs.rm(lock, { force: true })
  }
}

/** Calls on a file handle fail without the path: add it, so that the message names the file. */
function withPath(error: unknown, file: string): unknown {
  const err = error as NodeJS.ErrnoException
  if (typeof err?.code === 'string' && err.path === undefined) err.path = file
  return error
}

async function isStaleLock(lock: string, staleMs: number): Promise<boolean> {
  const [stat, content] = await Promise.all([
    fs.stat(lock).catch(() => undefined),
    // Stryker disable next-line StringLiteral: equivalent, any text without this host's name is judged by the lock's age, as an empty one is
    fs.readFile(lock, 'utf8').catch(() => '')
  ])
  if (stat === undefined) return false // released meanwhile: try again
  const [host, pid] = content.split(' ')
  // A holder on this machine is asked directly: alive, it keeps the lock however long it takes.
  if (host === os.hostname() && pid !== undefined && /^\d+$/.test(pid)) return !isAlive(Number(pid))
  return Date.now() - stat.mtimeMs > staleMs
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Free bytes on the file system that holds `dir` (or its nearest existing ancestor). */
export async function freeBytes(dir: string): Promise<number | undefined> {
  let probe = dir
  for (;;) {
    const stats = await fs.statfs(probe).catch(() => undefined)
    if (stats) return stats.bavail * stats.bsize
    const parent = path.dirname(probe)
    if (parent === probe) return undefined
    probe = parent
  }
}
