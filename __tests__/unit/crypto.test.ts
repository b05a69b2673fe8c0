import { EntryOpenError, deriveEntryKey, openEntry, sealEntry } from '../../src/storage/crypto.js'

const key = deriveEntryKey('k'.repeat(40), 'encryption-key')
const plaintext = '{"tokens": {"refresh_token": "rt_secret_value"}}'

function openError(entry: Buffer, entryKey = key, namespace = 'codex-auth'): EntryOpenError {
  try {
    openEntry(entry, entryKey, namespace)
  } catch (error) {
    expect(error).toBeInstanceOf(EntryOpenError)
    return error as EntryOpenError
  }
  throw new Error('expected the entry not to open')
}

describe('sealed cache entries', () => {
  test('round trip', () => {
    expect(openEntry(sealEntry(plaintext, key, 'codex-auth'), key, 'codex-auth')).toBe(plaintext)
  })

  test('a versioned header, a fresh nonce each time, and no plaintext inside', () => {
    const a = sealEntry(plaintext, key, 'codex-auth')
    const b = sealEntry(plaintext, key, 'codex-auth')
    expect(a.subarray(0, 4)).toEqual(Buffer.from([0x43, 0x58, 0x41, 1])) // "CXA" v1
    expect(a.equals(b)).toBe(false)
    expect(a.includes(Buffer.from('rt_secret_value'))).toBe(false)
    expect(a.length).toBe(4 + 12 + Buffer.byteLength(plaintext) + 16)
  })

  test('another key does not open it', () => {
    const other = deriveEntryKey('x'.repeat(40), 'encryption-key')
    expect(openError(sealEntry(plaintext, key, 'codex-auth'), other).reason).toBe('authentication')
  })

  test('the same material under the other source gives another key', () => {
    const derived = deriveEntryKey('k'.repeat(40), 'auth-json')
    expect(derived.key.equals(key.key)).toBe(false)
  })

  test('an entry moved to another namespace does not open', () => {
    expect(openError(sealEntry(plaintext, key, 'codex-auth'), key, 'codex-auth-team2').reason).toBe(
      'authentication'
    )
  })

  test('any flipped bit is detected', () => {
    const entry = sealEntry(plaintext, key, 'codex-auth')
    for (const index of [5, 20, entry.length - 1]) {
      const tampered = Buffer.from(entry)
      tampered[index]! ^= 1
      expect(openError(tampered).reason).toBe('authentication')
    }
  })

  test('garbage and unknown versions are format errors', () => {
    expect(openError(Buffer.from('not an entry at all, clearly')).reason).toBe('format')
    expect(openError(Buffer.alloc(10)).reason).toBe('format')
    const future = sealEntry(plaintext, key, 'codex-auth')
    future[3] = 2
    expect(openError(future).message).toMatch(/format version 2/)
  })
})
