import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { parseAuthJson } from '../../src/auth/index.js'
import {
  EntryOpenError,
  deriveEntryKey,
  deriveSeedEntryKey,
  openEntry,
  sealEntry,
  type EntryKey
} from '../../src/storage/crypto.js'
import { authText } from './fixtures.js'

const key = deriveEntryKey('k'.repeat(40))
const plaintext = '{"tokens": {"refresh_token": "rt_secret_value"}}'
const NS = 'codex-auth'
const GEN = 'codex-auth-main-1795478991137'

function openError(
  entry: Buffer,
  entryKey: EntryKey = key,
  namespace = NS,
  generation = GEN
): EntryOpenError {
  try {
    openEntry(entry, entryKey, namespace, generation)
  } catch (error) {
    expect(error).toBeInstanceOf(EntryOpenError)
    return error as EntryOpenError
  }
  throw new Error('expected the entry not to open')
}

/**
 * A format 1 entry as the previous release wrote it, built here by hand: HKDF-SHA256 with that
 * release's salt and info, and the header and namespace (no generation) as authenticated data.
 */
function legacyEntry(text: string, material: string, source: 'encryption-key' | 'auth-json') {
  const legacyKey = Buffer.from(
    hkdfSync(
      'sha256',
      Buffer.from(material, 'utf8'),
      'codex-auth-action',
      `cache-entry/v1/${source}`,
      32
    )
  )
  const header = Buffer.from([0x43, 0x58, 0x41, 1])
  const nonce = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', legacyKey, nonce)
  cipher.setAAD(Buffer.concat([header, Buffer.from(NS, 'utf8')]))
  const ciphertext = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()])
  return Buffer.concat([header, nonce, ciphertext, cipher.getAuthTag()])
}

describe('sealed cache entries', () => {
  test('round trip', () => {
    expect(openEntry(sealEntry(plaintext, key, NS, GEN), key, NS, GEN)).toBe(plaintext)
  })

  test('a versioned header, a fresh nonce each time, and no plaintext inside', () => {
    const a = sealEntry(plaintext, key, NS, GEN)
    const b = sealEntry(plaintext, key, NS, GEN)
    expect(a.subarray(0, 4)).toEqual(Buffer.from([0x43, 0x58, 0x41, 2])) // "CXA" v2
    expect(a.equals(b)).toBe(false)
    expect(a.includes(Buffer.from('rt_secret_value'))).toBe(false)
    expect(a.length).toBe(4 + 12 + Buffer.byteLength(plaintext) + 16)
  })

  test('another key does not open it', () => {
    const other = deriveEntryKey('x'.repeat(40))
    expect(openError(sealEntry(plaintext, key, NS, GEN), other).reason).toBe('authentication')
  })

  test('the same material as an encryption-key and as an auth-json secret gives other keys', () => {
    const seed = parseAuthJson(authText())
    const material = 'k'.repeat(40)
    const fromSeed = deriveSeedEntryKey(seed, material)
    expect(fromSeed.source).toBe('auth-json')
    expect(key.source).toBe('encryption-key')
    expect(fromSeed.key.equals(key.key)).toBe(false)
    expect(fromSeed.fallbacks?.some(fallback => fallback.equals(key.key))).toBe(false)
  })

  test('the seed key depends on the session, not on how the secret is spelt', () => {
    const text = authText()
    const a = deriveSeedEntryKey(parseAuthJson(text), text)
    const base64 = Buffer.from(text).toString('base64')
    const b = deriveSeedEntryKey(parseAuthJson(text), `${base64}\n`)
    expect(a.key.equals(b.key)).toBe(true)
    const other = deriveSeedEntryKey(parseAuthJson(authText({ refreshToken: 'rt_other' })), text)
    expect(other.key.equals(a.key)).toBe(false)
  })

  test('an entry moved to another namespace does not open', () => {
    expect(openError(sealEntry(plaintext, key, NS, GEN), key, 'codex-auth-team2').reason).toBe(
      'authentication'
    )
  })

  test('an entry re-uploaded under another generation key does not open', () => {
    const entry = sealEntry(plaintext, key, NS, GEN)
    expect(openError(entry, key, NS, 'codex-auth-main-9999999999999').reason).toBe('authentication')
  })

  test('any flipped bit is detected', () => {
    const entry = sealEntry(plaintext, key, NS, GEN)
    for (const index of [5, 20, entry.length - 1]) {
      const tampered = Buffer.from(entry)
      tampered[index]! ^= 1
      expect(openError(tampered).reason).toBe('authentication')
    }
  })

  test('garbage and unknown versions are format errors', () => {
    expect(openError(Buffer.from('not an entry at all, clearly')).reason).toBe('format')
    expect(openError(Buffer.alloc(10)).reason).toBe('format')
    const future = sealEntry(plaintext, key, NS, GEN)
    future[3] = 3
    expect(openError(future).reason).toBe('format')
    expect(openError(future).message).toMatch(/format version 3/)
    const zero = sealEntry(plaintext, key, NS, GEN)
    zero[3] = 0
    expect(openError(zero).message).toMatch(/format version 0/)
  })

  test('the shortest possible entry (empty plaintext) opens; one byte less is a format error', () => {
    const empty = sealEntry('', key, NS, GEN)
    expect(empty.length).toBe(4 + 12 + 16)
    expect(openEntry(empty, key, NS, GEN)).toBe('')
    expect(openError(empty.subarray(0, empty.length - 1)).reason).toBe('format')
  })
})

