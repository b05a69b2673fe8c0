/**
 * The REST endpoints for Actions cache entries, used to prune superseded generations:
 * GET and DELETE /repos/{owner}/{repo}/actions/caches (the token needs `actions: write`).
 */

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

  private async request(method: string, suffix: string): Promise<unknown> {
    const url = `${this.apiUrl.replace(/\/$/, '')}/repos/${this.repository}/actions/caches${suffix}`
    const response = await fetch(url, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${this.token}`,
        'x-github-api-version': '2022-11-28',
        'user-agent': 'codex-auth-action'
      },
      signal: AbortSignal.timeout(30_000)
    })
    if (!response.ok) {
      const detail = await response.text().catch(() => '')
      const message = /"message"\s*:\s*"([^"]*)"/.exec(detail)?.[1] ?? response.statusText
      throw new Error(`${method} actions/caches answered ${response.status} (${message})`)
    }
    return response.status === 204 ? undefined : response.json()
  }
}
