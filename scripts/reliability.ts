/**
 * `npm run docs:reliability`: writes docs/reliability.md from the suites (see reliability-doc.ts).
 * `--mutation <stryker json>` first records the mutation summary (npm run test:mutation does it).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import {
  DOC_FILE,
  MUTATION_SUMMARY,
  renderReliabilityDoc,
  summariseMutationReport
} from './reliability-doc.js'

const mutationIndex = process.argv.indexOf('--mutation')
if (mutationIndex !== -1) {
  const report = JSON.parse(readFileSync(process.argv[mutationIndex + 1]!, 'utf8'))
  const summary = {
    date: new Date().toISOString().slice(0, 10),
    ...summariseMutationReport(report)
  }
  writeFileSync(MUTATION_SUMMARY, `${JSON.stringify(summary, null, 2)}\n`)
  console.log(`Mutation score ${summary.score.toFixed(1)}% written to ${MUTATION_SUMMARY}.`)
}
writeFileSync(DOC_FILE, await renderReliabilityDoc(process.cwd()))
console.log(`Wrote ${DOC_FILE}.`)
