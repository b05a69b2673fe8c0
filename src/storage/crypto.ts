/**
 * Encryption at rest for stored sessions: the Actions cache is readable from pull requests, forks
 * included, so an entry is sealed with AES-256-GCM (confidential and authenticated).
 *
 * Entry layout: "CXA" | version (1) | nonce (12) | ciphertext | tag (16).
 * The header, the cache-key namespace and (format 2) the entry's own generation key are
 * authenticated data: an entry moved to another namespace or re-uploaded under another generation
 * key (an older session passed off as newer), or with a flipped header bit, does not open.
 * Format 1 entries (without the generation) are still read, so that upgrading orphans nothing.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import type { Session } from '../auth/index.js'

const MAGIC = Buffer.from('CXA')
const FORMAT_VERSION = 2
const LEGACY_FORMAT_VERSION = 1
const NONCE_BYTES = 12
const TAG_BYTES = 16
const HEADER_BYTES = MAGIC.length + 1

/** An encryption-key input shorter than this is refused: the cache is readable by many. */
export const MIN_ENCRYPTION_KEY_LENGTH = 32

export type KeySource = 'encryption-key' | 'auth-json'

export interface EntryKey {
  readonly key: Buffer
  /** Which input the key comes from: named in warnings when an entry does not open. */
  readonly source: KeySource
  /** Keys that older releases derived from the same input: tried when `key` does not open an entry. */
  readonly fallbacks?: readonly Buffer[]
}

export class EntryOpenError extends Error {
  override name = 'EntryOpenError'
  constructor(
    message: string,
    readonly reason: 'format' | 'authentication'
  ) {
    super(message)
  }
}

// Changing the salt or an info string orphans every stored entry: unit tests pin the derived keys.
const HKDF_SALT = 'codex-auth-action'

function hkdf(material: string, info: string): Buffer {
  // Stryker disable next-line StringLiteral: equivalent, Buffer.from with an empty encoding name reads the string as utf8
  return Buffer.from(hkdfSync('sha256', Buffer.from(material, 'utf8'), HKDF_SALT, info, 32))
}

/** The AES-256 key from the encryption-key input: HKDF-SHA256 over it. */
export function deriveEntryKey(encryptionKey: string): EntryKey {
  return { key: hkdf(encryptionKey, 'cache-entry/v1/encryption-key'), source: 'encryption-key' }
}

/**
 * The key when there is no encryption-key: derived from the auth-json seed's session (its tokens
 * and last_refresh), not from how the secret is spelt, so re-encoding the same secret (raw JSON or
 * base64, other whitespace) keeps every entry readable. `rawSecret` gives the key that releases
 * before this one derived from the text, to read their entries.
 */
export function deriveSeedEntryKey(seed: Session, rawSecret: string): EntryKey {
  const { id_token, access_token, refresh_token, account_id } = seed.file.tokens
  const material = JSON.stringify([
    id_token,
    access_token,
    refresh_token,
    account_id,
    seed.lastRefresh
  ])
  return {
    key: hkdf(material, 'cache-entry/v2/auth-json-session'),
    source: 'auth-json',
    fallbacks: [hkdf(rawSecret.trim(), 'cache-entry/v1/auth-json')]
  }
}

const authenticatedData = (header: Buffer, namespace: string, generation: string | undefined) =>
  Buffer.concat([
    header,
    // Stryker disable next-line StringLiteral: equivalent, Buffer.from with an empty encoding name reads the string as utf8
    Buffer.from(namespace, 'utf8'),
    // Stryker disable next-line StringLiteral: equivalent, Buffer.from with an empty encoding name reads the string as utf8
    ...(generation === undefined ? [] : [Buffer.from(`\n${generation}`, 'utf8')])
  ])

/** Seals `plaintext` for the entry stored under `generation` (its cache key) in `namespace`. */
export function sealEntry(
  plaintext: string,
  { key }: EntryKey,
  namespace: string,
  generation: string
): Buffer {
  const header = Buffer.concat([MAGIC, Buffer.from([FORMAT_VERSION])])
  const nonce = randomBytes(NONCE_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  cipher.setAAD(authenticatedData(header, namespace, generation))
  // Stryker disable next-line StringLiteral: equivalent, cipher.update with an empty encoding name reads the string as utf8
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return Buffer.concat([header, nonce, ciphertext, cipher.getAuthTag()])
}

/** Opens the entry stored under `generation` in `namespace`, or throws EntryOpenError. */
export function openEntry(
  entry: Buffer,
  entryKey: EntryKey,
  namespace: string,
  generation: string
): string {
  if (
    entry.length < HEADER_BYTES + NONCE_BYTES + TAG_BYTES ||
    !entry.subarray(0, MAGIC.length).equals(MAGIC)
  ) {
    throw new EntryOpenError('it is not an entry written by this action', 'format')
  }
  const version = entry[MAGIC.length]
  if (version !== FORMAT_VERSION && version !== LEGACY_FORMAT_VERSION) {
    throw new EntryOpenError(`its format version ${version} is not one this action reads`, 'format')
  }
  const header = entry.subarray(0, HEADER_BYTES)
  const aad = authenticatedData(
    header,
    namespace,
    version === FORMAT_VERSION ? generation : undefined
  )
  for (const key of [entryKey.key, ...(entryKey.fallbacks ?? [])]) {
    const opened = tryOpen(entry, key, aad)
    if (opened !== undefined) return opened
  }
  throw new EntryOpenError(
    'it does not decrypt with this key, or not under this cache key',
    'authentication'
  )
}

function tryOpen(entry: Buffer, key: Buffer, aad: Buffer): string | undefined {
  const nonce = entry.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES)
  const ciphertext = entry.subarray(HEADER_BYTES + NONCE_BYTES, entry.length - TAG_BYTES)
  const decipher = createDecipheriv('aes-256-gcm', key, nonce)
  decipher.setAAD(aad)
  decipher.setAuthTag(entry.subarray(entry.length - TAG_BYTES))
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')
  } catch /* Stryker disable next-line BlockStatement: equivalent, an empty catch falls through to the end of the function, which returns undefined too */ {
    return undefined
  }
}
