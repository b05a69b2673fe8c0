/** The durations of the fan-out inputs (refresh-ahead, min-validity): `<n>h` or `<n>d`. Pure. */

const HOUR_MS = 60 * 60 * 1000
const UNIT_MS = { h: HOUR_MS, d: 24 * HOUR_MS } as const

/** Milliseconds of `36h` or `2d`; undefined for anything else (no other units, no fractions, no spaces). */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,4})([hd])$/.exec(text)
  if (!match) return undefined
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
}

/** `36h` or `2d` back from milliseconds, for messages: days when whole, else hours. */
export function formatDuration(ms: number): string {
  const hours = Math.round(ms / HOUR_MS)
  return hours % 24 === 0 && hours > 0 ? `${hours / 24}d` : `${hours}h`
}
