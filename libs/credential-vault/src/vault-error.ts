/**
 * Why a secret could not be sealed, stored or opened. Its message names the credential and the
 * reason only: never a secret value and never key material, so it is safe to log and to reply with.
 */
export class VaultError extends Error {
  override readonly name = 'VaultError';
}
