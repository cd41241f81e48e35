import type { ConnectionDefinition, ConnectionView, CredentialView, Role } from '@clp/contracts';
import { ApiError } from './api';
import { credentialMethods, type CredentialMethod } from './registration';

/** Only admins manage credentials (docs/gateway.md); others read them. */
export const canManageCredentials = (role: Role): boolean => role === 'admin';

/**
 * The kinds a credential can be made for: those whose credential schema names at least one way to
 * authenticate (the registration's own forms, `credentialMethods`), sorted.
 */
export const credentialKinds = (definitions: Iterable<ConnectionDefinition>): { kind: string; methods: CredentialMethod[] }[] =>
  [...definitions]
    .map((definition) => ({ kind: definition.kind, methods: credentialMethods(definition).methods }))
    .filter((entry) => entry.methods.length > 0)
    .sort((a, b) => a.kind.localeCompare(b.kind));

/** The secret a credential form's answer is: filled string fields only (a blank field is not sent). */
export const secretOf = (data: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(data).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));

/** `POST /api/integrations/credentials`. */
export const createCredentialBody = (name: string, kind: string, data: Record<string, unknown>) => ({ name: name.trim(), kind, secret: secretOf(data) });

/** `PUT /api/integrations/credentials/{id}`: a new secret rotates it (and a new name renames it). */
export const rotateCredentialBody = (credential: Pick<CredentialView, 'name'>, name: string, data: Record<string, unknown>) => ({
  ...(name.trim() && name.trim() !== credential.name ? { name: name.trim() } : {}),
  secret: secretOf(data),
});

/** The connections a refused delete names: a 409 `conflict` with `details.connection_ids`, else none. */
export const connectionsInUse = (error: unknown): string[] | null => {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const ids = error.details.connection_ids;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : null;
};

/**
 * Which connections use each credential: the API has no filter by credential, so the UI reads the
 * organization's connections (a page at a time) and groups them by `credential_id`.
 */
export const usersByCredential = (connections: Iterable<Pick<ConnectionView, 'id' | 'name' | 'credential_id'>>): Map<string, { id: string; name: string }[]> => {
  const users = new Map<string, { id: string; name: string }[]>();
  for (const { id, name, credential_id } of connections) {
    if (!credential_id) continue;
    users.set(credential_id, [...(users.get(credential_id) ?? []), { id, name }].sort((a, b) => a.name.localeCompare(b.name)));
  }
  return users;
};

/** The way a stored credential authenticates, from its secret field names: the first whose required fields it all has. */
export const methodOf = (methods: CredentialMethod[], secretFields: string[]): CredentialMethod | undefined =>
  methods.find((method) => ((method.form.schema.required as string[] | undefined) ?? []).every((field) => secretFields.includes(field))) ?? methods[0];
