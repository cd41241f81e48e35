import { ReplyError, type WorkspaceDescriptor, type WorkspaceEvent } from '@clp/contracts';
import { unreachable, type Command } from './command';

export type CreateWorkspace = Command<'CreateWorkspace', WorkspaceDescriptor>;
export type UpdateWorkspace = Command<'UpdateWorkspace', Partial<Pick<WorkspaceDescriptor, 'name' | 'description' | 'metadata'>>>;
export type DeleteWorkspace = Command<'DeleteWorkspace', Record<string, never>>;
/** The shell checks that the environment exists, is not deleted and is in the workspace's organization. */
export type LinkEnvironment = Command<'LinkEnvironment', { environment_id: string }>;
export type UnlinkEnvironment = Command<'UnlinkEnvironment', { environment_id: string }>;

export type WorkspaceCommand = CreateWorkspace | UpdateWorkspace | DeleteWorkspace | LinkEnvironment | UnlinkEnvironment;

export type Workspace = WorkspaceDescriptor & { status: 'active'; environments: ReadonlySet<string> };

export type WorkspaceState = { status: 'none' } | { status: 'deleted'; workspace_id: string; organization_id: string } | Workspace;

export const initialWorkspace = (): WorkspaceState => ({ status: 'none' });

export const isLiveWorkspace = (state: WorkspaceState): state is Workspace => state.status === 'active';

export const decideWorkspace = (command: WorkspaceCommand, state: WorkspaceState): WorkspaceEvent[] => {
  if (command.type === 'CreateWorkspace') {
    if (state.status !== 'none') throw new ReplyError('conflict', 'the workspace exists already', { workspace_id: command.data.workspace_id });
    return [{ type: 'WorkspaceCreated', data: command.data }];
  }
  if (!isLiveWorkspace(state)) throw new ReplyError('not_found', 'workspace not found');
  const ref = { workspace_id: state.workspace_id, organization_id: state.organization_id };
  switch (command.type) {
    case 'UpdateWorkspace': {
      const changes = Object.fromEntries(Object.entries(command.data).filter(([field, value]) => value !== undefined && JSON.stringify(value) !== JSON.stringify(state[field as 'name' | 'description' | 'metadata'])));
      return Object.keys(changes).length > 0 ? [{ type: 'WorkspaceUpdated', data: { ...ref, changes } }] : [];
    }
    case 'DeleteWorkspace':
      return [{ type: 'WorkspaceDeleted', data: ref }];
    case 'LinkEnvironment':
      return state.environments.has(command.data.environment_id) ? [] : [{ type: 'EnvironmentLinked', data: { ...ref, environment_id: command.data.environment_id } }];
    case 'UnlinkEnvironment':
      return state.environments.has(command.data.environment_id) ? [{ type: 'EnvironmentUnlinked', data: { ...ref, environment_id: command.data.environment_id } }] : [];
    default:
      return unreachable(command);
  }
};

export const evolveWorkspace = (state: WorkspaceState, event: WorkspaceEvent): WorkspaceState => {
  switch (event.type) {
    case 'WorkspaceCreated':
      // Workspaces stored before they had metadata have none.
      return { ...event.data, metadata: event.data.metadata ?? {}, status: 'active', environments: new Set() };
    case 'WorkspaceDeleted':
      return { status: 'deleted', workspace_id: event.data.workspace_id, organization_id: event.data.organization_id };
    default:
      if (!isLiveWorkspace(state)) return state;
  }
  switch (event.type) {
    case 'WorkspaceUpdated':
      return { ...state, ...event.data.changes };
    case 'EnvironmentLinked':
      return { ...state, environments: new Set(state.environments).add(event.data.environment_id) };
    case 'EnvironmentUnlinked': {
      const environments = new Set(state.environments);
      environments.delete(event.data.environment_id);
      return { ...state, environments };
    }
    default:
      return unreachable(event);
  }
};

export const workspaceDecider = { decide: decideWorkspace, evolve: evolveWorkspace, initialState: initialWorkspace };
