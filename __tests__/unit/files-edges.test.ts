/**
 * src/platform/files.ts where the file system misbehaves: errors other than "missing", a lock
 * taken over or released at the wrong moment, a holder that may not be signalled, a platform
 * without modes. Real files in scratch directories; a failure the runner's user (often root)
 * cannot cause for real is injected with a spy on node:fs, once.
 */
import { jest } from '@jest/globals'
import { existsSync, promises as fs, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  describeFsError,
  directoryUsability,
  ensurePrivateDir,
  freeBytes,
  LockTimeoutError,
  pathKind,
  readIfExists,
  withFileLock,
  writeFileNoFollow,
  writePrivateFileAtomic
} from '../../src/platform/files.js'
import { scratchDir } from '../e2e/harness/paths.js'

let dir: string
beforeEach(() => {
  dir = scratchDir('unit-files-edges')
})
afterEach(async () => {
  jest.restoreAllMocks()
  await fs.rm(dir, { recursive: true, force: true })
})

const fsError = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { code, ...extra })

async function rejection(work: Promise<unknown>): Promise<NodeJS.ErrnoException> {
  const error = await work.then(
    () => {
      throw new Error('expected a rejection')
    },
    (error: unknown) => error
  )
  expect(typeof (error as Error)?.message).toBe('string')
  return error as NodeJS.ErrnoException
}

const makeDir = async (name: string, mode: number) => {
  const made = path.join(dir, name)
  await fs.mkdir(made)
  await fs.chmod(made, mode)
  return made
}

/** Runs `work` as if on Windows, where a directory's mode says nothing about who may write. */
async function onWindows<T>(work: () => Promise<T>): Promise<T> {
  const original = Object.getOwnPropertyDescriptor(process, 'platform')!
  Object.defineProperty(process, 'platform', { ...original, value: 'win32' })
  try {
    return await work()
  } finally {
    Object.defineProperty(process, 'platform', original)
  }
}

describe('errors other than "missing" are passed on, never taken for "missing"', () => {
  test('ensurePrivateDir: a directory it cannot inspect is not created', async () => {
    const target = path.join(dir, 'home')
    jest.spyOn(fs, 'stat').mockRejectedValueOnce(fsError('EIO', 'EIO: i/o error, stat'))
    expect((await rejection(ensurePrivateDir(target))).code).toBe('EIO')
    expect(await fs.readdir(dir)).toEqual([])
  })

  test('pathKind: each kind, and an error that is not ENOENT', async () => {
    const file = path.join(dir, 'file')
    await fs.writeFile(file, 'x')
    await fs.symlink(file, path.join(dir, 'link'))
    expect(await pathKind(path.join(dir, 'missing'))).toBe('missing')
    expect(await pathKind(file)).toBe('file')
    expect(await pathKind(path.join(dir, 'link'))).toBe('symlink')
    expect(await pathKind(dir)).toBe('other')
    expect((await rejection(pathKind(path.join(file, 'below')))).code).toBe('ENOTDIR')
  })

  test('readIfExists: missing is undefined; a directory or a file on the way is an error', async () => {
    const file = path.join(dir, 'file')
    await fs.writeFile(file, 'text')
    expect(await readIfExists(file)).toBe('text')
    expect(await readIfExists(path.join(dir, 'missing'))).toBeUndefined()
    expect((await rejection(readIfExists(dir))).code).toBe('EISDIR')
    expect((await rejection(readIfExists(path.join(file, 'below')))).code).toBe('ENOTDIR')
  })
})

describe('ensurePrivateDir: the refusal of a shared directory, in full', () => {
  test('what is wrong, and both ways out', async () => {
    const open = await makeDir('open', 0o777)
    expect((await rejection(ensurePrivateDir(open))).message).toBe(
      `${open} can be written by other users (mode 777), so it cannot hold a credential. Use a ` +
        "private directory of the runner's user (if it is yours: chmod 700 " +
        `${open}), or a path that does not exist yet (it is then created with mode 0700).`
    )
  })
})

describe('modes on Windows', () => {
  test('a directory that looks writable by others is not refused there', async () => {
    const open = await makeDir('open', 0o777)
    await onWindows(async () => {
      await ensurePrivateDir(open)
      expect(await directoryUsability(open)).toBeUndefined()
    })
    // ...and still is here.
    expect(await directoryUsability(open)).toMatch(/can be written by other users/)
  })
})

