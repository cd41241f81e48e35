import type { ConnectionEvent, EnvironmentEvent, WorkspaceEvent } from '@clp/contracts';

/**
 * What apply-events.lua receives for one event: ids, the document fields it sets as JSON text
 * (`f`), and the lower-case texts the name and search indexes keep. Redis 7.0's Lua cannot tell
 * an empty JSON array from an empty object, so documents are never decoded there: each field is
 * stored as the JSON text it shows in the API, and a document is assembled from them.
 */
export interface EncodedEvent {
  position: string;
  type: string;
  at: string;
  at_ms: number;
  org: string;
  env?: string;
  ws?: string;
  conn?: string;
  f?: Record<string, string>;
  /** Lower-case name, for search and name order. */
  name?: string;
  /** Lower-case description (environments, workspaces) or address (connections), for search. */
  text?: string;
  /** Connections: lower-case kind, type and sub-type, for search. */
  fixed?: string;
  /** Connections: the status a StatusChanged moves to. */
  to?: string;
  /** Why the event could not be encoded: the script records it as a dead letter. */
  poison?: string;
}

const fields = (values: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined).map(([k, v]) => [k, JSON.stringify(v)]));

const lower = (value: unknown): string | undefined => (typeof value === 'string' ? value.toLowerCase() : undefined);

const addressOf = (metadata: Record<string, unknown> | undefined): string | undefined => {
  if (!metadata) return undefined;
  return ['url', 'server', 'server_location'].map((field) => metadata[field]).filter((v): v is string => typeof v === 'string').join(' ').toLowerCase();
};

export const encodeStoreEvent = (event: EnvironmentEvent | WorkspaceEvent, position: string, at: string): EncodedEvent => {
  const base = { position, type: event.type, at, at_ms: Date.parse(at), org: event.data.organization_id };
  switch (event.type) {
    case 'EnvironmentCreated': {
      // The document shows the API's `id` first, where the event says `environment_id`.
      const { environment_id, ...rest } = event.data;
      return { ...base, env: environment_id, f: fields({ id: environment_id, ...rest, status: 'active', deleted_at: null }), name: lower(event.data.name), text: lower(event.data.description) };
    }
    case 'EnvironmentUpdated':
      return { ...base, env: event.data.environment_id, f: fields(event.data.changes), name: lower(event.data.changes.name), text: lower(event.data.changes.description) };
    case 'EnvironmentArchived':
      return { ...base, env: event.data.environment_id, f: fields({ status: 'archived' }) };
    case 'EnvironmentRestored':
      return { ...base, env: event.data.environment_id, f: fields({ status: 'active' }) };
    case 'EnvironmentDeleted':
      // Without deleted_at (stored before soft deletion) it was final: the document goes.
      return { ...base, env: event.data.environment_id, ...(event.data.deleted_at ? { f: fields({ status: 'deleted', deleted_at: event.data.deleted_at }) } : {}) };
    case 'EnvironmentRecovered':
      return { ...base, env: event.data.environment_id, f: fields({ status: 'active', deleted_at: null }) };
    case 'EnvironmentPurged':
      return { ...base, env: event.data.environment_id };
    case 'ConnectionAssigned':
    case 'ConnectionUnassigned':
      return { ...base, env: event.data.environment_id, conn: event.data.connection_id };
    case 'WorkspaceCreated': {
      const { workspace_id, ...rest } = event.data;
      return { ...base, ws: workspace_id, f: fields({ id: workspace_id, ...rest, metadata: rest.metadata ?? {} }), name: lower(event.data.name), text: lower(event.data.description) };
    }
    case 'WorkspaceUpdated':
      return { ...base, ws: event.data.workspace_id, f: fields(event.data.changes), name: lower(event.data.changes.name), text: lower(event.data.changes.description) };
    case 'WorkspaceDeleted':
      return { ...base, ws: event.data.workspace_id };
    case 'EnvironmentLinked':
    case 'EnvironmentUnlinked':
      return { ...base, ws: event.data.workspace_id, env: event.data.environment_id };
  }
};

/**
 * A connection event of `CONNECTION_EVENTS`; its position is its sequence there, zero-padded.
 * `userId`: who registered it (null for the system's discoveries), as the registry shows it.
 */
export const encodeConnectionEvent = (event: ConnectionEvent, seq: number, at: string, userId: string | null = null): EncodedEvent => {
  const base = { position: String(seq).padStart(20, '0'), type: event.type, at, at_ms: Date.parse(at), org: event.data.organization_id, conn: event.data.connection_id };
  switch (event.type) {
    case 'ConnectionDiscovered':
    case 'ConnectionRegistered': {
      const d = event.data;
      const view = {
        id: d.connection_id,
        organization_id: d.organization_id,
        kind: d.kind,
        type: d.type,
        sub_type: d.sub_type,
        name: d.name,
        fingerprint: d.fingerprint,
        metadata: d.metadata,
        credential_id: d.credential_id,
        status: event.type === 'ConnectionRegistered' ? event.data.status : 'discovered',
        user_id: userId,
        tags: d.tags ?? [],
        deleted_at: null,
      };
      return { ...base, f: fields(view), name: lower(d.name), text: addressOf(d.metadata), fixed: [d.kind, d.type, d.sub_type].join(' ').toLowerCase() };
    }
    case 'StatusChanged':
      return { ...base, f: fields({ status: event.data.to }), to: event.data.to };
    case 'ConnectionUpdated':
      return { ...base, f: fields(event.data.changes), name: lower(event.data.changes.name), text: addressOf(event.data.changes.metadata) };
    case 'MeshSyncModeChanged':
    case 'ConnectionDeleted':
      return base;
  }
};
