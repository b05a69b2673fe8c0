/** The job summary: what each step did with the session, without a single token in it. */
import * as core from '@actions/core'

export async function writeSummary(title: string, rows: [string, string][]): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return // not on a runner (local runs)
  await core.summary
    .addHeading(title, 3)
    .addTable([
      [
        { data: 'What', header: true },
        { data: 'Value', header: true }
      ],
      ...rows
    ])
    .write()
}
