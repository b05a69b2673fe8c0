/**
 * Who may spend the session. A workflow on the default branch can be started by people who should
 * not use the account (an `issue_comment`, a `workflow_dispatch` by someone else, a bot), so by
 * default the actor that triggered the run (GITHUB_ACTOR) must have write, maintain or admin
 * permission on the repository, asked of the REST API with `github-token`. `allow-users` lets named
 * people in (or everyone, with `*`); `allow-bots` lets actors whose login ends in `[bot]` in.
 *
 * The check fails closed: when the API cannot be reached or answers an error, the run is refused.
 * It runs before anything is written and before Codex runs; its error names the actor and the input
 * that would let it in.
 */
import * as core from '@actions/core'
import { HttpClient } from '@actions/http-client'
import { ActionError } from '../errors.js'
import { Input } from '../names.js'
import { DeadlineError, withDeadline } from '../platform/deadline.js'
import { retry } from '../platform/retry.js'
import { InputError } from './inputs.js'

export interface ActorPolicy {
  /** Logins let in without asking GitHub (lower case), or 'everyone' (`*`: the check is off). */
  readonly allowUsers: readonly string[] | 'everyone'
  readonly allowBots: boolean
}

/** Where the check looks, from the runner's environment. */
export interface ActorContext {
  /** GITHUB_ACTOR; undefined or empty when the runner did not set it. */
  readonly actor: string | undefined
  /** GITHUB_REPOSITORY, owner/repo. */
  readonly repository: string | undefined
  /** GITHUB_API_URL. */
  readonly apiUrl: string
  /** github-token. */
  readonly token: string
}

/** What GitHub answered for GET /repos/{owner}/{repo}/collaborators/{username}/permission. */
export type PermissionAnswer =
  | { readonly kind: 'permission'; readonly permission: string; readonly roleName?: string }
  | { readonly kind: 'status'; readonly status: number; readonly message?: string }
  | { readonly kind: 'no-answer'; readonly reason: string }

export type ActorDecision =
  | { readonly kind: 'allowed'; readonly why: string }
  | { readonly kind: 'refused'; readonly reason: string }
  /** Only GitHub can tell: ask the permission API. */
  | { readonly kind: 'ask' }

export class ActorRefused extends ActionError {}

/** The permissions that may run the action; the API reports maintain as `write`. */
const WRITE_PERMISSIONS = new Set(['admin', 'write'])
// A GitHub login: letters, digits and single hyphens, at most 39 characters; a bot's ends in [bot].
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\[bot\])?$/
/** The bound of the one API call: a stalled API must not hold the job. */
const PERMISSION_TIMEOUT_MS = 30_000
const PERMISSION_ATTEMPTS = 3

type GetInput = (name: string) => string

/** Reads `allow-users` and `allow-bots`; a bad value is an input error, like any other. */
export function readActorPolicy(
  getInput: GetInput = name => core.getInput(name, { trimWhitespace: true })
): ActorPolicy {
  const bots = (getInput(Input.AllowBots).trim() || 'false').toLowerCase()
  if (bots !== 'true' && bots !== 'false') {
    throw new InputError(`Input '${Input.AllowBots}' must be true or false.`)
  }
  const entries = getInput(Input.AllowUsers)
    .split(/[,\n]/)
    .map(entry => entry.trim())
    .filter(entry => entry !== '')
  let allowUsers: ActorPolicy['allowUsers'] = entries.map(entry => entry.toLowerCase())
  if (entries.includes('*')) {
    if (entries.length > 1) {
      throw new InputError(
        `Input '${Input.AllowUsers}' mixes '*' with names: '*' alone lets everyone run the action; ` +
          'otherwise list the logins only.'
      )
    }
    allowUsers = 'everyone'
  } else {
    for (const entry of entries) {
      if (!LOGIN.test(entry)) {
        throw new InputError(
          `Input '${Input.AllowUsers}': '${entry}' is not a GitHub login (letters, digits and ` +
            "hyphens, a bot's ending in [bot], without '@'); separate logins with commas."
        )
      }
    }
  }
  return { allowUsers, allowBots: bots === 'true' }
}

export const isBot = (actor: string) => actor.toLowerCase().endsWith('[bot]')

/** What can be decided without GitHub: `*`, a listed login, a bot. */
export function decideLocally(actor: string | undefined, policy: ActorPolicy): ActorDecision {
  if (policy.allowUsers === 'everyone')
    return { kind: 'allowed', why: `'${Input.AllowUsers}' is '*': the actor check is off` }
  if (!actor) {
    return {
      kind: 'refused',
      reason:
        'GITHUB_ACTOR is not set, so the action cannot tell who triggered this run, and refuses it. ' +
        `On a runner it is always set; to run without the check, set '${Input.AllowUsers}: *'.`
    }
  }
  if (policy.allowUsers.includes(actor.toLowerCase()))
    return { kind: 'allowed', why: `${actor} is listed in '${Input.AllowUsers}'` }
  if (isBot(actor)) {
    if (policy.allowBots) return { kind: 'allowed', why: `'${Input.AllowBots}' lets bots run it` }
    return {
      kind: 'refused',
      reason:
        `This run was triggered by the bot ${actor}, and bots may not use the session by default. ` +
        `To let it run the action, set '${Input.AllowBots}: true' (every bot) or ` +
        `'${Input.AllowUsers}: ${actor}' (this one).`
    }
  }
  return { kind: 'ask' }
}

