import {
  ReplyError,
  type Actor,
  type ConnectionDescriptor,
  type ConnectionEvent,
  type MeshSyncDeploymentMode,
  type MeshSyncModeChanged,
  type ProbeResult,
  type Status,
  type StatusChanged,
} from '@clp/contracts';
import { allowedTransitions, isTransitionAllowed, needsConnectivityTest, type TransitionConditions } from './transitions';

/** Time, ids and the actor come in with every command; a decider reads no clock. */
export interface CommandMetadata {
  command_id: string;
  now: string;
  actor: Actor;
}

type Command<Type extends string, Data> = { type: Type; data: Data; metadata: CommandMetadata };

export type DiscoverConnection = Command<'DiscoverConnection', ConnectionDescriptor & { source: string }>;
export type RegisterConnection = Command<
  'RegisterConnection',
  ConnectionDescriptor & {
    /** The kind's definition says the system connects it by itself (note 1 of design.md §6.2). */
    auto_connect: boolean;
    /** The connectivity test run before registering; absent when it was skipped. */
    probe?: ProbeResult;
  }
>;
export type RequestTransition = Command<
  'RequestTransition',
  {
    to: Status;
    reason: string;
    auto_connect?: boolean;
    probe?: ProbeResult;
    /** Only an admin may skip; the shell checks the role before it sets this. */
    skip_connectivity_test?: boolean;
  }
>;
export type UpdateConnection = Command<
  'UpdateConnection',
  { name?: string; metadata?: Record<string, unknown>; credential_id?: string | null; tags?: string[] }
>;
export type DeleteConnection = Command<'DeleteConnection', { reason: string }>;

export type ConnectionCommand =
  | DiscoverConnection
  | RegisterConnection
  | RequestTransition
  | UpdateConnection
  | DeleteConnection;

export type Connection = Omit<ConnectionDescriptor, 'identity'> & {
  status: Status;
  identity: Record<string, string>;
  disconnected_by?: StatusChanged['data']['cause'];
};

export type ConnectionState = { status: 'none' } | Connection;

export const initialState = (): ConnectionState => ({ status: 'none' });

const exists = (state: ConnectionState): state is Connection => state.status !== 'none';

const notFound = (): ReplyError => new ReplyError('not_found', 'connection not found');

const statusChanged = (
  state: Connection,
  to: Status,
  metadata: CommandMetadata,
  reason: string,
  probe?: ProbeResult,
): StatusChanged => ({
  type: 'StatusChanged',
  data: {
    connection_id: state.connection_id,
    organization_id: state.organization_id,
    kind: state.kind,
    name: state.name,
    from: state.status,
    to,
    cause: metadata.actor.type,
    actor: metadata.actor.id,
    reason,
    ...(probe ? { probe } : {}),
  },
});

const transition = (command: RequestTransition, state: Connection): ConnectionEvent[] => {
  const { to, reason, probe } = command.data;
  const cause = command.metadata.actor.type;
  const facts: TransitionConditions = { auto_connect: command.data.auto_connect, disconnected_by: state.disconnected_by };
  if (!isTransitionAllowed(state.status, to, cause, facts)) {
    const allowed = allowedTransitions(state.status, cause, facts);
    throw new ReplyError(
      'invalid_transition',
      `a connection cannot go from "${state.status}" to "${to}" (${cause}); allowed: ${allowed.map((s) => `"${s}"`).join(', ') || 'none'}`,
      { from: state.status, to, cause, allowed },
    );
  }
  if (needsConnectivityTest(to, cause) && !command.data.skip_connectivity_test && !probe?.ok) {
    throw new ReplyError('connectivity_failed', `the connectivity test failed: ${probe?.error ?? 'not run'}`, {
      probe: probe ?? null,
    });
  }
  const changed = statusChanged(state, to, command.metadata, reason, probe);
  if (to !== 'deleted') return [changed];
  return [
    changed,
    {
      type: 'ConnectionDeleted',
      data: {
        connection_id: state.connection_id,
        organization_id: state.organization_id,
        kind: state.kind,
        fingerprint: state.fingerprint,
      },
    },
  ];
};

