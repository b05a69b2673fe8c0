/**
 * Errors written for the user: the message names the problem and the fix. Anything else that
 * reaches the top of a step is a bug or an environment failure, and is reported as unexpected.
 */
export class ActionError extends Error {
  override name = this.constructor.name
}
