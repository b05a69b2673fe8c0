// The esbuild options of the action's bundle, for scripts/build.mjs (and, readable, for
// bench/profile.ts, which needs the bundle's module comments to say where time goes).
import { readFileSync } from 'node:fs'

/** `readable`: not minified, with a `// path` comment before each module. */
export function bundleOptions({ readable = false } = {}) {
  return {
    entryPoints: { main: 'src/main.ts', post: 'src/post.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    chunkNames: 'chunks/[name]-[hash]',
    // Some CommonJS dependencies of the toolkit call require(): give ESM output a require().
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
    },
    // Less source to read and compile on every step; names are kept, so stack traces stay readable.
    minifyWhitespace: !readable,
    minifySyntax: !readable,
    plugins: [leanStartPlugin()],
    logLevel: 'warning'
  }
}

/**
 * What every step would load and never use, left out of its start-up (bench/HISTORY.md has the
 * figures):
 * - `import ... from 'node:http'` in ESM builds a namespace of the module's exports, and reading
 *   them all makes Node 24 load its own undici (http.WebSocket & co.): some 25 ms and 13 MB per
 *   step. Taken through require() instead, those getters stay lazy.
 * - @actions/http-client imports the npm undici (~800 kB of source to compile) only for
 *   ProxyAgent in getAgentDispatcher(), which nothing in this action calls (the toolkit's clients
 *   honour proxies through their own agents). A stand-in that says so is bundled instead.
 * - The Azure SDK's pipeline (the cache client's uploads) asks `typeof FormData` of every request
 *   body, and that global's first read loads Node's undici too (~20 ms in the post step). A body
 *   that is a FormData says so in its Symbol.toStringTag, so that is asked first: the same answer,
 *   and FormData is touched only when one exists already.
 * - The cache client imports the Azure Storage SDK (over half of its bundled source) for two
 *   functions: uploads (saveCache) and the download that only `useAzureSdk: true` picks, which the
 *   action never sets (restoreCache downloads with the toolkit's HTTP client). Both functions take
 *   the SDK through import() at their first call instead, so the main step, which only restores,
 *   never reads or compiles it; the post step loads it when it uploads, as before.
 */
function leanStartPlugin() {
  return {
    name: 'lean-start',
    setup(build) {
      build.onResolve({ filter: /^(node:)?http$/ }, args =>
        args.kind === 'import-statement'
          ? { path: 'node:http', namespace: 'required-builtin' }
          : undefined
      )
      build.onLoad({ filter: /.*/, namespace: 'required-builtin' }, args => ({
        contents: `module.exports = require(${JSON.stringify(args.path)})`,
        loader: 'js'
      }))
      build.onLoad(
        { filter: /@typespec[\\/]ts-http-runtime[\\/]dist[\\/]esm[\\/]formData\.js$/ },
        args => {
          const source = readFileSync(args.path, 'utf8')
          const check = 'typeof FormData !== "undefined" && body instanceof FormData'
          if (!source.includes(check))
            throw new Error(`${args.path} changed: review lean-start's FormData check`)
          const lazy = 'body?.[Symbol.toStringTag] === "FormData" && body instanceof FormData'
          return { contents: source.replace(check, lazy), loader: 'js' }
        }
      )
      build.onLoad(
        { filter: /@actions[\\/]cache[\\/]lib[\\/]internal[\\/](upload|download)Utils\.js$/ },
        args => {
          const source = readFileSync(args.path, 'utf8')
          const [, name] = /^import \{ (\w+) \} from '@azure\/storage-blob';$/m.exec(source) ?? []
          const uses = name ? source.split(`new ${name}(`).length - 1 : 0
          // Each use is in a function body that __awaiter runs as a generator: yield awaits.
          if (uses !== 1 || !/function\* \(\)/.test(source))
            throw new Error(`${args.path} changed: review lean-start's lazy Azure SDK`)
          const lazy = source
            .replace(`import { ${name} } from '@azure/storage-blob';`, '')
            .replace(`new ${name}(`, `new (yield import('@azure/storage-blob')).${name}(`)
          return { contents: lazy, loader: 'js' }
        }
      )
      build.onResolve({ filter: /^undici$/ }, args =>
        args.importer.includes('node_modules/@actions/http-client/')
          ? { path: 'undici', namespace: 'undici-stand-in' }
          : undefined
      )
      build.onLoad({ filter: /.*/, namespace: 'undici-stand-in' }, () => ({
        contents:
          'export class ProxyAgent {\n' +
          '  constructor() {\n' +
          "    throw new Error('codex-auth-action bundles no undici: HttpClient.getAgentDispatcher() is not available')\n" +
          '  }\n' +
          '}\n',
        loader: 'js'
      }))
    }
  }
}
