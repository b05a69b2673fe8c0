/**
 * `storage: directory`: one auth.json in a private directory (a mounted volume, a path shared by the
 * runners of one machine). Newest wins, under a lock so that two jobs cannot interleave.
 */
import * as core from '@actions/core'
import { promises as fs, constants as fsConstants } from 'node:fs'
import path from 'node:path'
import { AuthFileError, isNewer, parseAuthJson, type Session } from '../auth/index.js'
import { readIfExists, withFileLock, writePrivateFileAtomic } from '../files.js'
import type { SaveOutcome, SessionStorage, Writability } from './types.js'

export class DirectoryStorage implements SessionStorage {
  readonly description: string
  private readonly file: string

  constructor(private readonly dir: string) {
    this.file = path.join(dir, 'auth.json')
    this.description = `directory ${dir}`
  }

  /** Writable when the directory, or the nearest existing parent it would be created in, is. */
  async checkWritable(): Promise<Writability> {
    let dir = this.dir
    while (!(await isDirectory(dir)) && path.dirname(dir) !== dir) dir = path.dirname(dir)
    const writable = await fs.access(dir, fsConstants.W_OK).then(
      () => true,
      () => false
    )
    if (writable) return { ok: true }
    return {
      ok: false,
      reason: `the storage directory ${this.dir} cannot be written by this runner's user`,
      fix: `make ${this.dir} writable for it, or set another storage-path`
    }
  }

  async loadNewest(): Promise<Session | undefined> {
    return this.read(true)
  }

  async save(session: Session): Promise<SaveOutcome> {
    return withFileLock(this.file, async () => {
      const stored = await this.read(false)
      if (stored?.fingerprint === session.fingerprint) return { kind: 'already-stored' }
      if (stored && isNewer(stored, session)) return { kind: 'newer-stored', stored }
      await writePrivateFileAtomic(this.file, session.text)
      return { kind: 'saved', where: this.file }
    })
  }

  /** The stored session; an unreadable one counts as absent (warned once, when loading). */
  private async read(warn: boolean): Promise<Session | undefined> {
    const text = await readIfExists(this.file)
    if (text === undefined) return undefined
    try {
      return parseAuthJson(text)
    } catch (error) {
      if (!(error instanceof AuthFileError)) throw error
      if (warn) core.warning(`Ignoring the stored session at ${this.file}: ${error.message}`)
      return undefined
    }
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  return fs.stat(dir).then(
    stat => stat.isDirectory(),
    () => false
  )
}
