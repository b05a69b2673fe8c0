/** What is on a job's disk, to prove that a step changed nothing. */
import { createHash } from 'node:crypto'
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs'
import path from 'node:path'

/** Every path under `root` with its type, mode, owner and content (or link target). */
export function snapshot(root: string): Record<string, string> {
  const entries: Record<string, string> = {}
  const walk = (at: string) => {
    const stat = lstatSync(at, { throwIfNoEntry: false })
    if (stat === undefined) return
    const mode = `${(stat.mode & 0o7777).toString(8)} ${stat.uid}`
    if (stat.isSymbolicLink()) entries[at] = `link ${mode} -> ${readlinkSync(at)}`
    else if (stat.isFile())
      entries[at] = `file ${mode} ${createHash('sha256').update(readFileSync(at)).digest('hex')}`
    else if (stat.isDirectory()) {
      entries[at] = `dir ${mode}`
      for (const name of readdirSync(at).sort()) walk(path.join(at, name))
    } else entries[at] = `other ${mode}`
  }
  walk(root)
  return entries
}
