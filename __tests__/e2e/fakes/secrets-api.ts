/**
 * A loopback fake of the GitHub Actions secrets REST API (plain HTTP) for repository, environment
 * and organization secrets: the public key of each scope (a real X25519 key pair), GET, PUT and
 * DELETE of a secret, and the repositories an organization secret is visible to. Every PUT is
 * opened with the scope's private key (crypto_box_seal_open), so tests can read what was stored,
 * which GitHub itself never lets anyone do. Tokens have a permission each: `write`, `read` (GETs
 * only: 403 on PUT and DELETE) or `none` (403 everywhere, like the job's GITHUB_TOKEN); an unknown
 * token gets 401. `updated_at` has whole seconds, as on GitHub. It also answers the collaborator
 * permission endpoint (fakes/collaborators.ts), as every GITHUB_API_URL must.
 */
import { randomInt } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import sodium from 'libsodium-wrappers'
import { fakeCollaborators, type FakeCollaborators } from './collaborators.js'

export type SecretsPermission = 'write' | 'read' | 'none'

/** Where a secret lives. */
export type SecretScope =
  { readonly repository: string; readonly environment?: string } | { readonly org: string }

export type Visibility = 'all' | 'private' | 'selected'

export interface SecretsRequest {
  readonly method: string
  /** The path with the query. */
  readonly path: string
  /** 0: stalled, never answered. */
  readonly status: number
  readonly token: string | undefined
  /** The request body as sent (a PUT's JSON). */
  readonly body: string
}

export interface StoredSecretView {
  readonly name: string
  /** The plaintext of the last value PUT (or seeded). */
  readonly value: string
  readonly createdAt: string
  readonly updatedAt: string
  /** Organization secrets only. */
  readonly visibility: Visibility | undefined
  readonly selectedRepositoryIds: readonly number[] | undefined
  /** How many times it was PUT through the API. */
  readonly writes: number
}

export interface SeedSecret {
  readonly value: string
  /** ISO; now (whole seconds) by default. */
  readonly updatedAt?: string
  readonly visibility?: Visibility
  readonly selectedRepositoryIds?: readonly number[]
}

export interface FaultRule {
  /** The status to answer; 'stall': never answer (the socket stays open until close). */
  readonly status: number | 'stall'
  /** How many matching requests get it; 1 by default. */
  readonly count?: number
  readonly method?: string
  /** Matched against the path (with the query). */
  readonly path?: RegExp
  readonly message?: string
}

export interface SecretsApiOptions {
  readonly tokens?: Readonly<Record<string, SecretsPermission>>
  /** Environments that exist, as `owner/repo:environment`. Others answer 404. */
  readonly environments?: readonly string[]
  /** Organizations that exist. */
  readonly orgs?: readonly string[]
  /** Repository ids, for organization secrets' repository lists. */
  readonly repositoryIds?: Readonly<Record<string, number>>
  /** Who has which permission; JOB_ACTOR is an admin by default. */
  readonly collaborators?: FakeCollaborators
}

export interface FakeSecretsApi {
  /** The API base, like GITHUB_API_URL. */
  readonly url: string
  readonly requests: SecretsRequest[]
  /** The collaborator permission endpoint (not logged in `requests`). */
  readonly collaborators: FakeCollaborators
  /** The plaintext a secret holds now; undefined when there is none. */
  value(scope: SecretScope, name: string): string | undefined
  secret(scope: SecretScope, name: string): StoredSecretView | undefined
  /** Every secret of a scope, by name. */
  names(scope: SecretScope): string[]
  /** Stores a secret as if someone had set it (not logged as a request). */
  setSecret(scope: SecretScope, name: string, secret: SeedSecret): void
  /** Moves a secret's updated_at forward by `seconds` (another job wrote it). */
  bump(scope: SecretScope, name: string, seconds?: number): string
  /** The base64 public key of a scope, as GET public-key answers it. */
  publicKey(scope: SecretScope): { key_id: string; key: string }
  grant(token: string, permission: SecretsPermission): void
  /** The next requests matching `rule` get its status instead of an answer. */
  failNext(rule: FaultRule): void
  /** Forgets the secrets, the log and the faults, and resets the collaborators (keys and tokens stay). */
  reset(): void
  close(): Promise<void>
}

