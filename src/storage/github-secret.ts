/**
 * `storage: github-secret`: the session in a GitHub Actions secret (repository, environment or
 * organization). The stored session is the `auth-json` input itself; its version is the secret's
 * `updated_at`. A secret's value can never be read back (readsBack: false).
 *
 * - Reads ask only for the secret's metadata: found (its `updated_at`), none (404), or a failed read.
 * - Writes seal the session with a libsodium sealed box under the scope's public key, then PUT it.
 *   An organization secret keeps its visibility and, for `selected`, its repository list.
 * - GitHub has no dry-run, and reading a public key needs only read access: the preflight proves
 *   write access by writing and deleting a probe secret of the same scope.
 * - Every call is bounded by `timeoutMs`, and none is retried: a failed call is a failed read or
 *   write, which the caller reports.
 */
import * as core from '@actions/core'
import { Octokit } from '@octokit/rest'
import sodium from 'libsodium-wrappers'
import { randomBytes } from 'node:crypto'
import type { Session } from '../auth/index.js'
import { ActionError } from '../errors.js'
import { CONSUMER_SECRET_SUFFIX, Input, type StoredItem } from '../names.js'
import { octokitOptions } from '../platform/github-api.js'
import type { HeadResult, LoadResult, SessionStore, Writability, Written } from './types.js'

export interface GitHubSecretOptions {
  /** consumer: the bundle a refresher publishes, in the secret `<secret-name>_CONSUMER`. */
  readonly item: StoredItem
  readonly secretName: string
  /** secret-token: Secrets: write (Environments: write; Organization secrets: write). */
  readonly token: string
  readonly environment: string | undefined
  readonly org: string | undefined
  /** GITHUB_API_URL (GitHub Enterprise Server too). */
  readonly apiUrl: string
  /** GITHUB_REPOSITORY, owner/repo. */
  readonly repository: string
  /** The auth-json input: what the secret holds. */
  readonly seed: Session
  readonly timeoutMs: number
}

type Visibility = 'all' | 'private' | 'selected'

interface SecretMetadata {
  readonly updated_at: string
  /** Organization secrets only. */
  readonly visibility?: Visibility
}

interface PublicKey {
  readonly key_id: string
  readonly key: string
}

/** Where a secret lives: the routes of its REST endpoints and the permission writing it needs. */
interface Scope {
  /** For logs: "repository acme/widgets". */
  readonly label: string
  /** Route of a secret, with {secret_name}. */
  readonly secretRoute: string
  readonly publicKeyRoute: string
  readonly params: Record<string, string>
  /** The permission `secret-token` needs here, as the token settings name it. */
  readonly permission: string
  readonly isOrg: boolean
}

/** A call that got no HTTP answer in time. */
class NoAnswerError extends Error {}

// The secret-name input allows names up to this length; the probe's name is kept within it too.
const MAX_SECRET_NAME = 100
const PAGE_SIZE = 100
const MAX_PAGES = 100

export class GitHubSecretStorage implements SessionStore {
  readonly description: string
  readonly keepsSessions = true
  readonly readsBack = false
  readonly probesByWriting = true
  private readonly scope: Scope
  private readonly octokit: Octokit
  private writability: Promise<Writability> | undefined

  private readonly options: GitHubSecretOptions

  constructor(given: GitHubSecretOptions) {
    const options =
      given.item === 'consumer'
        ? { ...given, secretName: `${given.secretName}${CONSUMER_SECRET_SUFFIX}` }
        : given
    this.options = options
    this.scope = scopeOf(options)
    this.description = `GitHub secret ${options.secretName} (${this.scope.label})`
    const timeoutMs = options.timeoutMs
    this.octokit = new Octokit({
      ...octokitOptions(options.token, options.apiUrl),
      request: {
        // Every call bounded: a stalled API must not hold the job until its timeout-minutes.
        fetch: async (url: string | URL, init: RequestInit = {}) => {
          const deadline = AbortSignal.timeout(timeoutMs)
          const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline
          try {
            return await fetch(url, { ...init, signal })
          } catch (error) {
            if (deadline.aborted)
              throw new NoAnswerError(`no answer within ${describeSeconds(timeoutMs)}`)
            throw error
          }
        }
      }
    })
  }

  /**
   * Writes a probe secret in the same scope and deletes it: the only proof that the token may write
   * there. Asked once per step.
   */
  checkWritable(): Promise<Writability> {
    this.writability ??= this.probe()
    return this.writability
  }

  async load(): Promise<LoadResult> {
    if (this.options.item === 'consumer')
      return {
        kind: 'unavailable',
        reason: `a secret cannot be read back: consumers get ${this.options.secretName} through '${Input.AuthJson}'`
      }
    const read = await this.readMetadata()
    if (read.kind !== 'found') return read
    const { updated_at: version } = read.metadata
    const savedAt = new Date(version)
    core.info(`${this.description} was last updated at ${version}.`)
    return {
      kind: 'found',
      session: this.options.seed,
      version,
      ...(Number.isNaN(savedAt.getTime()) ? {} : { savedAt })
    }
  }

