/** Entry of the main step (action.yml runs.main). */
import { run } from './app/main.js'
await run()
