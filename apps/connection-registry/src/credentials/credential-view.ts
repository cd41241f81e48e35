import type { CredentialDescriptor, CredentialView } from '@clp/contracts';
/** A credential as the API shows it: its id as `id`, as Meshery's clients read it (the events keep `credential_id`). */
export const credentialViewOf = ({ credential_id, ...descriptor }: CredentialDescriptor, created_at: string, updated_at: string): CredentialView => ({
  id: credential_id,
  ...descriptor,
  created_at,
  updated_at,
});