describe('format 1 entries (previous release, no generation in the authenticated data)', () => {
  test('sealed with an encryption-key: still open, under any generation', () => {
    const entry = legacyEntry(plaintext, 'k'.repeat(40), 'encryption-key')
    expect(openEntry(entry, key, NS, GEN)).toBe(plaintext)
    expect(openEntry(entry, key, NS, 'any-other-generation')).toBe(plaintext)
  })

  test('sealed with the auth-json text: open with the seed key (its fallback)', () => {
    const text = authText()
    const entry = legacyEntry(plaintext, text, 'auth-json')
    // The previous release derived the key from the trimmed input text.
    expect(
      openEntry(entry, deriveSeedEntryKey(parseAuthJson(text), `\n  ${text}  \n`), NS, GEN)
    ).toBe(plaintext)
  })

  test('still bound to the namespace and the key', () => {
    const entry = legacyEntry(plaintext, 'k'.repeat(40), 'encryption-key')
    expect(openError(entry, key, 'codex-auth-team2').reason).toBe('authentication')
    expect(openError(entry, deriveEntryKey('x'.repeat(40))).reason).toBe('authentication')
  })

  test('a format 1 entry relabelled as format 2 does not open (the header is authenticated)', () => {
    const entry = legacyEntry(plaintext, 'k'.repeat(40), 'encryption-key')
    entry[3] = 2
    expect(openError(entry).reason).toBe('authentication')
  })

  test('a format 2 entry relabelled as format 1 does not open (dropping the generation)', () => {
    const entry = sealEntry(plaintext, key, NS, GEN)
    entry[3] = 1
    expect(openError(entry).reason).toBe('authentication')
  })
})

describe('derived keys are pinned', () => {
  // These bytes are what every stored entry is sealed with. If a change to the salt, an info
  // string or the key material makes one of these fail, that change orphans every stored entry:
  // keep the old derivation as a fallback instead of updating the expected value.
  const fixed = JSON.stringify({
    tokens: {
      id_token: 'e30.e30.sig',
      access_token: 'at_fixed',
      refresh_token: 'rt_fixed',
      account_id: 'acct_1'
    },
    last_refresh: '2026-11-24T00:09:51.137314582Z'
  })

  test('encryption-key', () => {
    expect(deriveEntryKey('k'.repeat(40)).key.toString('hex')).toBe(
      'df40bc6f711cb9eb42304748d910c017a429c6cc32453807d57470094c1c04be'
    )
  })

  test('auth-json seed: the session key and the previous release key', () => {
    const derived = deriveSeedEntryKey(parseAuthJson(fixed), `  ${fixed}\n`)
    expect(derived.key.toString('hex')).toBe(
      '349c6b621f4f1ae4d908286b5f8407df108210b6d9af5efcd30ebbc8b178e2e6'
    )
    expect(derived.fallbacks?.map(fallback => fallback.toString('hex'))).toEqual([
      '3cfeb7fb26c103156d3dd0cb18d0b2edf43e225ceb8ec06606a68445915367ca'
    ])
  })
})
