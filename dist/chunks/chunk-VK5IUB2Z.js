import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/storage/crypto.ts
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
var MAGIC = Buffer.from("CXA");
var FORMAT_VERSION = 2;
var LEGACY_FORMAT_VERSION = 1;
var NONCE_BYTES = 12;
var TAG_BYTES = 16;
var HEADER_BYTES = MAGIC.length + 1;
var MIN_ENCRYPTION_KEY_LENGTH = 32;
var EntryOpenError = class extends Error {
  constructor(message, reason) {
    super(message);
    this.reason = reason;
  }
  reason;
  name = "EntryOpenError";
};
var HKDF_SALT = "codex-auth-action";
function hkdf(material, info) {
  return Buffer.from(hkdfSync("sha256", Buffer.from(material, "utf8"), HKDF_SALT, info, 32));
}
function deriveEntryKey(encryptionKey) {
  return { key: hkdf(encryptionKey, "cache-entry/v1/encryption-key"), source: "encryption-key" };
}
function deriveSeedEntryKey(seed, rawSecret) {
  const { id_token, access_token, refresh_token, account_id } = seed.file.tokens;
  const material = JSON.stringify([
    id_token,
    access_token,
    refresh_token,
    account_id,
    seed.lastRefresh
  ]);
  return {
    key: hkdf(material, "cache-entry/v2/auth-json-session"),
    source: "auth-json",
    fallbacks: [hkdf(rawSecret.trim(), "cache-entry/v1/auth-json")]
  };
}
var authenticatedData = (header, namespace, generation) => Buffer.concat([
  header,
  // Stryker disable next-line StringLiteral: equivalent, Buffer.from with an empty encoding name reads the string as utf8
  Buffer.from(namespace, "utf8"),
  // Stryker disable next-line StringLiteral: equivalent, Buffer.from with an empty encoding name reads the string as utf8
  ...generation === void 0 ? [] : [Buffer.from(`
${generation}`, "utf8")]
]);
function sealEntry(plaintext, { key }, namespace, generation) {
  const header = Buffer.concat([MAGIC, Buffer.from([FORMAT_VERSION])]);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(authenticatedData(header, namespace, generation));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([header, nonce, ciphertext, cipher.getAuthTag()]);
}
function openEntry(entry, entryKey, namespace, generation) {
  if (entry.length < HEADER_BYTES + NONCE_BYTES + TAG_BYTES || !entry.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new EntryOpenError("it is not an entry written by this action", "format");
  }
  const version = entry[MAGIC.length];
  if (version !== FORMAT_VERSION && version !== LEGACY_FORMAT_VERSION) {
    throw new EntryOpenError(`its format version ${version} is not one this action reads`, "format");
  }
  const header = entry.subarray(0, HEADER_BYTES);
  const aad = authenticatedData(
    header,
    namespace,
    version === FORMAT_VERSION ? generation : void 0
  );
  for (const key of [entryKey.key, ...entryKey.fallbacks ?? []]) {
    const opened = tryOpen(entry, key, aad);
    if (opened !== void 0) return opened;
  }
  throw new EntryOpenError(
    "it does not decrypt with this key, or not under this cache key",
    "authentication"
  );
}
function tryOpen(entry, key, aad) {
  const nonce = entry.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
  const ciphertext = entry.subarray(HEADER_BYTES + NONCE_BYTES, entry.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAAD(aad);
  decipher.setAuthTag(entry.subarray(entry.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    return void 0;
  }
}

// src/platform/durations.ts
function describeDuration(ms) {
  const minutes = Math.max(1, Math.round(ms / 6e4));
  const hours = Math.round(ms / 36e5);
  const [count, unit] = minutes < 60 ? [minutes, "minute"] : hours < 48 ? [hours, "hour"] : [Math.round(hours / 24), "day"];
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

// src/platform/retry.ts
import { setTimeout as sleepFor } from "node:timers/promises";
async function retry(work, options) {
  const { attempts, baseDelayMs, onRetry, retryable = () => true, sleep = sleepFor } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      const delay = Math.round(baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
      onRetry?.(attempt, delay, error);
      await sleep(delay);
    }
  }
}

export {
  MIN_ENCRYPTION_KEY_LENGTH,
  EntryOpenError,
  deriveEntryKey,
  deriveSeedEntryKey,
  sealEntry,
  openEntry,
  describeDuration,
  retry
};
