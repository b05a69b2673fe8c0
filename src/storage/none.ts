/**
 * `storage: none`: CODEX_HOME itself is the storage. Right for a persistent self-hosted runner;
 * on a GitHub-hosted runner the disk is discarded with the job, so nothing refreshed may happen there.
 */
import type { Session } from '../auth/index.js'
import { SaveError, type SaveOutcome, type SessionStorage, type Writability } from './types.js'

export class NoStorage implements SessionStorage {
  readonly description: string

  constructor(
    private readonly codexHome: string,
    private readonly env: NodeJS.ProcessEnv = process.env
  ) {
    this.description = `none (the session stays in ${codexHome})`
  }

  private get ephemeralRunner(): boolean {
    return this.env.RUNNER_ENVIRONMENT === 'github-hosted'
  }

  async checkWritable(): Promise<Writability> {
    if (!this.ephemeralRunner) return { ok: true }
    return {
      ok: false,
      reason:
        'storage is none on a GitHub-hosted runner, whose disk is discarded when the job ends',
      fix: 'set storage: cache (the default), or use a persistent self-hosted runner'
    }
  }

  async loadNewest(): Promise<undefined> {
    return undefined
  }

  async save(_session: Session): Promise<SaveOutcome> {
    if (this.ephemeralRunner) {
      throw new SaveError(
        `storage is none and this GitHub-hosted runner discards ${this.codexHome} when the job ends`
      )
    }
    return { kind: 'saved', where: `${this.codexHome} (storage: none keeps it on this runner)` }
  }
}
