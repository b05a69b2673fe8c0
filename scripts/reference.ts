/** `npm run docs:reference`: rewrites the inputs and outputs reference in README.md from action.yml. */
import { writeFileSync } from 'node:fs'
import { README, renderReadme } from './reference-doc.js'

writeFileSync(README, await renderReadme(process.cwd()))
console.log(`Wrote the inputs and outputs reference into ${README}.`)
