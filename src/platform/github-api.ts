/** What every REST client of the action gives Octokit: the API, the token, the user agent, the log. */
import * as core from '@actions/core'

export function octokitOptions(token: string, apiUrl: string) {
  return {
    auth: token || undefined,
    baseUrl: apiUrl.replace(/\/+$/, ''),
    userAgent: 'codex-auth-action',
    // Octokit's own warnings (a deprecated endpoint) as log lines; nothing else is logged.
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => core.warning(message),
      error: (message: string) => core.debug(message)
    }
  }
}
