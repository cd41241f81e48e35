import { ReplyError, type Caller, type EnvironmentView, type WorkspaceView } from '@clp/contracts';
import { isLiveEnvironment, isLiveWorkspace, type DeletedEnvironment, type Environment, type EnvironmentState, type Workspace, type WorkspaceState } from '@clp/environments';
import type { Loaded } from '../shell/stream-commands';

/** A deleted environment of the caller's organization, still recoverable. */
export const deletedEnvironment = (caller: Caller, loaded: Loaded<EnvironmentState>): Loaded<DeletedEnvironment> => {
  if (loaded.state.status !== 'deleted' || loaded.state.organization_id !== caller.organization_id) throw new ReplyError('not_found', 'environment not found');
  return loaded as Loaded<DeletedEnvironment>;
};

/** An environment the caller may see: it exists, is not deleted and is in the caller's organization. */
export const visibleEnvironment = (caller: Caller, loaded: Loaded<EnvironmentState>): Loaded<Environment> => {
  if (!isLiveEnvironment(loaded.state) || loaded.state.organization_id !== caller.organization_id) throw new ReplyError('not_found', 'environment not found');
  return loaded as Loaded<Environment>;
};

export const visibleWorkspace = (caller: Caller, loaded: Loaded<WorkspaceState>): Loaded<Workspace> => {
  if (!isLiveWorkspace(loaded.state) || loaded.state.organization_id !== caller.organization_id) throw new ReplyError('not_found', 'workspace not found');
  return loaded as Loaded<Workspace>;
};

/** The API's view of an environment: the same fields, in the same order, as the read model's documents. */
export const environmentView = (loaded: Loaded<EnvironmentState>): EnvironmentView => {
  const state = loaded.state as Environment | DeletedEnvironment;
  const { environment_id, organization_id, name, description, owner, tags, metadata, status } = state;
  return {
    id: environment_id,
    organization_id,
    name,
    description,
    owner,
    tags,
    metadata,
    status,
    connection_count: state.status === 'deleted' ? 0 : state.connections.size,
    created_at: loaded.created_at ?? '',
    updated_at: loaded.updated_at ?? '',
    deleted_at: state.status === 'deleted' ? state.deleted_at : null,
  };
};

export const workspaceView = (loaded: Loaded<WorkspaceState>): WorkspaceView => {
  const { workspace_id, organization_id, name, description, owner, metadata, environments } = loaded.state as Workspace;
  return {
    id: workspace_id,
    organization_id,
    name,
    description,
    owner,
    metadata,
    environment_count: environments.size,
    created_at: loaded.created_at ?? '',
    updated_at: loaded.updated_at ?? '',
  };
};
