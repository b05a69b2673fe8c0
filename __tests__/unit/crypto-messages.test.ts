/** What a sealed entry that does not open says, and which input its key names. */
import {
  EntryOpenError,
  deriveEntryKey,
  openEntry,
  sealEntry,
  type EntryKey
} from '../../src/storage/crypto.js'

const NS = 'codex-auth'
const GEN = 'codex-auth-main-1795478991137'

function openError(entry: Buffer, key: EntryKey): EntryOpenError {
  try {
    openEntry(entry, key, NS, GEN)
  } catch (error) {
    expect(error).toBeInstanceOf(EntryOpenError)
    return error as EntryOpenError
  }
  throw new Error('expected the entry not to open')
}

describe('entries that do not open', () => {
  test('the key from encryption-key says so (warnings name the input)', () => {
    expect(deriveEntryKey('k'.repeat(40)).source).toBe('encryption-key')
  })

  test('not an entry of this action: a format error, in words', () => {
    const error = openError(Buffer.from('CXB'.padEnd(40, '\0')), deriveEntryKey('k'.repeat(40)))
    expect(error.name).toBe('EntryOpenError')
    expect(error.reason).toBe('format')
    expect(error.message).toBe('it is not an entry written by this action')
  })

  test('another key: an authentication error, in words', () => {
    const entry = sealEntry('{}', deriveEntryKey('k'.repeat(40)), NS, GEN)
    const error = openError(entry, deriveEntryKey('x'.repeat(40)))
    expect(error.name).toBe('EntryOpenError')
    expect(error.reason).toBe('authentication')
    expect(error.message).toBe('it does not decrypt with this key, or not under this cache key')
  })

  test('text beyond ASCII round-trips unchanged', () => {
    const key = deriveEntryKey('k'.repeat(40))
    const text = '{"name": "Zoë ✓ 😀"}'
    const entry = sealEntry(text, key, NS, GEN)
    expect(entry.length).toBe(4 + 12 + Buffer.byteLength(text, 'utf8') + 16)
    expect(openEntry(entry, key, NS, GEN)).toBe(text)
  })
})
