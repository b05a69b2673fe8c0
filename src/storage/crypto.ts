/**
 * Encryption at rest for stored sessions: the Actions cache is readable from pull requests, forks
 * included, so an entry is sealed with AES-256-GCM (confidential and authenticated).
 *
 * Entry layout: "CXA" | version (1) | nonce (12) | ciphertext | tag (16).
 * The header and the cache-key namespace are authenticated data: an entry moved to another
 * namespace, or with a flipped header bit, does not open.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const MAGIC = Buffer.from('CXA')
const FORMAT_VERSION = 1
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

/**
 * The AES-256 key: HKDF-SHA256 over the encryption-key input, or over the auth-json secret when
 * there is no encryption-key (both are secrets the workflow already holds).
 */
export function deriveEntryKey(material: string, source: KeySource): EntryKey {
  const key = hkdfSync(
    'sha256',
    Buffer.from(material, 'utf8'),
    'codex-auth-action',
    `cache-entry/v1/${source}`,
    32
  )
  return { key: Buffer.from(key), source }
}

export function sealEntry(plaintext: string, { key }: EntryKey, namespace: string): Buffer {
  const header = Buffer.concat([MAGIC, Buffer.from([FORMAT_VERSION])])
  const nonce = randomBytes(NONCE_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  cipher.setAAD(Buffer.concat([header, Buffer.from(namespace, 'utf8')]))
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return Buffer.concat([header, nonce, ciphertext, cipher.getAuthTag()])
}

export function openEntry(entry: Buffer, { key }: EntryKey, namespace: string): string {
  if (
    entry.length < HEADER_BYTES + NONCE_BYTES + TAG_BYTES ||
    !entry.subarray(0, MAGIC.length).equals(MAGIC)
  ) {
    throw new EntryOpenError('it is not an entry written by this action', 'format')
  }
  const version = entry[MAGIC.length]
  if (version !== FORMAT_VERSION) {
    throw new EntryOpenError(`its format version ${version} is not one this action reads`, 'format')
  }
  const header = entry.subarray(0, HEADER_BYTES)
  const nonce = entry.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES)
  const ciphertext = entry.subarray(HEADER_BYTES + NONCE_BYTES, entry.length - TAG_BYTES)
  const decipher = createDecipheriv('aes-256-gcm', key, nonce)
  decipher.setAAD(Buffer.concat([header, Buffer.from(namespace, 'utf8')]))
  decipher.setAuthTag(entry.subarray(entry.length - TAG_BYTES))
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')
  } catch {
    throw new EntryOpenError('it does not decrypt with this key', 'authentication')
  }
}