describe('directoryUsability', () => {
  test('a directory to be created under a shared one (like /tmp) is usable: it will be 0700', async () => {
    const shared = await makeDir('shared', 0o1777)
    expect(await directoryUsability(path.join(shared, 'codex-home'))).toBeUndefined()
  })

  test("an ancestor the runner's user cannot write to: named, with the user", async () => {
    jest.spyOn(fs, 'access').mockRejectedValueOnce(fsError('EACCES', 'EACCES: permission denied'))
    expect(await directoryUsability(path.join(dir, 'new'))).toBe(
      `${dir} cannot be written by this runner's user (${os.userInfo().username})`
    )
  })

  test('nothing of the path exists, not even the root', async () => {
    jest.spyOn(fs, 'stat').mockRejectedValue(fsError('ENOENT', 'ENOENT: no such file'))
    expect(await directoryUsability('/srv/a/b')).toBe('no part of /srv/a/b exists')
  })
})

describe('describeFsError: the corners', () => {
  test('no error at all', () => {
    expect(describeFsError(undefined)).toBe('undefined')
    expect(describeFsError(null)).toBe('null')
  })

  test("only a leading 'CODE: ' and a trailing \", syscall 'path'\" are cut from Node's words", () => {
    expect(describeFsError(fsError('EXYZ', 'lookup failed: host gone'))).toBe(
      'lookup failed: host gone (EXYZ)'
    )
    expect(describeFsError(fsError('EXYZ', "EXYZ: it broke, open 'a' in the middle"))).toBe(
      "it broke, open 'a' in the middle (EXYZ)"
    )
  })
})

describe('writePrivateFileAtomic: a failed write reports its own error, with the path', () => {
  test('an error without a path gets the path; the old file stays; no temp file is left', async () => {
    const file = path.join(dir, 'auth.json')
    await fs.writeFile(file, 'old', { mode: 0o600 })
    jest
      .spyOn(fs, 'rename')
      .mockRejectedValueOnce(fsError('EXDEV', 'EXDEV: cross-device link not permitted'))
    const error = await rejection(writePrivateFileAtomic(file, 'new'))
    expect(error.code).toBe('EXDEV')
    expect(error.path).toBe(file)
    expect(await fs.readFile(file, 'utf8')).toBe('old')
    expect(await fs.readdir(dir)).toEqual(['auth.json'])
  })

  test('an error that names a path keeps it', async () => {
    const file = path.join(dir, 'auth.json')
    jest
      .spyOn(fs, 'rename')
      .mockRejectedValueOnce(fsError('EACCES', 'EACCES: permission denied', { path: '/elsewhere' }))
    expect((await rejection(writePrivateFileAtomic(file, 'new'))).path).toBe('/elsewhere')
  })

  test('an error without a code (not from the file system) gets no path', async () => {
    jest.spyOn(fs, 'rename').mockRejectedValueOnce(new Error('boom'))
    const error = await rejection(writePrivateFileAtomic(path.join(dir, 'auth.json'), 'new'))
    expect(error.message).toBe('boom')
    expect(error.path).toBeUndefined()
  })

  test('a rejection without an error value is passed on as it is', async () => {
    jest.spyOn(fs, 'rename').mockRejectedValueOnce(undefined)
    const outcome = await writePrivateFileAtomic(path.join(dir, 'auth.json'), 'new').then(
      () => 'resolved',
      (error: unknown) => error
    )
    expect(outcome).toBeUndefined()
  })

  test('a temp file already gone when cleaning up does not hide the error', async () => {
    const file = path.join(dir, 'auth.json')
    jest
      .spyOn(fs, 'rename')
      .mockRejectedValueOnce(fsError('EXDEV', 'EXDEV: cross-device link not permitted'))
    const realRm = fs.rm.bind(fs)
    jest.spyOn(fs, 'rm').mockImplementationOnce(async (target, options) => {
      await realRm(target, { force: true }) // someone else cleaned up first
      return realRm(target, options)
    })
    expect((await rejection(writePrivateFileAtomic(file, 'new'))).code).toBe('EXDEV')
  })
})

describe('writeFileNoFollow', () => {
  test('creates the parents and a 0644 file, and replaces longer contents whole', async () => {
    const file = path.join(dir, 'out', 'deeper', 'message.txt')
    const previous = process.umask(0o022)
    try {
      await writeFileNoFollow(file, 'a longer first text')
    } finally {
      process.umask(previous)
    }
    expect((await fs.stat(file)).mode & 0o777).toBe(0o644)
    await writeFileNoFollow(file, 'short')
    expect(await fs.readFile(file, 'utf8')).toBe('short')
  })

  test('never writes through a symbolic link placed at the path', async () => {
    const target = path.join(dir, 'target')
    const link = path.join(dir, 'message.txt')
    await fs.writeFile(target, 'target')
    await fs.symlink(target, link)
    expect((await rejection(writeFileNoFollow(link, 'new'))).code).toBe('ELOOP')
    expect(await fs.readFile(target, 'utf8')).toBe('target')
  })
})