  async head(): Promise<HeadResult> {
    const read = await this.readMetadata()
    return read.kind === 'found' ? { kind: 'version', version: read.metadata.updated_at } : read
  }

  async write(session: Session): Promise<Written> {
    const key = await this.publicKey()
    const access = this.scope.isOrg ? await this.currentAccess() : {}
    await this.putSecret(this.options.secretName, await seal(session.text, key), access)
    let version: string
    try {
      version = (await this.call<SecretMetadata>('GET', this.scope.secretRoute, {}, 'reading back'))
        .updated_at
    } catch (error) {
      // It is stored: only its new version is unknown. Without it, the next job's check still works.
      core.warning(`Stored ${this.description}, but ${(error as Error).message}.`)
      version = 'unknown'
    }
    return { version, where: this.description }
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    return work() // GitHub has no lock: the updated_at check in persist is the guard
  }

  async prune(): Promise<void> {
    // One secret: writing replaced the older value.
  }

  /** The scope's public key; an answer that is not one (cut short, not JSON) is a failed call. */
  private async publicKey(): Promise<PublicKey> {
    const doing = 'reading the public key of'
    const data = await this.call<unknown>('GET', this.scope.publicKeyRoute, {}, doing)
    if (isPublicKey(data)) return data
    throw new ApiError(
      `${doing} ${this.scope.label}: the answer from ${this.options.apiUrl} is not a public key ` +
        '(cut short, or not the GitHub API): re-run the job',
      undefined
    )
  }

  private async probe(): Promise<Writability> {
    const name = probeName(this.options.secretName)
    try {
      const key = await this.publicKey()
      const value = await seal(randomBytes(24).toString('hex'), key)
      // The probe is visible to no repository: its value is random anyway.
      await this.putSecret(
        name,
        value,
        this.scope.isOrg ? { visibility: 'selected', selected_repository_ids: [] } : {}
      )
    } catch (error) {
      return {
        ok: false,
        reason: `'${Input.SecretToken}' cannot write secrets in ${this.scope.label}: ${(error as Error).message}`,
        fix: this.fix()
      }
    }
    try {
      await this.call('DELETE', this.scope.secretRoute, { secret_name: name }, 'deleting')
    } catch (error) {
      // Writing worked, which is what counts; only the probe is left behind.
      core.warning(
        `Could not delete the probe secret ${name} in ${this.scope.label} (${(error as Error).message}): ` +
          'delete it by hand; it holds nothing of value.'
      )
    }
    return { ok: true }
  }

  private fix(): string {
    return (
      `give '${Input.SecretToken}' a fine-grained token or a GitHub App installation token with ` +
      `${this.scope.permission} on ${this.scope.label} (not the job's GITHUB_TOKEN, which can never write secrets)`
    )
  }

  /** The visibility and repository list an organization secret has now (a new one: private). */
  private async currentAccess(): Promise<{
    visibility?: Visibility
    selected_repository_ids?: number[]
  }> {
    const read = await this.readMetadata()
    if (read.kind === 'empty') return { visibility: 'private' }
    if (read.kind === 'unavailable')
      throw new ActionError(
        `the visibility of ${this.description} could not be read (${read.reason})`
      )
    const visibility = read.metadata.visibility ?? 'private'
    if (visibility !== 'selected') return { visibility }
    const ids: number[] = []
    for (let page = 1; page <= MAX_PAGES; page++) {
      const listed = await this.call<{ repositories: { id: number }[]; total_count: number }>(
        'GET',
        `${this.scope.secretRoute}/repositories`,
        { per_page: PAGE_SIZE, page },
        'listing the repositories that may use'
      ).catch((error: unknown) => {
        throw new ActionError(
          `${(error as Error).message}; without that list, writing it would change which repositories may use it`
        )
      })
      const { repositories, total_count: total } = listed
      ids.push(...repositories.map(repository => repository.id))
      if (repositories.length < PAGE_SIZE || ids.length >= total) {
        return { visibility, selected_repository_ids: ids }
      }
    }
    throw new ActionError(
      `more than ${PAGE_SIZE * MAX_PAGES} repositories may use ${this.description}: too many to keep when writing it`
    )
  }

  private async putSecret(
    name: string,
    sealed: { encrypted_value: string; key_id: string },
    extra: Record<string, unknown>
  ): Promise<void> {
    await this.call(
      'PUT',
      this.scope.secretRoute,
      { secret_name: name, ...sealed, ...extra },
      'writing'
    )
  }

  private async readMetadata(): Promise<
    | { kind: 'found'; metadata: SecretMetadata }
    | { kind: 'empty' }
    | { kind: 'unavailable'; reason: string }
  > {
    try {
      const data = await this.call<SecretMetadata | undefined>(
        'GET',
        this.scope.secretRoute,
        {},
        'reading'
      )
      if (typeof data?.updated_at !== 'string')
        return { kind: 'unavailable', reason: `the API answered without the secret's updated_at` }
      return { kind: 'found', metadata: data }
    } catch (error) {
      if (statusOf(error) === 404) return { kind: 'empty' }
      return { kind: 'unavailable', reason: (error as Error).message }
    }
  }

