/**
 * Bounding the time of a call that has no timeout of its own (the cache client has no socket
 * timeout: a stalled service would hold the job until `timeout-minutes`).
 */
import { ActionError } from '../errors.js'

export class DeadlineError extends ActionError {}

let abandoned = 0

/**
 * The promise's result, or a DeadlineError after `ms`. The abandoned call may still hold a socket:
 * `hasAbandonedCalls()` tells the step to exit instead of waiting for it.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abandoned++
      reject(new DeadlineError(`${what} did not finish within ${Math.round(ms / 1000)} s`))
    }, ms)
  })
  try {
    return await Promise.race([work, expired])
  } finally {
    clearTimeout(timer)
  }
}

export function hasAbandonedCalls(): boolean {
  return abandoned > 0
}
