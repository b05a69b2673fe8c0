/** Blanking out credentials from what Codex prints, including those of a session it refreshes mid-run. */
import { readFileSync, statSync } from 'node:fs'
import {
  parseAuthJson,
  parseConsumerBundle,
  redactForms,
  tokenForms,
  type Session
} from '../auth/index.js'
import { maskSession } from '../platform/secrets.js'
import { authFilePath } from './home.js'

/**
 * The credentials to blank out of what Codex printed: those of the sessions known before the run,
 * and those of each new auth.json Codex writes during it (checked whenever a line arrives).
 */
export class CredentialWatch {
  private forms: string[] = []
  private seen = ''

  constructor(
    private readonly codexHome: string,
    sessions: readonly Session[]
  ) {
    sessions.forEach(session => this.add(session))
  }

  add(session: Session): void {
    this.forms = [...new Set([...this.forms, ...tokenForms(session)])].sort(
      (a, b) => b.length - a.length
    )
  }

  redact(text: string): string {
    this.refresh()
    return redactForms(text, this.forms).text
  }

  /** Codex replaces auth.json atomically when it refreshes: a new inode or mtime means new tokens. */
  private refresh(): void {
    const file = authFilePath(this.codexHome)
    const stat = statSyncOrUndefined(file)
    const identity = stat ? `${stat.ino}:${stat.mtimeMs}` : ''
    if (identity === this.seen || stat === undefined) return
    this.seen = identity
    try {
      const text = readFileSync(file, 'utf8')
      // A session or a consumer bundle: either way, its tokens are blanked out.
      let session: Session
      try {
        session = parseAuthJson(text)
      } catch {
        session = parseConsumerBundle(text)
      }
      maskSession(session)
      this.add(session)
    } catch {
      // Half-written or not a session: the next line looks again.
      this.seen = ''
    }
  }
}

function statSyncOrUndefined(file: string) {
  try {
    return statSync(file)
  } catch {
    return undefined
  }
}
