import type { Config } from '../inputs.js'
import { DirectoryStorage } from './directory.js'
import { NoStorage } from './none.js'
import type { SessionStorage } from './types.js'

export type { SaveOutcome, SessionStorage, Writability } from './types.js'
export { SaveError } from './types.js'

export function createStorage(config: Config): SessionStorage {
  switch (config.storage) {
    case 'none':
      return new NoStorage(config.codexHome)
    case 'directory':
      return new DirectoryStorage(config.storagePath!)
  }
}
