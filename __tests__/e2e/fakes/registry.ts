/**
 * A loopback npm registry: packuments (full and abbreviated), version and dist-tag documents, and
 * tarballs with their sha512 integrity, as the public registry serves them. Enough for the action's
 * installer and for a real `npm install`. Failure injection: corrupted or truncated tarballs, a
 * required token.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Publication {
  /** package.json of the version (name, version, bin, os, cpu, optionalDependencies, ...). */
  readonly manifest: { name: string; version: string } & Record<string, unknown>
  /** The tarball: its bytes, or the path of a .tgz file (read once, then served from memory). */
  readonly tarball: Buffer | string
}

export interface RegistryRequest {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly authorization: string | undefined
}

export interface FakeRegistry {
  /** The registry URL, ending in a slash (with a path, like a mirror behind a proxy). */
  readonly url: string
  readonly requests: RegistryRequest[]
  readonly distTags: Record<string, Record<string, string>>
  /** Tarball file names served with one byte flipped (the published integrity no longer matches). */
  readonly corrupt: Set<string>
  /** Tarball file names whose connection is cut halfway. */
  readonly truncate: Set<string>
  /** When set, every request needs `Authorization: Bearer <token>`. */
  requiredToken: string | undefined
  publish(publication: Publication): { tarballUrl: string; integrity: string }
  tarballRequests(): RegistryRequest[]
  close(): Promise<void>
}

interface Version {
  readonly manifest: Publication['manifest'] & {
    dist: { tarball: string; integrity: string; shasum: string }
  }
  readonly tarball: Buffer
}

export async function startRegistry({ pathPrefix = '/npm/' } = {}): Promise<FakeRegistry> {
  const packages = new Map<string, Map<string, Version>>()
  const tarballs = new Map<string, Version>()
  const requests: RegistryRequest[] = []
  let baseUrl = ''

  const registry: Omit<FakeRegistry, 'url'> = {
    requests,
    distTags: {},
    corrupt: new Set(),
    truncate: new Set(),
    requiredToken: undefined,
    publish({ manifest, tarball }) {
      // In memory, like a CDN's cache: the registry must not be what a benchmark measures.
      const content = typeof tarball === 'string' ? readFileSync(tarball) : tarball
      const sha512 = createHash('sha512').update(content)
      const sha1 = createHash('sha1').update(content)
      const file = `${manifest.name.split('/').pop()}-${manifest.version}.tgz`
      const tarballUrl = `${baseUrl}${manifest.name}/-/${file}`
      const integrity = `sha512-${sha512.digest('base64')}`
      const version: Version = {
        manifest: {
          ...manifest,
          dist: { tarball: tarballUrl, integrity, shasum: sha1.digest('hex') }
        },
        tarball: content
      }
      const versions = packages.get(manifest.name) ?? new Map<string, Version>()
      versions.set(manifest.version, version)
      packages.set(manifest.name, versions)
      tarballs.set(`${manifest.name}/-/${file}`, version)
      return { tarballUrl, integrity }
    },
    tarballRequests: () => requests.filter(request => request.path.endsWith('.tgz')),
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }

  const server = http.createServer((req, res) => {
    const authorization = req.headers.authorization
    const path = decodeURIComponent((req.url ?? '').split('?')[0]!)
    const reply = (status: number, body?: unknown) => {
      requests.push({ method: req.method ?? '', path, status, authorization })
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(body === undefined ? '' : JSON.stringify(body))
    }
    if (!path.startsWith(pathPrefix)) return reply(404, { error: 'not found' })
    if (
      registry.requiredToken !== undefined &&
      authorization !== `Bearer ${registry.requiredToken}`
    ) {
      return reply(401, { error: 'authentication required' })
    }
    const rest = path.slice(pathPrefix.length)
    const tarball = tarballs.get(rest)
    if (tarball) return serveTarball(rest, tarball)
    // /<name> or /<name>/<version|tag>; a scoped name is @scope/name (its slash arrives as %2f).
    const match = /^(@[^/]+\/[^/]+|[^@/][^/]*)(?:\/([^/]+))?$/.exec(rest)
    const versions = match ? packages.get(match[1]!) : undefined
    if (!match || !versions) return reply(404, { error: 'not found' })
    const [, name, wanted] = match
    const tags = { latest: [...versions.keys()].at(-1)!, ...registry.distTags[name!] }
    if (wanted === undefined) {
      return reply(200, {
        name,
        'dist-tags': tags,
        versions: Object.fromEntries(
          [...versions].map(([version, entry]) => [version, entry.manifest])
        ),
        modified: new Date().toISOString()
      })
    }
    const entry = versions.get(tags[wanted as keyof typeof tags] ?? wanted)
    return entry ? reply(200, entry.manifest) : reply(404, { error: 'version not found' })

    function serveTarball(name: string, entry: Version) {
      const file = name.split('/').pop()!
      requests.push({ method: req.method ?? '', path, status: 200, authorization })
      const bytes = entry.tarball
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': bytes.length
      })
      if (registry.truncate.has(file)) {
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy())
        return
      }
      if (registry.corrupt.has(file)) {
        const corrupted = Buffer.from(bytes)
        corrupted[Math.floor(corrupted.length / 2)]! ^= 0xff
        res.end(corrupted)
        return
      }
      res.end(bytes)
    }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  baseUrl = `http://127.0.0.1:${port}${pathPrefix}`
  return Object.assign(registry, { url: baseUrl })
}
