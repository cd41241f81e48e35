import { ReplyError, type EnvironmentDescriptor, type EnvironmentEvent, type EnvironmentStatus } from '@clp/contracts';
import { unreachable, type Command } from './command';

export type CreateEnvironment = Command<'CreateEnvironment', EnvironmentDescriptor>;
export type UpdateEnvironment = Command<
  'UpdateEnvironment',
  Partial<Pick<EnvironmentDescriptor, 'name' | 'description' | 'tags' | 'metadata'>> & { status?: EnvironmentStatus }
>;
export type DeleteEnvironment = Command<'DeleteEnvironment', Record<string, never>>;
export type AssignConnection = Command<'AssignConnection', { connection_id: string }>;
/** `connection_deleted`: the system's reaction to a connection deleted in the registry. */
export type UnassignConnection = Command<'UnassignConnection', { connection_id: string; reason: 'removed' | 'connection_deleted' }>;

export type EnvironmentCommand = CreateEnvironment | UpdateEnvironment | DeleteEnvironment | AssignConnection | UnassignConnection;

export type Environment = EnvironmentDescriptor & {
  status: EnvironmentStatus;
  connections: ReadonlySet<string>;
};

export type EnvironmentState = { status: 'none' } | { status: 'deleted'; environment_id: string; organization_id: string } | Environment;

export const initialEnvironment = (): EnvironmentState => ({ status: 'none' });

export const isLiveEnvironment = (state: EnvironmentState): state is Environment => state.status === 'active' || state.status === 'archived';

const notFound = () => new ReplyError('not_found', 'environment not found');

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
      return [{ type: 'EnvironmentDeleted', data: { environment_id: state.environment_id, organization_id: state.organization_id } }];
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
    case 'EnvironmentDeleted':
      return { status: 'deleted', environment_id: event.data.environment_id, organization_id: event.data.organization_id };
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
