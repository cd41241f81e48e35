import type { EnvironmentDescriptor, EnvironmentStatus, WorkspaceDescriptor } from './environment-events';
import type { Caller, ConnectionView } from './registry-api';
import { SUBJECTS } from './subjects';

/** As the HTTP API returns it (Meshery's seed 003): its identifier is `id`; events keep `environment_id`. */
export interface EnvironmentView extends Omit<EnvironmentDescriptor, 'environment_id'> {
  id: string;
  /** `deleted` while it is deleted and recoverable. */
  status: EnvironmentStatus | 'deleted';
  connection_count: number;
  created_at: string;
  updated_at: string;
  /** null unless deleted (then it is listed only with `filter: {deleted_at: true}`). */
  deleted_at: string | null;
}

export interface WorkspaceView extends Omit<WorkspaceDescriptor, 'workspace_id'> {
  id: string;
  environment_count: number;
  created_at: string;
  updated_at: string;
}

export interface ListQuery {
  caller: Caller;
  page?: number;
  pagesize?: number;
  search?: string;
  order?: string;
}

/** The environment list: `deleted_at` true lists the deleted ones (recoverable), false (the default) the others; `tags`: any of them. */
export interface EnvironmentListQuery extends ListQuery {
  filter?: { deleted_at?: boolean };
  tags?: string[];
}

export interface CreateEnvironmentRequest {
  caller: Caller;
  name: string;
  description?: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
}

export interface UpdateEnvironmentRequest {
  caller: Caller;
  environment_id: string;
  name?: string;
  description?: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
  status?: EnvironmentStatus;
}

export interface EnvironmentRef {
  caller: Caller;
  environment_id: string;
}

export interface AssignmentRequest extends EnvironmentRef {
  connection_id: string;
}

export interface EnvironmentConnectionsQuery extends ListQuery {
  environment_id: string;
  /** `deleted_at` true: the deleted connections, which no list shows (an empty page). */
  filter?: { assigned?: boolean; deleted_at?: boolean };
}

export interface CreateWorkspaceRequest {
  caller: Caller;
  name: string;
  description?: string;
  metadata?: Record<string, unknown>;
}

export interface UpdateWorkspaceRequest {
  caller: Caller;
  workspace_id: string;
  name?: string;
  description?: string;
  metadata?: Record<string, unknown>;
}

export interface WorkspaceRef {
  caller: Caller;
  workspace_id: string;
}

export interface LinkRequest extends WorkspaceRef {
  environment_id: string;
}

/** `order` of an environment or workspace list: a field, then optionally a direction (`updated_at desc` is the default). */
export const LIST_ORDER = /^(updated_at|created_at|name)( (asc|desc))?$/;

/** A row of an environment's connections: the connection as it is now, and whether it is in the environment. */
export type EnvironmentConnectionView = EnvironmentServiceConnectionView & { assigned: boolean };

/** A connection as the environment service lists it: identified by `id`, as every resource the HTTP API returns. */
export type EnvironmentServiceConnectionView = Omit<ConnectionView, 'connection_id'> & { id: string };

type Paged<K extends string, T> = { [P in K]: T[] } & { page: number; page_size: number; total_count: number };

const E = SUBJECTS.environment;

export type EnvironmentApi = {
  [E.createEnvironment]: { request: CreateEnvironmentRequest; reply: EnvironmentView };
  [E.updateEnvironment]: { request: UpdateEnvironmentRequest; reply: EnvironmentView };
  [E.deleteEnvironment]: { request: EnvironmentRef; reply: { id: string } };
  [E.recoverEnvironment]: { request: EnvironmentRef; reply: EnvironmentView };
  [E.assignConnection]: { request: AssignmentRequest; reply: EnvironmentView };
  [E.unassignConnection]: { request: AssignmentRequest; reply: EnvironmentView };
  [E.createWorkspace]: { request: CreateWorkspaceRequest; reply: WorkspaceView };
  [E.updateWorkspace]: { request: UpdateWorkspaceRequest; reply: WorkspaceView };
  [E.deleteWorkspace]: { request: WorkspaceRef; reply: { id: string } };
  [E.linkEnvironment]: { request: LinkRequest; reply: WorkspaceView };
  [E.unlinkEnvironment]: { request: LinkRequest; reply: WorkspaceView };
  [E.listEnvironments]: { request: EnvironmentListQuery; reply: Paged<'environments', EnvironmentView> };
  [E.getEnvironment]: { request: EnvironmentRef; reply: EnvironmentView };
  [E.environmentConnections]: {
    request: EnvironmentConnectionsQuery;
    reply: Paged<'connections', EnvironmentConnectionView>;
  };
  [E.listWorkspaces]: { request: ListQuery; reply: Paged<'workspaces', WorkspaceView> };
  [E.getWorkspace]: { request: WorkspaceRef; reply: WorkspaceView };
  [E.workspaceEnvironments]: { request: WorkspaceRef & ListQuery; reply: Paged<'environments', EnvironmentView> };
  [E.workspaceConnections]: { request: WorkspaceRef & ListQuery; reply: Paged<'connections', EnvironmentServiceConnectionView> };
};
