import { ReplyError, type EnvironmentDescriptor, type EnvironmentEvent, type EnvironmentStatus } from '@clp/contracts';
import { unreachable, type Command } from './command';

export type CreateEnvironment = Command<'CreateEnvironment', EnvironmentDescriptor>;
export type UpdateEnvironment = Command<
  'UpdateEnvironment',
  Partial<Pick<EnvironmentDescriptor, 'name' | 'description' | 'tags' | 'metadata'>> & { status?: EnvironmentStatus }
>;
export type DeleteEnvironment = Command<'DeleteEnvironment', Record<string, never>>;
/** Within `retention_ms` of its deletion; the shell claims its name again first. */
export type RecoverEnvironment = Command<'RecoverEnvironment', { retention_ms: number }>;
/** Once `retention_ms` has passed since its deletion; a no-op otherwise (a timer of every replica sends it). */
export type PurgeEnvironment = Command<'PurgeEnvironment', { retention_ms: number }>;
export type AssignConnection = Command<'AssignConnection', { connection_id: string }>;
/** `connection_deleted`: the system's reaction to a connection deleted in the registry. */
export type UnassignConnection = Command<'UnassignConnection', { connection_id: string; reason: 'removed' | 'connection_deleted' }>;

export type EnvironmentCommand =
  | CreateEnvironment
  | UpdateEnvironment
  | DeleteEnvironment
  | RecoverEnvironment
  | PurgeEnvironment
  | AssignConnection
  | UnassignConnection;

export type Environment = EnvironmentDescriptor & {
  status: EnvironmentStatus;
  connections: ReadonlySet<string>;
};

/** Deleted: recoverable (its fields kept, without connections) until purged. */
export type DeletedEnvironment = EnvironmentDescriptor & { status: 'deleted'; deleted_at: string };
export type EnvironmentState = { status: 'none' } | { status: 'purged'; environment_id: string; organization_id: string } | DeletedEnvironment | Environment;

export const initialEnvironment = (): EnvironmentState => ({ status: 'none' });

export const isLiveEnvironment = (state: EnvironmentState): state is Environment => state.status === 'active' || state.status === 'archived';

const notFound = () => new ReplyError('not_found', 'environment not found');

const retained = (state: DeletedEnvironment, retentionMs: number, now: string): boolean => Date.parse(now) - Date.parse(state.deleted_at) < retentionMs;

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const update = (command: UpdateEnvironment, state: Environment): EnvironmentEvent[] => {
  const ref = { environment_id: state.environment_id, organization_id: state.organization_id };
  const { status, ...fields } = command.data;
  const changes = Object.fromEntries(
    Object.entries(fields).filter(([field, value]) => value !== undefined && !sameJson(value, state[field as keyof typeof fields])),
  );
  const events: EnvironmentEvent[] = Object.keys(changes).length > 0 ? [{ type: 'EnvironmentUpdated', data: { ...ref, changes } }] : [];
  if (status === 'archived' && state.status === 'active') events.push({ type: 'EnvironmentArchived', data: ref });
  if (status === 'active' && state.status === 'archived') events.push({ type: 'EnvironmentRestored', data: ref });
  return events;
};

const assignment = (command: AssignConnection | UnassignConnection, state: EnvironmentState): EnvironmentEvent[] => {
  const { connection_id } = command.data;
  const system = command.type === 'UnassignConnection' && command.data.reason === 'connection_deleted';
  // The reaction to a deleted connection finds nothing to do in an environment deleted meanwhile.
  if (!isLiveEnvironment(state)) {
    if (system) return [];
    throw notFound();
  }
  const ref = { environment_id: state.environment_id, organization_id: state.organization_id, connection_id };
  const assigned = state.connections.has(connection_id);
  if (command.type === 'AssignConnection' ? assigned : !assigned) return [];
  // An archived environment keeps its connections as they were, except a deleted connection, which leaves every environment.
  if (state.status === 'archived' && !system) {
    throw new ReplyError('conflict', 'the environment is archived: restore it to change its connections', { environment_id: state.environment_id, status: 'archived' });
  }
  return command.type === 'AssignConnection'
    ? [{ type: 'ConnectionAssigned', data: ref }]
    : [{ type: 'ConnectionUnassigned', data: { ...ref, reason: command.data.reason } }];
};

export const decideEnvironment = (command: EnvironmentCommand, state: EnvironmentState): EnvironmentEvent[] => {
  switch (command.type) {
    case 'CreateEnvironment':
      if (state.status !== 'none') throw new ReplyError('conflict', 'the environment exists already', { environment_id: command.data.environment_id });
      return [{ type: 'EnvironmentCreated', data: command.data }];
    case 'UpdateEnvironment':
      if (!isLiveEnvironment(state)) throw notFound();
      return update(command, state);
    case 'DeleteEnvironment':
      if (!isLiveEnvironment(state)) throw notFound();
      return [{ type: 'EnvironmentDeleted', data: { environment_id: state.environment_id, organization_id: state.organization_id, deleted_at: command.metadata.now } }];
    case 'RecoverEnvironment':
      if (state.status !== 'deleted' || !retained(state, command.data.retention_ms, command.metadata.now)) throw notFound();
      return [{ type: 'EnvironmentRecovered', data: { environment_id: state.environment_id, organization_id: state.organization_id } }];
    case 'PurgeEnvironment':
      if (state.status !== 'deleted' || retained(state, command.data.retention_ms, command.metadata.now)) return [];
      return [{ type: 'EnvironmentPurged', data: { environment_id: state.environment_id, organization_id: state.organization_id } }];
    case 'AssignConnection':
    case 'UnassignConnection':
      return assignment(command, state);
    default:
      return unreachable(command);
  }
};

export const evolveEnvironment = (state: EnvironmentState, event: EnvironmentEvent): EnvironmentState => {
  switch (event.type) {
    case 'EnvironmentCreated':
      return { ...event.data, status: 'active', connections: new Set() };
    case 'EnvironmentDeleted': {
      // A deletion stored before soft deletion was final.
      if (!isLiveEnvironment(state) || !event.data.deleted_at) return { status: 'purged', environment_id: event.data.environment_id, organization_id: event.data.organization_id };
      const { status: _status, connections: _connections, ...descriptor } = state;
      return { ...descriptor, status: 'deleted', deleted_at: event.data.deleted_at };
    }
    case 'EnvironmentRecovered': {
      if (state.status !== 'deleted') return state;
      const { deleted_at: _deleted, ...descriptor } = state;
      return { ...descriptor, status: 'active', connections: new Set() };
    }
    case 'EnvironmentPurged':
      return { status: 'purged', environment_id: event.data.environment_id, organization_id: event.data.organization_id };
    default:
      if (!isLiveEnvironment(state)) return state;
  }
  switch (event.type) {
    case 'EnvironmentUpdated':
      return { ...state, ...event.data.changes };
    case 'EnvironmentArchived':
      return { ...state, status: 'archived' };
    case 'EnvironmentRestored':
      return { ...state, status: 'active' };
    case 'ConnectionAssigned':
      return { ...state, connections: new Set(state.connections).add(event.data.connection_id) };
    case 'ConnectionUnassigned': {
      const connections = new Set(state.connections);
      connections.delete(event.data.connection_id);
      return { ...state, connections };
    }
    default:
      return unreachable(event);
  }
};

export const environmentDecider = { decide: decideEnvironment, evolve: evolveEnvironment, initialState: initialEnvironment };
