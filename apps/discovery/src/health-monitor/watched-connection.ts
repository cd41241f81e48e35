import type { Cause, ConnectionEvent, Status } from '@clp/contracts';

/** What the monitor keeps of a connection: enough to probe it and to decide, nothing more. */
export interface WatchedConnection {
  connection_id: string;
  organization_id: string;
  kind: string;
  status: Status;
  disconnected_by?: Cause;
  metadata: Record<string, unknown>;
  credential_id: string | null;
}

/**
 * The monitor's view of one connection after an event of `CONNECTION_EVENTS`; `undefined` once it
 * is deleted (or before it is known), so memory follows the number of live connections.
 */
export const evolveWatched = (current: WatchedConnection | undefined, event: ConnectionEvent): WatchedConnection | undefined => {
  switch (event.type) {
    case 'ConnectionDiscovered':
    case 'ConnectionRegistered': {
      const { connection_id, organization_id, kind, metadata, credential_id } = event.data;
      const status = event.type === 'ConnectionDiscovered' ? 'discovered' : event.data.status;
      return { connection_id, organization_id, kind, status, metadata, credential_id };
    }
    case 'StatusChanged':
      if (!current || event.data.to === 'deleted') return undefined;
      return { ...current, status: event.data.to, disconnected_by: event.data.to === 'disconnected' ? event.data.cause : undefined };
    case 'ConnectionUpdated': {
      if (!current) return undefined;
      const { metadata, credential_id } = event.data.changes;
      return {
        ...current,
        ...(metadata !== undefined ? { metadata } : {}),
        ...(credential_id !== undefined ? { credential_id } : {}),
      };
    }
    case 'MeshSyncModeChanged':
      return current;
    case 'ConnectionDeleted':
      return undefined;
    default: {
      const unhandled: never = event;
      throw new Error(`unknown event ${(unhandled as { type: string }).type}`);
    }
  }
};
