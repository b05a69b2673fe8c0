/**
 * `storage: none`: CODEX_HOME itself is the storage. Right for a persistent self-hosted runner;
 * on a GitHub-hosted runner the disk is discarded with the job, so nothing refreshed may happen there.
 * It reads nothing and writes nothing: it never reports a session as stored.
 */
import type { HeadResult, LoadResult, SessionStore, Writability, Written } from './types.js'

export class NoStorage implements SessionStore {
  readonly description: string
  readonly keepsSessions = false
  readonly readsBack = true

  constructor(
    private readonly codexHome: string,
    private readonly runnerEnvironment: string | undefined
  ) {
    this.description = `none (the session stays in ${codexHome})`
  }

  async checkWritable(): Promise<Writability> {
    if (this.runnerEnvironment !== 'github-hosted') return { ok: true }
    return {
      ok: false,
      reason: `storage is none on a GitHub-hosted runner, which discards ${this.codexHome} when the job ends`,
      fix: 'set storage: cache (the default), or use a persistent self-hosted runner'
    }
  }

  async load(): Promise<LoadResult> {
    return { kind: 'empty' }
  }

  async head(): Promise<HeadResult> {
    return { kind: 'empty' }
  }

  async write(): Promise<Written> {
    throw new Error('storage: none stores nothing') // persist never calls it: keepsSessions is false
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    return work()
  }

  async prune(): Promise<void> {}
}
