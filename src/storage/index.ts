/** The storage backends behind one interface, chosen by the `storage` input. */
import type { CacheStorageOptions } from './cache.js'
import type { CommandStorageOptions } from './command.js'
import type { GitHubSecretOptions } from './github-secret.js'
import { DirectoryStorage } from './directory.js'
import { NoStorage } from './none.js'
import type { StoredItem } from '../names.js'
import type { SessionStore } from './types.js'

export type { HeadResult, LoadResult, SessionStore, Writability, Written } from './types.js'

export type StorageOptions =
  | {
      readonly kind: 'none'
      readonly codexHome: string
      readonly runnerEnvironment: string | undefined
    }
  | { readonly kind: 'directory'; readonly path: string }
  | ({ readonly kind: 'cache' } & Omit<CacheStorageOptions, 'item'>)
  | ({ readonly kind: 'command' } & Omit<CommandStorageOptions, 'item'>)
  | ({ readonly kind: 'github-secret' } & Omit<GitHubSecretOptions, 'item'>)

/**
 * Opens the storage for one item: the full session (every role but consumer), or the consumer
 * bundle (published by a refresher, read by consumers), which each storage keeps in its own place.
 */
export async function openStorage(
  options: StorageOptions,
  item: StoredItem = 'session'
): Promise<SessionStore> {
  switch (options.kind) {
    case 'none':
      return new NoStorage(options.codexHome, options.runnerEnvironment)
    case 'directory':
      return new DirectoryStorage(options.path, item)
    case 'cache': {
      // Loaded only when used: the cache client and the Azure SDK are most of the bundle.
      const { CacheStorage } = await import('./cache.js')
      return new CacheStorage({ ...options, item })
    }
    case 'command': {
      const { CommandStorage } = await import('./command.js')
      return new CommandStorage({ ...options, item })
    }
    case 'github-secret': {
      // Octokit and libsodium: loaded only for this storage.
      const { GitHubSecretStorage } = await import('./github-secret.js')
      return new GitHubSecretStorage({ ...options, item })
    }
  }
}

/**
 * For a step that may write (post), called first: loads what writing to `kind` needs and opening
 * it does not. The cache client's upload SDK (the Azure Storage SDK, scripts/bundle-options.mjs)
 * is left out of the main step, which only restores; loaded while the step's heap is still small,
 * it costs the post step no more memory than before (loaded during the save, the step's peak RSS
 * rose by 3-4 MB, bench/HISTORY.md).
 */
export async function preloadWriting(kind: string): Promise<void> {
  if (kind === 'cache') await import('@azure/storage-blob')
}
