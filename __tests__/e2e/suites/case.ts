/**
 * A case of the reliability suites: data that docs/reliability.md is generated from
 * (scripts/reliability.ts), and the test that proves it. Case modules (`*.cases.ts`) must not call
 * jest globals when imported: the script imports them to render the tables.
 */
export interface SuiteCase<Context> {
  /** Where the fault or bad input is: restore, save, lookup, prune, codex, disk, permissions, locks, clocks, concurrency, or an input name. */
  readonly area: string
  /** What is done to the action, in a few words. */
  readonly name: string
  /** What the action does about it, in a few words (the test asserts it). */
  readonly outcome: string
  readonly run: (context: Context) => Promise<void>
}

export interface SuiteTable<Context> {
  readonly title: string
  readonly cases: readonly SuiteCase<Context>[]
}
