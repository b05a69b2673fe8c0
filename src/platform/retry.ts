/** One retry loop with jittered exponential backoff, its sleep replaceable in tests. */
import { setTimeout as sleepFor } from 'node:timers/promises'

export interface RetryOptions {
  readonly attempts: number
  readonly baseDelayMs: number
  /** Called before each wait: to log the attempt. */
  readonly onRetry?: (attempt: number, delayMs: number, error: unknown) => void
  /** Whether this error is worth another attempt (default: every error). */
  readonly retryable?: (error: unknown) => boolean
  readonly sleep?: (ms: number) => Promise<unknown>
}

export async function retry<T>(
  work: (attempt: number) => Promise<T>,
  options: RetryOptions
): Promise<T> {
  const { attempts, baseDelayMs, onRetry, retryable = () => true, sleep = sleepFor } = options
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt)
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error
      const delay = Math.round(baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random()))
      onRetry?.(attempt, delay, error)
      await sleep(delay)
    }
  }
}
