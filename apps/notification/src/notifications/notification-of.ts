import type {
  AnyIntegrationEvent,
  ConnectionEvent,
  EnvironmentEvent,
  IntegrationEvent,
  Notification,
  Severity,
  Status,
  StatusChanged,
  WorkspaceEvent,
} from '@clp/contracts';

/** A notification before the store gives it its status and its place in the feed. */
export type NewNotification = Omit<Notification, 'status'>;

/**
 * The severity of a status change (design.md §9): what the system did to a connection is more
 * serious than what a person asked for, and losing a connection more than any other change.
 */
export const severityOf = (to: Status, cause: StatusChanged['data']['cause']): Severity => {
  switch (to) {
    case 'connected':
      return 'success';
    case 'disconnected':
      return cause === 'system' ? 'error' : 'informational';
    case 'not found':
      return cause === 'system' ? 'error' : 'warning';
    case 'deleted':
      return cause === 'system' ? 'warning' : 'informational';
    case 'maintenance':
    case 'ignored':
    case 'registered':
    case 'discovered':
      return 'informational';
    default: {
      const unhandled: never = to;
      throw new Error(`no severity for ${String(unhandled)}`);
    }
  }
};

const base = (event: AnyIntegrationEvent, organizationId: string) => ({
  id: event.metadata.event_id,
  organization_id: organizationId,
  created_at: event.metadata.occurred_at,
});

const trace = (event: AnyIntegrationEvent) => ({
  event_type: event.type,
  event_id: event.metadata.event_id,
  correlation_id: event.metadata.correlation_id,
  actor: event.metadata.actor,
});

const fromConnection = (event: IntegrationEvent<ConnectionEvent>): NewNotification | null => {
  switch (event.type) {
    case 'StatusChanged': {
      const d = event.data;
      const reason = d.reason ? `: ${d.reason}` : '';
      return {
        ...base(event, d.organization_id),
        category: 'connection',
        action: d.to === 'deleted' ? 'deleted' : 'status_changed',
        severity: severityOf(d.to, d.cause),
        description: `${d.kind} connection "${d.name}" went from ${d.from} to ${d.to}${reason}`,
        acted_upon: d.connection_id,
        metadata: {
          from: d.from,
          to: d.to,
          cause: d.cause,
          reason: d.reason,
          kind: d.kind,
          name: d.name,
          ...(d.probe ? { probe: { ok: d.probe.ok, check: d.probe.check, ...(d.probe.error ? { error: d.probe.error } : {}) } } : {}),
          ...trace(event),
        },
      };
    }
    case 'ConnectionDiscovered': {
      const d = event.data;
      return {
        ...base(event, d.organization_id),
        category: 'connection',
        action: 'discovered',
        severity: 'informational',
        description: `${d.kind} connection "${d.name}" was discovered (${d.source})`,
        acted_upon: d.connection_id,
        metadata: { to: 'discovered', kind: d.kind, name: d.name, source: d.source, ...trace(event) },
      };
    }
    case 'ConnectionRegistered': {
      const d = event.data;
      const failed = d.status === 'not found';
      return {
        ...base(event, d.organization_id),
        category: 'connection',
        action: 'registered',
        severity: failed ? 'warning' : 'success',
        description: `${d.kind} connection "${d.name}" was registered as ${d.status}${failed && d.probe?.error ? `: ${d.probe.error}` : ''}`,
        acted_upon: d.connection_id,
        metadata: { to: d.status, kind: d.kind, name: d.name, ...trace(event) },
      };
    }
    case 'MeshSyncModeChanged': {
      const d = event.data;
      return {
        ...base(event, d.organization_id),
        category: 'connection',
        action: 'meshsync_mode_changed',
        severity: 'informational',
        description: `${d.kind} connection "${d.name}": MeshSync deployment mode changed from ${d.from} to ${d.to}`,
        acted_upon: d.connection_id,
        metadata: { from: d.from, to: d.to, kind: d.kind, name: d.name, ...trace(event) },
      };
    }
    // The StatusChanged to `deleted` of the same decision is the deletion's notification, and
    // an update is no lifecycle change: neither makes one of its own.
    case 'ConnectionDeleted':
    case 'ConnectionUpdated':
      return null;
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled connection event ${(unhandled as { type: string }).type}`);
    }
  }
};

const ENVIRONMENT_ACTIONS: Record<EnvironmentEvent['type'] | WorkspaceEvent['type'], string> = {
  EnvironmentCreated: 'created',
  EnvironmentUpdated: 'updated',
  EnvironmentArchived: 'archived',
  EnvironmentRestored: 'restored',
  EnvironmentDeleted: 'deleted',
  EnvironmentRecovered: 'recovered',
  EnvironmentPurged: 'purged',
  ConnectionAssigned: 'connection_assigned',
  ConnectionUnassigned: 'connection_unassigned',
  WorkspaceCreated: 'created',
  WorkspaceUpdated: 'updated',
  WorkspaceDeleted: 'deleted',
  EnvironmentLinked: 'environment_linked',
  EnvironmentUnlinked: 'environment_unlinked',
};

export const ENVIRONMENT_EVENT_TYPES = Object.keys(ENVIRONMENT_ACTIONS);

const fromEnvironment = (event: IntegrationEvent<EnvironmentEvent | WorkspaceEvent>): NewNotification => {
  const data = event.data as { organization_id: string; environment_id?: string; workspace_id?: string; connection_id?: string; name?: string; reason?: string };
  const workspace = 'workspace_id' in data && data.workspace_id !== undefined;
  const subject = workspace ? `workspace ${data.workspace_id}` : `environment ${data.environment_id}`;
  const action = ENVIRONMENT_ACTIONS[event.type];
  const detail = data.connection_id ? ` (connection ${data.connection_id}${data.reason ? `, ${data.reason}` : ''})` : data.name ? ` ("${data.name}")` : '';
  return {
    ...base(event, data.organization_id),
    category: workspace ? 'workspace' : 'environment',
    action,
    severity: 'informational',
    description: `${subject}: ${action.replace(/_/g, ' ')}${detail}`,
    acted_upon: (workspace ? data.workspace_id : data.environment_id) as string,
    metadata: {
      ...(data.connection_id ? { connection_id: data.connection_id } : {}),
      ...(data.reason ? { reason: data.reason } : {}),
      ...(workspace && data.environment_id ? { environment_id: data.environment_id } : {}),
      ...trace(event),
    },
  };
};

const isConnectionEvent = (event: AnyIntegrationEvent): event is IntegrationEvent<ConnectionEvent> => !(event.type in ENVIRONMENT_ACTIONS);

/** The one notification an integration event makes, or null for an event that tells people nothing. */
export const notificationOf = (event: AnyIntegrationEvent): NewNotification | null =>
  isConnectionEvent(event) ? fromConnection(event) : fromEnvironment(event as IntegrationEvent<EnvironmentEvent | WorkspaceEvent>);
