import { createHash } from 'node:crypto';
import { parse as parseUuid, v5 as uuidv5 } from 'uuid';
import type { KindDefinition } from './definitions';

/**
 * One spelling per address: lower-case scheme and host, no default port, no credentials, no
 * trailing slash, no query or fragment. `HTTP://Prom:80/` and `http://prom` are one resource.
 */
export const normalizeUrl = (value: string): string => {
  const parsed = new URL(value);
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  const path = parsed.pathname.replace(/\/+$/, '');
  return `${parsed.protocol}//${parsed.host}${path}`;
};

const looksLikeUrl = (value: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(value);

/** The normalized identity fields of a resource of this kind; absent fields are empty. */
export const identityOf = (definition: KindDefinition, metadata: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    definition.identity.map((field) => {
      const raw = metadata[field];
      const value = typeof raw === 'string' ? raw.trim() : raw === undefined || raw === null ? '' : String(raw);
      return [field, looksLikeUrl(value) ? normalizeUrl(value) : value];
    }),
  );

/** Hash of (organization, kind, identity) (design.md §6.3): two organizations get two connections. */
export const fingerprintOf = (organizationId: string, kind: string, identity: Record<string, string>): string =>
  createHash('sha256')
    .update(JSON.stringify([organizationId, kind, Object.entries(identity).sort(([a], [b]) => a.localeCompare(b))]))
    .digest('hex');

// Namespace of connection ids derived from fingerprints.
const CONNECTION_ID_NAMESPACE = parseUuid('3d2f8a61-7c4e-5b90-9e1a-2f6d8c0b4a73');
const utf8 = new TextEncoder();

/**
 * The id of the `generation`th connection of a resource: the first is generation 0; each
 * deletion makes way for the next. Replicas that find the same resource compute the same id, so
 * the event store's optimistic concurrency on that one stream keeps it unique (design.md §6.3).
 */
export const connectionIdOf = (fingerprint: string, generation: number): string =>
  // Bytes in, as the parsed namespace: uuid would otherwise convert both on every call.
  uuidv5(utf8.encode(`${fingerprint}/${generation}`), CONNECTION_ID_NAMESPACE);

/** What a connection of this kind is, apart from its id and credential: its kind's facts, its form and its identity. */
export interface Resource {
  organization_id: string;
  kind: string;
  type: string;
  sub_type: string;
  name: string;
  fingerprint: string;
  identity: Record<string, string>;
  metadata: Record<string, unknown>;
}

export const resourceOf = (definition: KindDefinition, organization_id: string, name: string, metadata: Record<string, unknown>): Resource => {
  const identity = identityOf(definition, metadata);
  return {
    organization_id,
    kind: definition.kind,
    type: definition.type,
    sub_type: definition.sub_type,
    name,
    fingerprint: fingerprintOf(organization_id, definition.kind, identity),
    identity,
    metadata,
  };
};
