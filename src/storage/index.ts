import type { Config } from '../inputs.js'
import { deriveEntryKey } from './crypto.js'
import { DirectoryStorage } from './directory.js'
import { NoStorage } from './none.js'
import type { SessionStorage } from './types.js'

export type { SaveOutcome, SessionStorage, Writability } from './types.js'
export { SaveError } from './types.js'

export async function createStorage(config: Config): Promise<SessionStorage> {
  switch (config.storage) {
    case 'none':
      return new NoStorage(config.codexHome)
    case 'directory':
      return new DirectoryStorage(config.storagePath!)
    case 'cache': {
      // Loaded only when used: the cache client and the Azure SDK are most of the bundle.
      const { CacheStorage } = await import('./cache.js')
      return new CacheStorage({
        cacheKey: config.cacheKey,
        // readConfig guarantees one of the two for storage: cache.
        entryKey: config.encryptionKey
          ? deriveEntryKey(config.encryptionKey, 'encryption-key')
          : deriveEntryKey(config.authJson!.trim(), 'auth-json'),
        allowAnyBranch: config.allowAnyBranch,
        githubToken: config.githubToken
      })
    }
  }
}
