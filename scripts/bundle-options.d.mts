import type { BuildOptions } from 'esbuild'

export function bundleOptions(options?: {
  readable?: boolean
}): Omit<BuildOptions, 'entryPoints'> & { entryPoints: Record<string, string> }
