/** Registering every credential with the runner's log masker before anything can print it. */
import * as core from '@actions/core'
import { secretInputForms, sessionSecrets, type Session } from './auth/index.js'
import type { Config } from './inputs.js'

/** The secret inputs: auth-json in every form it could be printed in, the keys and the token. */
export function maskSecretInputs(config: Config): void {
  const secrets = [
    ...(config.authJson === undefined ? [] : secretInputForms(config.authJson)),
    config.encryptionKey ?? '',
    config.githubToken
  ]
  secrets.filter(secret => secret !== '').forEach(secret => core.setSecret(secret))
}

export function maskSession(session: Session | undefined): void {
  if (session !== undefined) sessionSecrets(session).forEach(secret => core.setSecret(secret))
}
