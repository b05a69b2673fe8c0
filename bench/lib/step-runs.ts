/**
 * Timed steps in emulated runner jobs (the e2e harness's Job): wall time around the step as the
 * runner sees it (spawn to exit), and the step's CPU time and peak RSS from a preload (rusage.cjs).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { actionNode, REPO_ROOT, scratchDir } from '../../__tests__/e2e/harness/paths.js'
import { Job, type JobOptions, type StepResult } from '../../__tests__/e2e/harness/runner.js'
import type { World } from '../../__tests__/e2e/harness/world.js'
import { CLOCK_TICKS } from './stats.js'

export const RUSAGE_PRELOAD = path.join(REPO_ROOT, 'bench/lib/rusage.cjs')

/**
 * The runner of the step benches: the world's cache service, on a hosted runner. The action hides
 * zstd from the cache client (gzip on every runner); the floors get the same PATH, or their
 * archives would have another cache version and miss the action's entry.
 */
export function cacheBenchRunner(world: World): Record<string, string> {
  const noZstd = scratchDir('bench-no-zstd')
  writeFileSync(path.join(noZstd, 'zstd'), '#!/bin/sh\nexit 0\n', { mode: 0o755 })
  return {
    ...world.cacheRunner(),
    RUNNER_ENVIRONMENT: 'github-hosted',
    PATH: `${noZstd}${path.delimiter}${process.env.PATH ?? ''}`
  }
}

export interface Measured {
  readonly wallMs: number
  /** The Node process and the children it waited for. */
  readonly cpuMs: number
  readonly maxRssKb: number
}

/** A job whose Node steps report their resource use; `measure` times one of its steps. */
export class MeasuredJob {
  readonly job: Job
  private readonly usageFile: string
  private readLines = 0

  constructor(options: JobOptions = {}) {
    const dir = scratchDir('bench-usage')
    this.usageFile = path.join(dir, 'usage.jsonl')
    this.job = new Job({
      ...options,
      env: {
        ...options.env,
        NODE_OPTIONS: `--require ${RUSAGE_PRELOAD}`,
        BENCH_RUSAGE_FILE: this.usageFile
      }
    })
    this.cleanup.push(dir, this.job.root, this.job.temp)
  }

  private readonly cleanup: string[] = []

  /** Runs one step; fails unless it succeeded. */
  async measure(step: (job: Job) => Promise<StepResult>): Promise<Measured & { step: StepResult }> {
    const started = performance.now()
    const result = await step(this.job)
    const wallMs = performance.now() - started
    if (result.exitCode !== 0)
      throw new Error(`${result.name} failed:\n${result.stdout}\n${result.stderr}`)
    const lines = existsSync(this.usageFile)
      ? readFileSync(this.usageFile, 'utf8').trim().split('\n')
      : []
    const line = lines[this.readLines]
    this.readLines = lines.length
    if (line === undefined) throw new Error(`${result.name} reported no resource use`)
    const usage = JSON.parse(line) as { cpuMs: number; childTicks: number; maxRssKb: number }
    return {
      step: result,
      wallMs,
      cpuMs: usage.cpuMs + (usage.childTicks * 1000) / CLOCK_TICKS,
      maxRssKb: usage.maxRssKb
    }
  }

  /** Runs a Node script as a `run:` step of this job. */
  node(script: string, args: string[] = []): Promise<Measured & { step: StepResult }> {
    return this.measure(job =>
      job.runCommand(actionNode(), [script, ...args], path.basename(script))
    )
  }

  dispose(): void {
    for (const dir of this.cleanup) rmSync(dir, { recursive: true, force: true })
  }
}

/** Runs `a` and `b` one after the other, `a` first on even pairs: neither always runs second. */
export async function interleaved<T>(
  pair: number,
  a: () => Promise<T>,
  b: () => Promise<T>
): Promise<[T, T]> {
  if (pair % 2 === 0) {
    const first = await a()
    return [first, await b()]
  }
  const second = await b()
  return [await a(), second]
}
