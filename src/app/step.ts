/** Running a step body: every failure becomes one clear error annotation and a failing exit code. */
import * as core from '@actions/core'
import { ActionError } from '../errors.js'
import { hasAbandonedCalls } from '../platform/deadline.js'

export async function runStep(body: () => Promise<void>): Promise<void> {
  try {
    await body()
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error))
    core.debug(err.stack ?? err.message)
    // Errors of our own are written for the user; anything else is a bug or an environment failure.
    core.setFailed(
      err instanceof ActionError
        ? err.message
        : `Unexpected error: ${err.message.replace(/\.$/, '')}. Re-run the job; if it happens again, re-run it with ` +
            'debug logging (RUNNER_DEBUG=1) and report it with that log.'
    )
  }
  // A call abandoned at its deadline may still hold a socket open: do not wait for it.
  if (hasAbandonedCalls()) process.exit()
}