const openFds = () => readdirSync('/proc/self/fd').length

describe('no file is left open', () => {
  const linuxOnly = existsSync('/proc/self/fd') ? test : test.skip
  linuxOnly('writeFileNoFollow closes what it opened', async () => {
    const file = path.join(dir, 'message.txt')
    await writeFileNoFollow(file, 'warm-up') // the first call may load what it needs
    const before = openFds()
    for (let i = 0; i < 5; i++) await writeFileNoFollow(file, `text ${i}`)
    expect(openFds()).toBe(before)
  })
})

describe('withFileLock: holders and races', () => {
  const deadPid = () => {
    try {
      return Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8')) + 1
    } catch {
      return 4_194_305
    }
  }
  /** Keeps a lock file's mtime fresh, as a working holder would; returns the stop function. */
  const keepFresh = (lock: string) => {
    const timer = setInterval(() => {
      const now = new Date()
      fs.utimes(lock, now, now).catch(() => undefined)
    }, 10)
    return () => clearInterval(timer)
  }
  /** Expects a LockTimeoutError, the work never run, and the lock left as it was. */
  async function expectWaitedFor(file: string, content: string | undefined, staleMs = 120) {
    let ran = false
    const error = await rejection(
      withFileLock(
        file,
        async () => {
          ran = true
        },
        { timeoutMs: 50, staleMs }
      )
    )
    expect(error).toBeInstanceOf(LockTimeoutError)
    expect(ran).toBe(false)
    if (content !== undefined) expect(await fs.readFile(`${file}.lock`, 'utf8')).toBe(content)
  }

  test('a fresh lock of another host is waited for, even if its pid is not alive here', async () => {
    const file = path.join(dir, 'auth.json')
    const content = `another-host ${deadPid()}`
    await fs.writeFile(`${file}.lock`, content)
    const stop = keepFresh(`${file}.lock`)
    try {
      await expectWaitedFor(file, content)
    } finally {
      stop()
    }
  }, 15_000)

  test.each(['x4242', '4242x'])(
    'a fresh lock of this host whose pid is not a number (%s) is judged by its age',
    async pid => {
      const file = path.join(dir, 'auth.json')
      const content = `${os.hostname()} ${pid}`
      await fs.writeFile(`${file}.lock`, content)
      const stop = keepFresh(`${file}.lock`)
      try {
        await expectWaitedFor(file, content)
      } finally {
        stop()
      }
    },
    15_000
  )

  test('a holder on this host that may not be signalled (EPERM) is alive: waited for', async () => {
    const file = path.join(dir, 'auth.json')
    const content = `${os.hostname()} 4242`
    await fs.writeFile(`${file}.lock`, content)
    jest.spyOn(process, 'kill').mockImplementation(() => {
      throw fsError('EPERM', 'kill EPERM')
    })
    // However old the lock: a live holder on this host is never judged by age.
    await expectWaitedFor(file, content, 20)
  }, 15_000)

  test('a lock it cannot read (a directory at its path) is waited for like any other', async () => {
    const file = path.join(dir, 'auth.json')
    await fs.mkdir(`${file}.lock`)
    const stop = keepFresh(`${file}.lock`)
    try {
      await expectWaitedFor(file, undefined)
    } finally {
      stop()
    }
  }, 15_000)

  test("a lock seen gone while inspected is never removed: it may be a new holder's", async () => {
    const file = path.join(dir, 'auth.json')
    const content = `another-host ${deadPid()}`
    await fs.writeFile(`${file}.lock`, content)
    const stop = keepFresh(`${file}.lock`)
    // The first look finds no lock (released), but another job has taken it since.
    jest.spyOn(fs, 'stat').mockRejectedValueOnce(fsError('ENOENT', 'ENOENT: no such file'))
    try {
      await expectWaitedFor(file, content)
    } finally {
      stop()
    }
  }, 15_000)

  test('a lock released while inspected is tried again, and taken', async () => {
    const file = path.join(dir, 'auth.json')
    await fs.writeFile(`${file}.lock`, 'another-host 1')
    const realStat = fs.stat.bind(fs)
    jest.spyOn(fs, 'stat').mockImplementationOnce(async target => {
      rmSync(`${file}.lock`) // its holder releases it right now
      return realStat(target)
    })
    expect(await withFileLock(file, async () => 'ran', { timeoutMs: 5_000, staleMs: 5_000 })).toBe(
      'ran'
    )
  })

  test('a directory for the lock that does not exist: that error, at once', async () => {
    const file = path.join(dir, 'missing', 'auth.json')
    const error = await rejection(
      withFileLock(file, async () => 'ran', { timeoutMs: 5_000, staleMs: 5_000 })
    )
    expect(error.code).toBe('ENOENT')
    expect(error).not.toBeInstanceOf(LockTimeoutError)
  })

  test('a lock made but not written (a full disk) is removed, and the error names it', async () => {
    const file = path.join(dir, 'auth.json')
    const realOpen = fs.open.bind(fs)
    jest.spyOn(fs, 'open').mockImplementationOnce(async (...args: Parameters<typeof fs.open>) => {
      const handle = await realOpen(...args)
      handle.writeFile = async () => {
        throw fsError('ENOSPC', 'ENOSPC: no space left on device, write')
      }
      return handle
    })
    let ran = false
    const error = await rejection(
      withFileLock(file, async () => {
        ran = true
      })
    )
    expect(error.code).toBe('ENOSPC')
    expect(error.path).toBe(`${file}.lock`)
    expect(ran).toBe(false)
    expect(await fs.readdir(dir)).toEqual([])
  })

  test('a lock made but not written, and already gone when removed: still the write error', async () => {
    const file = path.join(dir, 'auth.json')
    const realOpen = fs.open.bind(fs)
    jest.spyOn(fs, 'open').mockImplementationOnce(async (...args: Parameters<typeof fs.open>) => {
      const handle = await realOpen(...args)
      handle.writeFile = async () => {
        throw fsError('ENOSPC', 'ENOSPC: no space left on device, write')
      }
      return handle
    })
    const realRm = fs.rm.bind(fs)
    jest.spyOn(fs, 'rm').mockImplementationOnce(async (target, options) => {
      await realRm(target, { force: true })
      return realRm(target, options)
    })
    expect((await rejection(withFileLock(file, async () => 'ran'))).code).toBe('ENOSPC')
  })

  test('a stale lock removed by another job at the same moment is no error', async () => {
    const file = path.join(dir, 'auth.json')
    await fs.writeFile(`${file}.lock`, `${os.hostname()} ${deadPid()}`)
    const realRm = fs.rm.bind(fs)
    jest.spyOn(fs, 'rm').mockImplementationOnce(async (target, options) => {
      await realRm(target, { force: true }) // the other job was first
      return realRm(target, options)
    })
    expect(await withFileLock(file, async () => 'ran')).toBe('ran')
  })

  test('a lock taken over during the work is left to its new holder', async () => {
    const file = path.join(dir, 'auth.json')
    const result = await withFileLock(file, async () => {
      await fs.writeFile(`${file}.lock`, 'another-host 77')
      return 'ran'
    })
    expect(result).toBe('ran')
    expect(await fs.readFile(`${file}.lock`, 'utf8')).toBe('another-host 77')
  })

  test('our lock removed by someone at the moment it is released is no error', async () => {
    const file = path.join(dir, 'auth.json')
    let calls = 0
    const realRm = fs.rm.bind(fs)
    jest.spyOn(fs, 'rm').mockImplementation(async (target, options) => {
      calls++
      await realRm(target, { force: true })
      return realRm(target, options)
    })
    expect(await withFileLock(file, async () => 'ran')).toBe('ran')
    expect(calls).toBe(1)
    await expect(fs.access(`${file}.lock`)).rejects.toThrow()
  })

  test('it polls no more often than every 50 ms', async () => {
    const file = path.join(dir, 'auth.json')
    await fs.writeFile(`${file}.lock`, `${os.hostname()} ${process.pid}`)
    const realStat = fs.stat.bind(fs)
    let looks = 0
    jest.spyOn(fs, 'stat').mockImplementation(async target => {
      looks++
      return realStat(target)
    })
    const started = Date.now()
    await rejection(withFileLock(file, async () => 'ran', { timeoutMs: 200, staleMs: 100 }))
    const elapsed = Date.now() - started
    expect(looks).toBeLessThanOrEqual(Math.floor(elapsed / 50) + 1)
  }, 15_000)
})

describe('freeBytes', () => {
  test('when statfs fails all the way up to the root: unknown', async () => {
    jest.spyOn(fs, 'statfs').mockRejectedValue(fsError('ENOSYS', 'ENOSYS: not implemented'))
    expect(await freeBytes(path.join(dir, 'a', 'b'))).toBeUndefined()
  })
})
