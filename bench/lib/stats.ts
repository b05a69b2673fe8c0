/** Numbers for the bench: medians of interleaved pairs, their spread, and how they are printed. */
import { execFileSync } from 'node:child_process'

/** BENCH_PAIRS, else the default of the bench (at least 15 for the figures in RESULTS.md). */
export function pairsFromEnv(fallback: number): number {
  const value = Number(process.env.BENCH_PAIRS)
  return Number.isInteger(value) && value > 0 ? value : fallback
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export interface Spread {
  readonly min: number
  readonly median: number
  readonly max: number
}

export function spread(values: readonly number[]): Spread {
  return { min: Math.min(...values), median: median(values), max: Math.max(...values) }
}

export function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`
}

export const msSpread = (s: Spread) => `${ms(s.median)} (${ms(s.min)}-${ms(s.max)})`
export const ratio = (value: number) => `${value.toFixed(2)}x`
export const ratioSpread = (s: Spread) => `${ratio(s.median)} (${ratio(s.min)}-${ratio(s.max)})`
export const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`

/** Clock ticks per second, for the children's CPU time in /proc/self/stat. */
export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** A section of bench/RESULTS.md: markdown lines, and each target with whether it was met. */
export interface Section {
  readonly title: string
  readonly lines: string[]
  readonly targets: { readonly what: string; readonly met: boolean }[]
}

export function printSection(section: Section): void {
  console.log(`\n## ${section.title}\n\n${section.lines.join('\n')}`)
  for (const target of section.targets)
    console.log(`- target ${target.what}: ${target.met ? 'met' : 'NOT met'}`)
}

/** True when this module is the script node was started with (not imported by bench/run.ts). */
export function isEntry(metaUrl: string): boolean {
  return process.argv[1] !== undefined && metaUrl.endsWith(process.argv[1].replace(/\\/g, '/'))
}
