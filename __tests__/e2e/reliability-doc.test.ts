/** docs/reliability.md is generated from the suites: the committed one must match them. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { DOC_FILE, renderReliabilityDoc } from '../../scripts/reliability-doc.js'
import { REPO_ROOT } from './harness/paths.js'

test('docs/reliability.md matches the case tables and the mutation summary', async () => {
  const committed = readFileSync(path.join(REPO_ROOT, DOC_FILE), 'utf8')
  // Run `npm run docs:reliability` after changing a case table.
  expect(committed).toBe(await renderReliabilityDoc(REPO_ROOT))
})
