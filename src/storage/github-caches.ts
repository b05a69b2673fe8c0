/**
 * The REST endpoints for Actions cache entries, used to prune superseded generations:
 * GET and DELETE /repos/{owner}/{repo}/actions/caches (the token needs `actions: write`).
 * Through the toolkit's HTTP client, which the cache client has loaded already (fetch would load
 * Node's undici for two small calls) and which honours the runner's proxy settings.
 */
import { HttpClient } from '@actions/http-client'

export interface CacheEntryInfo {
  readonly id: number
  readonly key: string
  readonly ref: string
  readonly version: string
  readonly created_at: string
}

export class GitHubCaches {
  constructor(
    private readonly apiUrl: string,
    private readonly repository: string,
    private readonly token: string
  ) {}

  /** Entries whose key starts with `prefix` on `ref`, newest first. */
  async list(prefix: string, ref: string): Promise<CacheEntryInfo[]> {
    const entries: CacheEntryInfo[] = []
    for (let page = 1; page <= 10; page++) {
      const query = new URLSearchParams({
        key: prefix,
        ref,
        sort: 'created_at',
        direction: 'desc',
        per_page: '100',
        page: String(page)
      })
      const body = (await this.request('GET', `?${query}`)) as { actions_caches: CacheEntryInfo[] }
      entries.push(...body.actions_caches)
      if (body.actions_caches.length < 100) break
    }
    return entries
  }

  async delete(id: number): Promise<void> {
    await this.request('DELETE', `/${id}`)
  }

  private readonly http = new HttpClient('codex-auth-action', [], { socketTimeout: 30_000 })

  private async request(method: string, suffix: string): Promise<unknown> {
    const url = `${this.apiUrl.replace(/\/$/, '')}/repos/${this.repository}/actions/caches${suffix}`
    const response = await this.http.request(method, url, null, {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${this.token}`,
      'x-github-api-version': '2022-11-28'
    })
    const status = response.message.statusCode ?? 0
    const body = await response.readBody()
    if (status < 200 || status > 299) {
      const message =
        /"message"\s*:\s*"([^"]*)"/.exec(body)?.[1] ?? response.message.statusMessage ?? ''
      throw new Error(`${method} actions/caches answered ${status} (${message})`)
    }
    return status === 204 || body === '' ? undefined : JSON.parse(body)
  }
}
