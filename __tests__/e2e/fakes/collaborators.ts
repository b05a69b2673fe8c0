/**
 * The GitHub REST endpoint that tells a user's permission on a repository,
 * `GET /repos/{owner}/{repo}/collaborators/{username}/permission`, as a handler that the loopback
 * REST fakes (cache-service, secrets-api) mount, so that every GITHUB_API_URL a test job is given
 * answers it. Shaped like GitHub's answer: `permission` is admin, write, read or none (maintain is
 * reported as write, triage as read), `role_name` the role itself; a login it does not know is a
 * 404. Any bearer token may ask (every token that can see the repository has metadata read) except
 * those revoked (401), and a request without one gets 401. Faults: an error status, or a
 * connection reset, for the next requests.
 *
 * By default the fake knows JOB_ACTOR, the GITHUB_ACTOR of every emulated job, as an admin: the
 * action's actor check passes in every test that is not about it.
 */
import type http from 'node:http'

/** GITHUB_ACTOR of the emulated jobs; an admin of every repository by default. */
export const JOB_ACTOR = 'mona-admin'

export type RepositoryRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none'

export type PermissionFault =
  | { readonly kind: 'status'; readonly status: number; readonly message?: string }
  /** Destroy the socket without an answer (a reset connection). */
  | { readonly kind: 'reset' }

export interface PermissionRequest {
  readonly repository: string
  readonly username: string
  readonly token: string | undefined
  /** 0: reset, no answer. */
  readonly status: number
}

export interface FakeCollaborators {
  readonly requests: PermissionRequest[]
  /** Gives a login a role (on every repository); undefined forgets the login (404). */
  grant(username: string, role: RepositoryRole | undefined): void
  /** Requests with this token get 401 Bad credentials (a revoked or wrong token). */
  revoke(token: string): void
  /** The next `count` (1) permission requests get the fault instead of an answer. */
  failNext(fault: PermissionFault, count?: number): void
  /** Back to the default roles, no faults, no revoked tokens, an empty log. */
  reset(): void
  /** Answers the request when it is a permission request, and returns true; false: not ours. */
  handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): boolean
}

const ROUTE = /^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/

/** What the API reports as `permission` for each role. */
const PERMISSION_OF: Readonly<Record<RepositoryRole, string>> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
  none: 'none'
}

export function fakeCollaborators(
  defaults: Readonly<Record<string, RepositoryRole>> = { [JOB_ACTOR]: 'admin' }
): FakeCollaborators {
  const roles = new Map<string, RepositoryRole>()
  const faults: { fault: PermissionFault; left: number }[] = []
  const revoked = new Set<string>()
  const requests: PermissionRequest[] = []
  const setDefaults = () => {
    roles.clear()
    for (const [login, role] of Object.entries(defaults)) roles.set(login.toLowerCase(), role)
  }
  setDefaults()

  const json = (res: http.ServerResponse, status: number, body: unknown) =>
    res
      .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
      .end(JSON.stringify(body))

  return {
    requests,
    grant: (username, role) => {
      if (role === undefined) roles.delete(username.toLowerCase())
      else roles.set(username.toLowerCase(), role)
    },
    revoke: token => void revoked.add(token),
    failNext: (fault, count = 1) => void faults.push({ fault, left: count }),
    reset: () => {
      setDefaults()
      faults.length = 0
      revoked.clear()
      requests.length = 0
    },
    handle: (req, res, url) => {
      const match = ROUTE.exec(url.pathname)
      if (!match || req.method !== 'GET') return false
      const [owner, repo, username] = match.slice(1).map(decodeURIComponent) as [
        string,
        string,
        string
      ]
      const token = /^(?:Bearer|token) (\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
      const log = (status: number) =>
        requests.push({ repository: `${owner}/${repo}`, username, token, status })
      const fault = faults.find(f => f.left > 0)
      if (fault) {
        fault.left--
        if (fault.fault.kind === 'reset') {
          log(0)
          req.socket.resetAndDestroy()
          return true
        }
        log(fault.fault.status)
        json(res, fault.fault.status, { message: fault.fault.message ?? 'Injected failure' })
        return true
      }
      if (token === undefined || revoked.has(token)) {
        log(401)
        json(res, 401, { message: 'Bad credentials' })
        return true
      }
      const role = roles.get(username.toLowerCase())
      if (role === undefined) {
        log(404)
        json(res, 404, { message: 'Not Found' })
        return true
      }
      log(200)
      json(res, 200, {
        permission: PERMISSION_OF[role],
        role_name: role,
        user: { login: username, type: username.endsWith('[bot]') ? 'Bot' : 'User' }
      })
      return true
    }
  }
}
