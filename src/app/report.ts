/** Writing what a step did: the job summary and the annotations that app/summary.ts renders. */
import * as core from '@actions/core'
import { describeFsError } from '../platform/files.js'
import type { Annotation, Summary } from './summary.js'

/**
 * Best effort, on purpose: the summary is for people reading the job page, and a summary file
 * that cannot be written (a full disk, a runner without one) must never fail the step, nor stop
 * the post step from storing a session. A failure is a warning, nothing more.
 */
export async function writeSummary(summary: Summary): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return // not on a runner (local runs)
  try {
    const header = (cells: [string, string]) => cells.map(data => ({ data, header: true }))
    const body = (rows: Summary['rows']) => rows.map(row => row.map(escapeHtml))
    await core.summary
      .addHeading(escapeHtml(summary.title), 3)
      .addTable([header(['What', 'Value']), ...body(summary.rows)])
      .addTable([header(['Phase', 'Duration']), ...body(summary.phases)])
      .write()
  } catch (error) {
    core.summary.emptyBuffer()
    core.warning(
      `Could not write the job summary (${describeFsError(error)}); the session is not affected. ` +
        'To see the summary again, free space on the runner or check GITHUB_STEP_SUMMARY.'
    )
  }
}

export function annotate(annotations: readonly Annotation[]): void {
  for (const { level, message } of annotations) {
    if (level === 'warning') core.warning(message)
    else core.notice(message)
  }
}

// The summary is HTML, and its cells are not escaped by the toolkit: a path may hold < or &.
const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
