/** Registering every credential with the runner's log masker before anything can print it. */
import * as core from '@actions/core'
import { secretInputForms, sessionSecrets, type Session } from './auth/index.js'

export function maskSecretInput(input: string | undefined): void {
  if (input !== undefined) secretInputForms(input).forEach(form => core.setSecret(form))
}

export function maskSession(session: Session | undefined): void {
  if (session !== undefined) sessionSecrets(session).forEach(secret => core.setSecret(secret))
}
