/** Entry of the post step (action.yml runs.post, post-if: always()). */
import { run } from './app/post.js'
await run()