interface Stored {
  value: string
  createdAt: string
  updatedAt: string
  visibility: Visibility | undefined
  selectedRepositoryIds: number[] | undefined
  writes: number
}

interface KeyPair {
  readonly keyId: string
  readonly publicKey: Uint8Array
  readonly privateKey: Uint8Array
}

interface Reply {
  readonly status: number
  readonly body?: unknown
}

/** GitHub's format: whole seconds, no fraction. */
export function githubTime(ms: number = Date.now()): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

const scopeKey = (scope: SecretScope): string =>
  'org' in scope
    ? `org:${scope.org.toLowerCase()}`
    : scope.environment === undefined
      ? `repo:${scope.repository.toLowerCase()}`
      : `env:${scope.repository.toLowerCase()}:${scope.environment}`

const SECRET_NAME = /^(?!GITHUB_)[A-Za-z_][A-Za-z0-9_]*$/i

export async function startSecretsApi(options: SecretsApiOptions = {}): Promise<FakeSecretsApi> {
  await sodium.ready
  const tokens = new Map(Object.entries(options.tokens ?? {}))
  const environments = new Set((options.environments ?? []).map(e => e.toLowerCase()))
  const orgs = new Set((options.orgs ?? []).map(o => o.toLowerCase()))
  const repositoryIds = new Map(
    Object.entries(options.repositoryIds ?? {}).map(([name, id]) => [name.toLowerCase(), id])
  )
  const repositoryById = new Map([...repositoryIds].map(([name, id]) => [id, name]))
  const keys = new Map<string, KeyPair>()
  const secrets = new Map<string, Map<string, Stored>>()
  const requests: SecretsRequest[] = []
  const faults: { rule: FaultRule; left: number }[] = []
  const collaborators = options.collaborators ?? fakeCollaborators()

  const keyOf = (scope: string): KeyPair => {
    let pair = keys.get(scope)
    if (!pair) {
      const { publicKey, privateKey } = sodium.crypto_box_keypair()
      pair = { keyId: String(randomInt(1e13, 2e14)), publicKey, privateKey }
      keys.set(scope, pair)
    }
    return pair
  }
  const secretsOf = (scope: string): Map<string, Stored> => {
    let map = secrets.get(scope)
    if (!map) secrets.set(scope, (map = new Map()))
    return map
  }
  const view = (name: string, stored: Stored): StoredSecretView => ({
    name,
    ...stored,
    selectedRepositoryIds: stored.selectedRepositoryIds && [...stored.selectedRepositoryIds]
  })

  /** The scope a path names, and the rest of the path under `.../secrets`; undefined: not ours. */
  const route = (
    pathname: string
  ): { scope: string; isOrg: boolean; rest: string[]; exists: boolean } | undefined => {
    const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent)
    if (parts[0] === 'repos' && parts[3] === 'actions' && parts[4] === 'secrets') {
      return {
        scope: `repo:${parts[1]}/${parts[2]}`.toLowerCase(),
        isOrg: false,
        rest: parts.slice(5),
        exists: true
      }
    }
    if (parts[0] === 'repos' && parts[3] === 'environments' && parts[5] === 'secrets') {
      const repository = `${parts[1]}/${parts[2]}`.toLowerCase()
      return {
        scope: `env:${repository}:${parts[4]}`,
        isOrg: false,
        rest: parts.slice(6),
        exists: environments.has(`${repository}:${parts[4]!.toLowerCase()}`)
      }
    }
    if (parts[0] === 'orgs' && parts[2] === 'actions' && parts[3] === 'secrets') {
      const org = parts[1]!.toLowerCase()
      return { scope: `org:${org}`, isOrg: true, rest: parts.slice(4), exists: orgs.has(org) }
    }
    return undefined
  }

  const handle = (
    req: http.IncomingMessage,
    url: URL,
    body: string,
    token: string | undefined
  ): Reply | 'stall' => {
    const method = req.method ?? 'GET'
    const fault = faults.find(
      f =>
        f.left > 0 &&
        (f.rule.method === undefined || f.rule.method === method) &&
        (f.rule.path === undefined || f.rule.path.test(url.pathname + url.search))
    )
    if (fault) {
      fault.left--
      if (fault.rule.status === 'stall') return 'stall'
      return {
        status: fault.rule.status,
        body: { message: fault.rule.message ?? 'Injected failure' }
      }
    }
    const permission = token === undefined ? undefined : tokens.get(token)
    if (permission === undefined)
      return {
        status: 401,
        body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }
      }
    const target = route(url.pathname)
    if (!target || !target.exists) return { status: 404, body: { message: 'Not Found' } }
    if (permission === 'none')
      return { status: 403, body: { message: 'Resource not accessible by integration' } }
    const writing = method === 'PUT' || method === 'DELETE'
    if (writing && permission !== 'write')
      return { status: 403, body: { message: 'Resource not accessible by personal access token' } }

    const [given, sub, ...extra] = target.rest
    const pair = keyOf(target.scope)
    if (given === 'public-key' && sub === undefined) {
      if (method !== 'GET') return { status: 404, body: { message: 'Not Found' } }
      return {
        status: 200,
        body: {
          key_id: pair.keyId,
          key: sodium.to_base64(pair.publicKey, sodium.base64_variants.ORIGINAL)
        }
      }
    }
    if (given === undefined || extra.length > 0)
      return { status: 404, body: { message: 'Not Found' } }
    // Secret names are case-insensitive: GitHub keeps them upper-cased.
    const name = given.toUpperCase()
    const scopeSecrets = secretsOf(target.scope)
    const stored = scopeSecrets.get(name)

    if (sub === 'repositories') {
      if (!target.isOrg || method !== 'GET' || !stored)
        return { status: 404, body: { message: 'Not Found' } }
      if (stored.visibility !== 'selected')
        return { status: 409, body: { message: "The secret's visibility is not 'selected'" } }
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100)
      const page = Number(url.searchParams.get('page') ?? 1)
      const ids = stored.selectedRepositoryIds ?? []
      return {
        status: 200,
        body: {
          total_count: ids.length,
          repositories: ids.slice((page - 1) * perPage, page * perPage).map(id => {
            const fullName = repositoryById.get(id) ?? `unknown/repo-${id}`
            return { id, name: fullName.split('/')[1], full_name: fullName }
          })
        }
      }
    }
    if (sub !== undefined) return { status: 404, body: { message: 'Not Found' } }

    switch (method) {
      case 'GET':
        if (!stored) return { status: 404, body: { message: 'Not Found' } }
        return {
          status: 200,
          body: {
            name,
            created_at: stored.createdAt,
            updated_at: stored.updatedAt,
            ...(target.isOrg
              ? {
                  visibility: stored.visibility,
                  ...(stored.visibility === 'selected'
                    ? { selected_repositories_url: `${url.origin}${url.pathname}/repositories` }
                    : {})
                }
              : {})
          }
        }
      case 'DELETE':
        if (!stored) return { status: 404, body: { message: 'Not Found' } }
        scopeSecrets.delete(name)
        return { status: 204 }
      case 'PUT': {
        if (!SECRET_NAME.test(name)) return validation('secret_name is invalid')
        let parsed: Record<string, unknown>
        try {
          parsed = JSON.parse(body) as Record<string, unknown>
        } catch {
          return { status: 400, body: { message: 'Problems parsing JSON' } }
        }
        const {
          encrypted_value: encrypted,
          key_id: keyId,
          visibility,
          selected_repository_ids: ids
        } = parsed
        if (typeof encrypted !== 'string' || typeof keyId !== 'string')
          return validation('encrypted_value and key_id are required')
        if (keyId !== pair.keyId) return validation('key_id does not match the current public key')
        let value: string
        try {
          const box = sodium.from_base64(encrypted, sodium.base64_variants.ORIGINAL)
          value = sodium.to_string(
            sodium.crypto_box_seal_open(box, pair.publicKey, pair.privateKey)
          )
        } catch {
          return validation('encrypted_value is not a sealed box for this key')
        }
        let access: Pick<Stored, 'visibility' | 'selectedRepositoryIds'> = {
          visibility: undefined,
          selectedRepositoryIds: undefined
        }
        if (target.isOrg) {
          if (visibility !== 'all' && visibility !== 'private' && visibility !== 'selected')
            return validation('visibility must be all, private or selected')
          if (ids !== undefined && visibility !== 'selected')
            return validation('selected_repository_ids is only allowed with visibility selected')
          if (ids !== undefined && !(Array.isArray(ids) && ids.every(id => Number.isInteger(id))))
            return validation('selected_repository_ids must be an array of integers')
          access = {
            visibility,
            // GitHub keeps no list for a non-selected secret; an omitted list stays as it was.
            selectedRepositoryIds:
              visibility === 'selected'
                ? ((ids as number[] | undefined) ?? stored?.selectedRepositoryIds ?? [])
                : undefined
          }
        } else if (visibility !== undefined || ids !== undefined) {
          return validation('visibility is only for organization secrets')
        }
        const now = githubTime()
        scopeSecrets.set(name, {
          value,
          createdAt: stored?.createdAt ?? now,
          updatedAt: now,
          ...access,
          writes: (stored?.writes ?? 0) + 1
        })
        return stored ? { status: 204 } : { status: 201, body: {} }
      }
      default:
        return { status: 404, body: { message: 'Not Found' } }
    }
  }

  const server = http.createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`)
      if (collaborators.handle(req, res, url)) return
      const token = /^(?:Bearer|token) (\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
      let reply: Reply | 'stall'
      try {
        reply = handle(req, url, body, token)
      } catch (error) {
        // A bug of the fake: answered, so that it shows in the test instead of a hang.
        reply = { status: 599, body: { message: `the fake failed: ${(error as Error).stack}` } }
      }
      requests.push({
        method: req.method ?? '',
        path: url.pathname + url.search,
        status: reply === 'stall' ? 0 : reply.status,
        token,
        body
      })
      if (reply === 'stall') return
      if (reply.body === undefined) res.writeHead(reply.status).end()
      else
        res
          .writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' })
          .end(JSON.stringify(reply.body))
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  const find = (scope: SecretScope, name: string) =>
    secrets.get(scopeKey(scope))?.get(name.toUpperCase())

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    collaborators,
    value: (scope, name) => find(scope, name)?.value,
    secret: (scope, name) => {
      const stored = find(scope, name)
      return stored && view(name, stored)
    },
    names: scope => [...(secrets.get(scopeKey(scope))?.keys() ?? [])],
    setSecret: (scope, name, seed) => {
      const time = seed.updatedAt ?? githubTime()
      secretsOf(scopeKey(scope)).set(name.toUpperCase(), {
        value: seed.value,
        createdAt: time,
        updatedAt: time,
        visibility: 'org' in scope ? (seed.visibility ?? 'private') : undefined,
        selectedRepositoryIds: seed.selectedRepositoryIds && [...seed.selectedRepositoryIds],
        writes: 0
      })
    },
    bump: (scope, name, seconds = 5) => {
      const stored = find(scope, name)
      if (!stored) throw new Error(`no secret ${name} to bump`)
      stored.updatedAt = githubTime(Date.parse(stored.updatedAt) + seconds * 1000)
      return stored.updatedAt
    },
    publicKey: scope => {
      const pair = keyOf(scopeKey(scope))
      return {
        key_id: pair.keyId,
        key: sodium.to_base64(pair.publicKey, sodium.base64_variants.ORIGINAL)
      }
    },
    grant: (token, permission) => void tokens.set(token, permission),
    failNext: rule => void faults.push({ rule, left: rule.count ?? 1 }),
    reset: () => {
      secrets.clear()
      requests.length = 0
      faults.length = 0
      collaborators.reset()
    },
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

function validation(message: string): Reply {
  return { status: 422, body: { message: `Validation Failed: ${message}` } }
}
