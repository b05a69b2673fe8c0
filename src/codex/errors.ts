/** Providing Codex failed: the message names what was tried and how to fix it. */
export class InstallError extends Error {
  override name = 'InstallError'
}
