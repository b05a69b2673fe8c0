// Loads the modules named on the command line, then exits: the cold load of a bundle, without
// running it. With no arguments: Node's own start-up.
import { pathToFileURL } from 'node:url'

await Promise.all(process.argv.slice(2).map(file => import(pathToFileURL(file).href)))
