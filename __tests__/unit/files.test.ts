/** src/platform/files.ts against the real file system, in scratch directories under .tmp/. */
import { promises as fs, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  describeFsError,
  directoryUsability,
  ensurePrivateDir,
  freeBytes,
  LockTimeoutError,
  UnsafePathError,
  withFileLock,
  writePrivateFileAtomic
} from '../../src/platform/files.js'
import { scratchDir } from '../e2e/harness/paths.js'

let dir: string
beforeEach(() => {
  dir = scratchDir('unit-files')
})
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

const modeOf = async (file: string) => (await fs.stat(file)).mode & 0o7777
const makeDir = async (name: string, mode: number) => {
  const made = path.join(dir, name)
  await fs.mkdir(made)
  await fs.chmod(made, mode)
  return made
}

async function rejection(work: Promise<unknown>): Promise<Error> {
  const error = await work.then(
    () => {
      throw new Error('expected a rejection')
    },
    (error: unknown) => error
  )
  // Not toBeInstanceOf(Error): errors thrown by Node itself come from another realm under jest.
  expect(typeof (error as Error)?.message).toBe('string')
  return error as Error
}

describe('ensurePrivateDir', () => {
  test('creates a missing directory, parents included, with mode 0700', async () => {
    const leaf = path.join(dir, 'a', 'b', 'c')
    await ensurePrivateDir(leaf)
    expect(await modeOf(leaf)).toBe(0o700)
    expect(await modeOf(path.join(dir, 'a'))).toBe(0o700)
  })

  test('never wider than 0700, whatever the umask', async () => {
    const previous = process.umask(0)
    try {
      await ensurePrivateDir(path.join(dir, 'wide'))
    } finally {
      process.umask(previous)
    }
    expect(await modeOf(path.join(dir, 'wide'))).toBe(0o700)
  })

  test('accepts an existing 0755 directory and leaves its mode', async () => {
    const existing = await makeDir('public-read', 0o755)
    await ensurePrivateDir(existing)
    expect(await modeOf(existing)).toBe(0o755)
  })

  test.each([
    ['777', 0o777, /can be written by other users \(mode 777\)/],
    ['770', 0o770, /can be written by other users \(mode 770\)/],
    ['702', 0o702, /can be written by other users \(mode 702\)/],
    ['1777', 0o1777, /shared directory \(sticky bit set/],
    ['1700', 0o1700, /shared directory \(sticky bit set/]
  ])('refuses an existing directory of mode %s, without changing it', async (_, mode, message) => {
    const shared = await makeDir('shared', mode)
    const error = await rejection(ensurePrivateDir(shared))
    expect(error).toBeInstanceOf(UnsafePathError)
    expect(error.message).toMatch(message)
    expect(error.message).toMatch(
      /Use a private directory of the runner.s user \(if it is yours: chmod 700 /
    )
    expect(await modeOf(shared)).toBe(mode)
  })

  test('refuses a file', async () => {
    const file = path.join(dir, 'file')
    await fs.writeFile(file, 'x')
    const error = await rejection(ensurePrivateDir(file))
    expect(error).toBeInstanceOf(UnsafePathError)
    expect(error.message).toBe(`${file} exists but is not a directory.`)
  })
})

describe('writePrivateFileAtomic', () => {
  test('writes a regular file with mode 0600, creating a private directory', async () => {
    const file = path.join(dir, 'home', 'auth.json')
    await writePrivateFileAtomic(file, 'one')
    expect(await fs.readFile(file, 'utf8')).toBe('one')
    expect(await modeOf(file)).toBe(0o600)
    expect(await modeOf(path.dirname(file))).toBe(0o700)
  })

  test('replaces atomically: a new file, and a reader of the old one still sees it whole', async () => {
    const file = path.join(dir, 'auth.json')
    await fs.writeFile(file, 'old contents', { mode: 0o644 })
    const before = await fs.stat(file)
    const reader = await fs.open(file, 'r')
    try {
      await writePrivateFileAtomic(file, 'new contents')
      const after = await fs.stat(file)
      expect(after.ino).not.toBe(before.ino)
      expect(after.mode & 0o777).toBe(0o600)
      expect(await fs.readFile(file, 'utf8')).toBe('new contents')
      expect((await reader.readFile()).toString()).toBe('old contents')
    } finally {
      await reader.close()
    }
    expect(await fs.readdir(dir)).toEqual(['auth.json'])
  })

  test('a mode can be given (config.toml keeps its own)', async () => {
    const file = path.join(dir, 'config.toml')
    await writePrivateFileAtomic(file, 'x = 1\n', 0o640)
    expect(await modeOf(file)).toBe(0o640)
  })

  test('refuses a symbolic link at the path, leaving link and target alone', async () => {
    const target = path.join(dir, 'target.json')
    const link = path.join(dir, 'auth.json')
    await fs.writeFile(target, 'target')
    await fs.symlink(target, link)
    const error = await rejection(writePrivateFileAtomic(link, 'new'))
    expect(error).toBeInstanceOf(UnsafePathError)
    expect(error.message).toContain(`${link} is a symbolic link`)
    expect(await fs.readlink(link)).toBe(target)
    expect(await fs.readFile(target, 'utf8')).toBe('target')
    expect((await fs.readdir(dir)).sort()).toEqual(['auth.json', 'target.json'])
  })

  test('refuses a dangling symbolic link (it would create the target)', async () => {
    const link = path.join(dir, 'auth.json')
    await fs.symlink(path.join(dir, 'nowhere.json'), link)
    expect(await rejection(writePrivateFileAtomic(link, 'new'))).toBeInstanceOf(UnsafePathError)
    expect(await fs.readdir(dir)).toEqual(['auth.json'])
  })

  test('refuses a directory at the path', async () => {
    const file = path.join(dir, 'auth.json')
    await fs.mkdir(file)
    const error = await rejection(writePrivateFileAtomic(file, 'new'))
    expect(error).toBeInstanceOf(UnsafePathError)
    expect(error.message).toContain(`${file} is not a regular file`)
    expect(await fs.readdir(dir)).toEqual(['auth.json'])
  })

  test('refuses to write into a directory others can write to', async () => {
    const shared = await makeDir('shared', 0o777)
    expect(
      await rejection(writePrivateFileAtomic(path.join(shared, 'auth.json'), 'x'))
    ).toBeInstanceOf(UnsafePathError)
    expect(await fs.readdir(shared)).toEqual([])
  })

  test('leaves no temporary file behind when writing fails midway', async () => {
    const file = path.join(dir, 'auth.json')
    await fs.writeFile(file, 'old', { mode: 0o600 })
    // Not a string: the write into the temporary file throws after it was created.
    const error = await rejection(writePrivateFileAtomic(file, Symbol('x') as unknown as string))
    expect(error).not.toBeInstanceOf(UnsafePathError)
    expect(await fs.readdir(dir)).toEqual(['auth.json'])
    expect(await fs.readFile(file, 'utf8')).toBe('old')
  })
})

describe('withFileLock', () => {
  const deadPid = () => {
    // A pid above pid_max cannot belong to a live process.
    try {
      return Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8')) + 1
    } catch {
      return 4_194_305
    }
  }

  test('two concurrent holders never overlap, and the lock is gone afterwards', async () => {
    const file = path.join(dir, 'auth.json')
    let active = 0
    let overlapped = false
    const order: string[] = []
    const holder = (name: string) =>
      withFileLock(file, async () => {
        active++
        if (active > 1) overlapped = true
        order.push(`${name} in`)
        expect(await fs.readFile(`${file}.lock`, 'utf8')).toBe(`${os.hostname()} ${process.pid}`)
        await sleep(60)
        order.push(`${name} out`)
        active--
        return name
      })
    expect(await Promise.all([holder('a'), holder('b')])).toEqual(['a', 'b'])
    expect(overlapped).toBe(false)
    // One holder entirely before the other.
    expect([
      ['a in', 'a out', 'b in', 'b out'],
      ['b in', 'b out', 'a in', 'a out']
    ]).toContainEqual(order)
    await expect(fs.access(`${file}.lock`)).rejects.toThrow()
  })

  test('the lock is released when the work fails', async () => {
    const file = path.join(dir, 'auth.json')
    await expect(
      withFileLock(file, async () => {
        throw new Error('work failed')
      })
    ).rejects.toThrow('work failed')
    await expect(fs.access(`${file}.lock`)).rejects.toThrow()
  })

  test('a lock whose holder on this host is dead is taken over at once', async () => {
    const file = path.join(dir, 'auth.json')
    await fs.writeFile(`${file}.lock`, `${os.hostname()} ${deadPid()}`)
    const started = Date.now()
    expect(
      await withFileLock(file, async () => 'ran', { timeoutMs: 60_000, staleMs: 60_000 })
    ).toBe('ran')
    expect(Date.now() - started).toBeLessThan(1_000)
  })

  test('a lock older than staleMs is taken over, whoever holds it', async () => {
    const file = path.join(dir, 'auth.json')
    await fs.writeFile(`${file}.lock`, 'another-host 4242')
    const old = new Date(Date.now() - 61_000)
    await fs.utimes(`${file}.lock`, old, old)
    const started = Date.now()
    expect(
      await withFileLock(file, async () => 'ran', { timeoutMs: 60_000, staleMs: 60_000 })
    ).toBe('ran')
    expect(Date.now() - started).toBeLessThan(1_000)
  })

  test('a live, fresh lock: LockTimeoutError, and the lock is left to its holder', async () => {
    const file = path.join(dir, 'auth.json')
    const lock = `${file}.lock`
    const holder = `${os.hostname()} ${process.pid}`
    await fs.writeFile(lock, holder)
    // The holder keeps working: its lock never gets older than staleMs.
    const keepFresh = setInterval(() => {
      const now = new Date()
      fs.utimes(lock, now, now).catch(() => undefined)
    }, 20)
    let ran = false
    const started = Date.now()
    try {
      const error = await rejection(
        withFileLock(
          file,
          async () => {
            ran = true
          },
          { timeoutMs: 50, staleMs: 200 }
        )
      )
      expect(error).toBeInstanceOf(LockTimeoutError)
      expect(error.message).toContain(`timed out waiting for the lock ${lock}`)
    } finally {
      clearInterval(keepFresh)
    }
    expect(ran).toBe(false)
    // The wait outlasts staleMs (x1.5), so a crashed holder's lock would have been taken over.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    expect(await fs.readFile(lock, 'utf8')).toBe(holder)
  }, 15_000)
})

describe('directoryUsability', () => {
  test('an existing private directory, or one that can be created: usable', async () => {
    expect(await directoryUsability(dir)).toBeUndefined()
    expect(await directoryUsability(path.join(dir, 'new', 'deeper'))).toBeUndefined()
  })

  test('creates nothing', async () => {
    await directoryUsability(path.join(dir, 'new', 'deeper'))
    expect(await fs.readdir(dir)).toEqual([])
  })

  test('a file, or a file on the way', async () => {
    const file = path.join(dir, 'file')
    await fs.writeFile(file, 'x')
    expect(await directoryUsability(file)).toBe(`${file} is not a directory`)
    expect(await directoryUsability(path.join(file, 'sub', 'dir'))).toBe(
      `${file} is not a directory`
    )
  })

  test('a directory others can write to, or a sticky one', async () => {
    const open = await makeDir('open', 0o777)
    expect(await directoryUsability(open)).toBe(`${open} can be written by other users (mode 777)`)
    const sticky = await makeDir('sticky', 0o1777)
    expect(await directoryUsability(sticky)).toMatch(/is a shared directory \(sticky bit set/)
    expect(await modeOf(open)).toBe(0o777)
  })
})

describe('describeFsError', () => {
  const fsError = (code: string, message: string, file?: string) =>
    Object.assign(new Error(message), { code, ...(file === undefined ? {} : { path: file }) })

  test('a full disk names the path', () => {
    expect(
      describeFsError(fsError('ENOSPC', 'ENOSPC: no space left on device, write', '/srv/a'))
    ).toBe('the disk is full (ENOSPC) on /srv/a')
    expect(describeFsError(fsError('ENOSPC', 'ENOSPC: no space left on device'))).toBe(
      'the disk is full (ENOSPC)'
    )
  })

  test.each([
    ['EDQUOT', 'the disk quota is exhausted'],
    ['EACCES', 'permission denied'],
    ['EPERM', 'operation not permitted'],
    ['EROFS', 'the file system is read-only'],
    ['ENOTDIR', 'a part of the path is not a directory'],
    ['EISDIR', 'it is a directory'],
    ['ENOENT', 'no such file or directory'],
    ['ELOOP', 'it is a symbolic link']
  ])('%s in words', (code, words) => {
    expect(describeFsError(fsError(code, `${code}: whatever`, '/x'))).toBe(
      `${words} (${code}) on /x`
    )
  })

  test("another code: Node's words, without the code prefix and the quoted path", () => {
    expect(
      describeFsError(fsError('EBUSY', "EBUSY: resource busy or locked, rmdir '/srv/x'", '/srv/x'))
    ).toBe('resource busy or locked (EBUSY) on /srv/x')
  })

  test('a real error from the file system', async () => {
    const missing = path.join(dir, 'missing')
    const error = await fs.readFile(missing).catch((error: unknown) => error)
    expect(describeFsError(error)).toBe(`no such file or directory (ENOENT) on ${missing}`)
  })

  test('not an fs error: its message, or the value', () => {
    expect(describeFsError(new Error('socket hang up'))).toBe('socket hang up')
    expect(describeFsError('boom')).toBe('boom')
  })
})

describe('freeBytes', () => {
  test('of an existing directory: what statfs says', async () => {
    const stats = await fs.statfs(dir)
    const free = await freeBytes(dir)
    expect(typeof free).toBe('number')
    // Other processes write meanwhile: within 256 MiB.
    expect(Math.abs(free! - stats.bavail * stats.bsize)).toBeLessThan(256 * 1024 * 1024)
  })

  test('of a directory not created yet: its nearest existing parent', async () => {
    const free = await freeBytes(path.join(dir, 'not', 'yet'))
    expect(free).toBeGreaterThan(0)
    expect(await fs.readdir(dir)).toEqual([])
  })
})