/** The decision from the permission API's answer. Anything but write, maintain or admin is refused. */
export function decideFromAnswer(
  actor: string,
  repository: string,
  answer: PermissionAnswer
): ActorDecision {
  const letIn = `To let ${actor} run it anyway, add it to '${Input.AllowUsers}'.`
  switch (answer.kind) {
    case 'permission': {
      const role = answer.roleName || answer.permission
      if (WRITE_PERMISSIONS.has(answer.permission))
        return { kind: 'allowed', why: `${actor} has ${role} permission on ${repository}` }
      return {
        kind: 'refused',
        reason:
          `${actor}, who triggered this run, has ${role} permission on ${repository}; the action runs ` +
          `only for actors with write, maintain or admin permission. ${letIn}`
      }
    }
    case 'status': {
      const detail = answer.message ? ` (${answer.message})` : ''
      const cause =
        answer.status === 404
          ? `${actor} is not a collaborator on ${repository} (the permission API answered 404${detail})`
          : answer.status === 401
            ? `the permission API did not accept '${Input.GithubToken}' (401${detail}): give a valid token`
            : answer.status === 403
              ? `'${Input.GithubToken}' may not read collaborator permissions on ${repository} ` +
                `(403${detail}): it needs metadata read access, which the job's GITHUB_TOKEN always has`
              : `the permission API answered ${answer.status}${detail}`
      return {
        kind: 'refused',
        reason: `Could not confirm that ${actor}, who triggered this run, may use the session: ${cause}. ${letIn}`
      }
    }
    case 'no-answer':
      return {
        kind: 'refused',
        reason:
          `Could not confirm that ${actor}, who triggered this run, may use the session: ${answer.reason}. ` +
          `The check fails closed: re-run when the API answers, or add ${actor} to '${Input.AllowUsers}'.`
      }
  }
}

/** Lets the run go on, or throws ActorRefused. Nothing is written either way. */
export async function checkActor(policy: ActorPolicy, context: ActorContext): Promise<void> {
  let decision = decideLocally(context.actor, policy)
  if (decision.kind === 'ask') {
    const actor = context.actor!
    const repository = context.repository ?? ''
    if (!/^[^/\s]+\/[^/\s]+$/.test(repository)) {
      throw new ActorRefused(
        `GITHUB_REPOSITORY is '${repository}', not owner/repo: the permission of ${actor} cannot be ` +
          `checked, so the run is refused. To run without the check, set '${Input.AllowUsers}: *'.`
      )
    }
    decision = decideFromAnswer(actor, repository, await askPermission(actor, repository, context))
  }
  if (decision.kind === 'refused') throw new ActorRefused(decision.reason)
  if (decision.kind === 'allowed') core.info(`Allowed to run: ${decision.why}.`)
}

async function askPermission(
  username: string,
  repository: string,
  context: ActorContext
): Promise<PermissionAnswer> {
  // A 5xx or no answer at all may pass: asked up to three times before the run is refused.
  let answer: PermissionAnswer = { kind: 'no-answer', reason: 'not asked' }
  await retry(
    async () => {
      answer = await askOnce(username, repository, context)
      if (answer.kind === 'no-answer' || (answer.kind === 'status' && answer.status >= 500))
        throw new Error('worth another attempt')
    },
    {
      attempts: PERMISSION_ATTEMPTS,
      baseDelayMs: 1000,
      onRetry: (attempt, delayMs) =>
        core.info(
          `The permission check got no usable answer (attempt ${attempt}); retrying in ${delayMs} ms.`
        )
    }
  ).catch(() => undefined)
  return answer
}

async function askOnce(
  username: string,
  repository: string,
  context: ActorContext
): Promise<PermissionAnswer> {
  const [owner, repo] = repository.split('/') as [string, string]
  const url =
    `${context.apiUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(owner)}/` +
    `${encodeURIComponent(repo)}/collaborators/${encodeURIComponent(username)}/permission`
  // The toolkit's client, which every step has loaded already: Octokit and the fetch behind it
  // cost every main step ~45 ms and 7 MB for this one GET (bench/HISTORY.md).
  const http = new HttpClient('codex-auth-action', [], { socketTimeout: PERMISSION_TIMEOUT_MS })
  let status: number
  let body: string
  try {
    ;({ status, body } = await withDeadline(
      http
        .get(url, {
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          ...(context.token ? { authorization: `Bearer ${context.token}` } : {})
        })
        .then(async response => ({
          status: response.message.statusCode ?? 0,
          body: await response.readBody()
        })),
      PERMISSION_TIMEOUT_MS,
      'the permission check'
    ))
  } catch (error) {
    if (error instanceof DeadlineError)
      return {
        kind: 'no-answer',
        reason: `${context.apiUrl} gave no answer within ${PERMISSION_TIMEOUT_MS / 1000} s`
      }
    return {
      kind: 'no-answer',
      reason: `could not reach ${context.apiUrl} (${(error as Error).message})`
    }
  }
  let data: { permission?: unknown; role_name?: unknown; message?: unknown } | undefined
  try {
    data = JSON.parse(body) as typeof data
  } catch {
    data = undefined
  }
  if (status < 200 || status > 299) {
    const message = data?.message
    return { kind: 'status', status, ...(typeof message === 'string' ? { message } : {}) }
  }
  const { permission, role_name: roleName } = data ?? {}
  if (typeof permission !== 'string')
    return { kind: 'no-answer', reason: 'the permission API answered without a permission' }
  return { kind: 'permission', permission, ...(typeof roleName === 'string' ? { roleName } : {}) }
}