  /**
   * One REST call. A failure becomes an ActionError whose message says what was asked, what came
   * back, and for 401 or 403 what `secret-token` needs; never anything secret.
   */
  private async call<T>(
    method: 'GET' | 'PUT' | 'DELETE',
    route: string,
    params: Record<string, unknown>,
    doing: string
  ): Promise<T> {
    const what = `${doing} ${this.subject(route, params)}`
    try {
      // Octokit sends what the route does not name as the query (GET) or body (PUT).
      const named = route.includes('{secret_name}') ? { secret_name: this.options.secretName } : {}
      const response = await this.octokit.request(`${method} ${route}`, {
        ...this.scope.params,
        ...named,
        ...params
      })
      return response.data as T
    } catch (error) {
      throw new ApiError(this.describeFailure(error, what), statusOf(error))
    }
  }

  private subject(route: string, params: Record<string, unknown>): string {
    if (route === this.scope.publicKeyRoute) return this.scope.label
    const name =
      typeof params.secret_name === 'string' ? params.secret_name : this.options.secretName
    return `secret ${name}`
  }

  private describeFailure(error: unknown, what: string): string {
    const status = statusOf(error)
    const cause = (error as { cause?: unknown }).cause
    if (cause instanceof NoAnswerError)
      return `${what}: ${this.options.apiUrl} gave ${cause.message}`
    const response = (error as { response?: { data?: unknown } }).response
    if (status === undefined || response === undefined) {
      const message = cause instanceof Error ? cause.message : (error as Error).message
      return `${what}: could not reach ${this.options.apiUrl} (${message})`
    }
    const message = messageOf(response.data)
    const answered = `${what}: the API answered ${status}${message ? ` (${message})` : ''}`
    switch (status) {
      case 401:
        return `${answered}: the token in '${Input.SecretToken}' is not valid (wrong, expired or revoked)`
      case 403:
        return `${answered}: the token in '${Input.SecretToken}' needs ${this.scope.permission} on ${this.scope.label}`
      case 404:
        return `${answered}: ${this.scope.label} does not exist, or the token in '${Input.SecretToken}' cannot see it`
      default:
        return answered
    }
  }
}

class ApiError extends ActionError {
  constructor(
    message: string,
    readonly status: number | undefined
  ) {
    super(message)
  }
}

function scopeOf(options: GitHubSecretOptions): Scope {
  if (options.org !== undefined) {
    return {
      label: `organization ${options.org}`,
      secretRoute: '/orgs/{org}/actions/secrets/{secret_name}',
      publicKeyRoute: '/orgs/{org}/actions/secrets/public-key',
      params: { org: options.org },
      permission: '"Organization secrets: write" (a classic token: admin:org)',
      isOrg: true
    }
  }
  const [owner, repo, ...rest] = options.repository.split('/')
  if (!owner || !repo || rest.length > 0) {
    throw new ActionError(
      `storage: github-secret needs GITHUB_REPOSITORY as owner/repo, and it is '${options.repository}'.`
    )
  }
  if (options.environment !== undefined) {
    return {
      label: `environment ${options.environment}`,
      secretRoute: '/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}',
      publicKeyRoute: '/repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key',
      params: { owner, repo, environment_name: options.environment },
      permission: '"Environments: write"',
      isOrg: false
    }
  }
  return {
    label: `repository ${options.repository}`,
    secretRoute: '/repos/{owner}/{repo}/actions/secrets/{secret_name}',
    publicKeyRoute: '/repos/{owner}/{repo}/actions/secrets/public-key',
    params: { owner, repo },
    permission: '"Secrets: write"',
    isOrg: false
  }
}

/** A key_id and a base64 X25519 public key (32 bytes), as GET .../secrets/public-key answers. */
function isPublicKey(data: unknown): data is PublicKey {
  const { key, key_id } = (data ?? {}) as Partial<Record<keyof PublicKey, unknown>>
  return typeof key_id === 'string' && typeof key === 'string' && /^[A-Za-z0-9+/]{43}=$/.test(key)
}

/** A libsodium sealed box of `text` under the scope's public key, base64 (original variant). */
async function seal(
  text: string,
  key: PublicKey
): Promise<{ encrypted_value: string; key_id: string }> {
  await sodium.ready
  const publicKey = sodium.from_base64(key.key, sodium.base64_variants.ORIGINAL)
  const sealed = sodium.crypto_box_seal(sodium.from_string(text), publicKey)
  return {
    encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL),
    key_id: key.key_id
  }
}

function probeName(secretName: string): string {
  const suffix = `_PROBE_${randomBytes(4).toString('hex').toUpperCase()}`
  return secretName.slice(0, MAX_SECRET_NAME - suffix.length) + suffix
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status
  return typeof status === 'number' ? status : undefined
}

function messageOf(data: unknown): string {
  if (typeof data === 'string') return data.slice(0, 200)
  const message = (data as { message?: unknown } | undefined)?.message
  return typeof message === 'string' ? message.slice(0, 200) : ''
}

function describeSeconds(ms: number): string {
  const seconds = Math.round(ms / 1000)
  return `${seconds} s`
}