const update = (command: UpdateConnection, state: Connection): ConnectionEvent[] => {
  const changes: Extract<ConnectionEvent, { type: 'ConnectionUpdated' }>['data']['changes'] = {};
  const { name, metadata, credential_id, tags } = command.data;
  if (metadata && 'meshsync_deployment_mode' in metadata && state.kind !== 'kubernetes') {
    const fields = [{ field: 'metadata.meshsync_deployment_mode', reasons: [`only kubernetes connections have a MeshSync deployment mode, not ${state.kind}`] }];
    throw new ReplyError('validation_failed', `invalid request: ${fields[0].field} (${fields[0].reasons[0]})`, { fields });
  }
  if (name !== undefined && name !== state.name) changes.name = name;
  if (tags !== undefined && JSON.stringify(tags) !== JSON.stringify(state.tags ?? [])) changes.tags = tags;
  if (credential_id !== undefined && credential_id !== state.credential_id) changes.credential_id = credential_id;
  if (metadata !== undefined) {
    const merged = { ...state.metadata, ...metadata };
    if (JSON.stringify(merged) !== JSON.stringify(state.metadata)) changes.metadata = merged;
  }
  if (Object.keys(changes).length === 0) return [];
  const updated: ConnectionEvent = {
    type: 'ConnectionUpdated',
    data: { connection_id: state.connection_id, organization_id: state.organization_id, kind: state.kind, changes },
  };
  const [from, to] = [meshSyncMode(state.metadata), meshSyncMode(changes.metadata ?? state.metadata)];
  if (from === to) return [updated];
  const modeChanged: MeshSyncModeChanged = {
    type: 'MeshSyncModeChanged',
    data: {
      connection_id: state.connection_id,
      organization_id: state.organization_id,
      kind: state.kind,
      name: changes.name ?? state.name,
      from,
      to,
      actor: command.metadata.actor.id,
    },
  };
  return [updated, modeChanged];
};

const meshSyncMode = (metadata: Record<string, unknown>): MeshSyncDeploymentMode =>
  (metadata.meshsync_deployment_mode as MeshSyncDeploymentMode | undefined) ?? 'cluster';

export const decide = (command: ConnectionCommand, state: ConnectionState): ConnectionEvent[] => {
  switch (command.type) {
    case 'DiscoverConnection':
      // Rediscovering a known resource changes nothing: an ignored one stays ignored (sticky),
      // and a deleted one is registered again as a new connection by the registry, not here.
      if (exists(state)) return [];
      return [{ type: 'ConnectionDiscovered', data: command.data }];

    case 'RegisterConnection': {
      if (exists(state)) throw new ReplyError('conflict', 'the connection already exists', { connection_id: state.connection_id });
      const { auto_connect, probe, ...descriptor } = command.data;
      const status = probe && !probe.ok ? 'not found' : 'registered';
      const registered: ConnectionEvent = {
        type: 'ConnectionRegistered',
        data: { ...descriptor, status, ...(probe ? { probe } : {}) },
      };
      if (!(auto_connect && status === 'registered')) return [registered];
      const connected = statusChanged(
        { ...descriptor, status },
        'connected',
        { ...command.metadata, actor: { type: 'system', id: command.metadata.actor.id } },
        'auto_connect',
        probe,
      );
      return [registered, connected];
    }

    case 'RequestTransition':
      if (!exists(state)) throw notFound();
      return transition(command, state);

    case 'UpdateConnection':
      if (!exists(state) || state.status === 'deleted') throw notFound();
      return update(command, state);

    case 'DeleteConnection':
      if (!exists(state) || state.status === 'deleted') throw notFound();
      return transition(
        { type: 'RequestTransition', data: { to: 'deleted', reason: command.data.reason }, metadata: command.metadata },
        state,
      );

    default: {
      const unhandled: never = command;
      throw new Error(`unknown command ${(unhandled as { type: string }).type}`);
    }
  }
};

export const evolve = (state: ConnectionState, event: ConnectionEvent): ConnectionState => {
  switch (event.type) {
    case 'ConnectionDiscovered': {
      const { source: _source, ...descriptor } = event.data;
      return { ...descriptor, status: 'discovered' };
    }
    case 'ConnectionRegistered': {
      const { probe: _probe, ...descriptor } = event.data;
      return descriptor;
    }
    case 'StatusChanged':
      if (!exists(state)) return state;
      return {
        ...state,
        status: event.data.to,
        disconnected_by: event.data.to === 'disconnected' ? event.data.cause : undefined,
      };
    case 'ConnectionUpdated':
      if (!exists(state)) return state;
      return { ...state, ...event.data.changes };
    case 'MeshSyncModeChanged':
      // The metadata it changed came with the ConnectionUpdated stored with it.
      return state;
    case 'ConnectionDeleted':
      if (!exists(state)) return state;
      return { ...state, status: 'deleted' };
    default: {
      const unhandled: never = event;
      throw new Error(`unknown event ${(unhandled as { type: string }).type}`);
    }
  }
};

export const connectionDecider = { decide, evolve, initialState };
