export { AuthFileError, parseAuthJson, parseAuthSecret, secretInputForms } from './parse.js'
export {
  CLOCK_SKEW_MS,
  compareSessions,
  isFromTheFuture,
  isNewer,
  refreshDueAt,
  refreshReason,
  refreshedBefore,
  sessionAccount,
  sessionSecrets,
  willCodexRefresh,
  type Session
} from './session.js'
export { decodeJwtPayload, jwtExpiry } from './jwt.js'
export { redactForms, tokenForms } from './token-forms.js'
export {
  bundleValidity,
  consumerBundle,
  forcedRefreshCopy,
  isConsumerBundle,
  parseConsumerBundle,
  parseConsumerSecret,
  parseStoredItem,
  refreshAheadPlan,
  type BundleValidity
} from './consumer.js'
export { formatDuration, parseDuration } from './duration.js'
