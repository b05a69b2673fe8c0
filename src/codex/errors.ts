/** Providing Codex failed: the message names what was tried and how to fix it. */
import { ActionError } from '../errors.js'
export class InstallError extends ActionError {}
