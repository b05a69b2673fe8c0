export { AuthFileError, parseAuthJson, parseAuthSecret, secretInputForms } from './parse.js'
export {
  compareSessions,
  isNewer,
  sessionSecrets,
  willCodexRefresh,
  type Session
} from './session.js'
export { decodeJwtPayload, jwtExpiry } from './jwt.js'
