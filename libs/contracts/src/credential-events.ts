import type { DomainEvent } from './metadata';

/**
 * Credential events carry metadata only: the names of the secret fields, never their values.
 * The encrypted secret lives in the registry's credential vault (design.md §8).
 */
export interface CredentialDescriptor {
  credential_id: string;
  organization_id: string;
  name: string;
  /** The connection kind whose credential form it fills, e.g. `kubernetes`. */
  kind: string;
  secret_fields: string[];
  owner: string;
}

export type CredentialCreated = DomainEvent<'CredentialCreated', CredentialDescriptor>;
export type CredentialUpdated = DomainEvent<
  'CredentialUpdated',
  { credential_id: string; organization_id: string; name?: string; secret_fields?: string[]; rotated: boolean }
>;
export type CredentialDeleted = DomainEvent<'CredentialDeleted', { credential_id: string; organization_id: string }>;

export type CredentialEvent = CredentialCreated | CredentialUpdated | CredentialDeleted;
