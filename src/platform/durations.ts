/** Durations in words, for log lines and the job summary. Pure. */

/** "3 minutes", "5 hours", "2 days": rounded, in the largest unit that reads well. */
export function describeDuration(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000))
  const hours = Math.round(ms / 3_600_000)
  const [count, unit] =
    minutes < 60
      ? [minutes, 'minute']
      : hours < 48
        ? [hours, 'hour']
        : [Math.round(hours / 24), 'day']
  return `${count} ${unit}${count === 1 ? '' : 's'}`
}
