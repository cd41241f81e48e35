import type { ConnectionDescriptor, ProbeResult } from './connection-events';
import type { CredentialDescriptor } from './credential-events';
import type { ErrorBody } from './errors';
import type { Cause, Status } from './statuses';
import { SUBJECTS } from './subjects';

/** The roles of design.md §10, least to most: viewer reads; operator also changes; admin also deletes and manages credentials. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: every command and query carries it; the gateway fills it from the JWT. */
export interface Caller {
  organization_id: string;
  user_id: string;
  role: Role;
}

/** An environment a connection is assigned to, as a connection shows it. */
export interface AssignedEnvironment {
  id: string;
  name: string;
}

/** A connection as the API shows it: Meshery's fields (`id`, `user_id`, `deleted_at`, `environments`) and ours. */
export interface ConnectionView extends Omit<ConnectionDescriptor, 'identity' | 'connection_id' | 'tags'> {
  id: string;
  status: Status;
  tags: string[];
  /** The user who registered or imported it; null when the system discovered it. */
  user_id: string | null;
  created_at: string;
  updated_at: string;
  /** Null unless deleted (only the deleting request sees a deleted connection). */
  deleted_at: string | null;
  environments: AssignedEnvironment[];
}

/** A credential as the API shows it: its `id` (as Meshery's clients read it), metadata and secret field names. */
export interface CredentialView extends Omit<CredentialDescriptor, 'credential_id'> {
  id: string;
  created_at: string;
  updated_at: string;
}

export interface RegisterConnectionRequest {
  caller: Caller;
  kind: string;
  /** Meshery sends the kind's type and sub-type too: when present they must be the kind's. */
  type?: string;
  sub_type?: string;
  name: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
  credential_id?: string;
  /** An inline secret: stored as a new credential, never echoed back. */
  credential_secret?: Record<string, string>;
  skip_connectivity_test?: boolean;
}

export interface InitRegistrationRequest {
  caller: Caller;
  kind: string;
}

export interface InitRegistrationReply {
  /** The tracker id of this registration. */
  id: string;
  /** JSON Schemas of the kind's connection and credential forms. */
  connection: Record<string, unknown>;
  credential: Record<string, unknown>;
}

export interface CompleteRegistrationRequest extends RegisterConnectionRequest {
  id: string;
}

export interface TransitionRequest {
  caller: Caller;
  connection_id: string;
  status: Status;
  cause: Cause;
  reason?: string;
  skip_connectivity_test?: boolean;
  probe?: ProbeResult;
}

export interface UpdateConnectionRequest {
  caller: Caller;
  connection_id: string;
  name?: string;
  metadata?: Record<string, unknown>;
  credential_id?: string | null;
  tags?: string[];
}

export interface ConnectionRef {
  caller: Caller;
  connection_id: string;
}

/**
 * Discovery on a person's behalf (a kubeconfig import): the live connection of the resource, or a
 * new one in `discovered`. An inline secret becomes a credential only for a new connection.
 */
export interface DiscoverConnectionRequest {
  caller: Caller;
  kind: string;
  name: string;
  metadata: Record<string, unknown>;
  /** Stored as a new credential when the connection is new; never echoed back. */
  credential_secret?: Record<string, string>;
  /** What found it, e.g. `kubeconfig`. */
  source: string;
}

export interface DiscoverConnectionReply {
  connection: ConnectionView;
  /** False when the resource already had a live connection (left as it was, ignored ones too). */
  created: boolean;
}

export interface TestConnectionRequest {
  caller: Caller;
  connection_id?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
  credential_id?: string;
  credential_secret?: Record<string, string>;
}

/** `order` of a connection list: a field, then optionally a direction (`updated_at desc` is the default). */
export const CONNECTION_ORDER = /^(updated_at|created_at|name)( (asc|desc))?$/;

export interface ListConnectionsQuery {
  caller: Caller;
  page?: number;
  pagesize?: number;
  search?: string;
  name?: string;
  order?: string;
  status?: Status[];
  kind?: string[];
  type?: string[];
  /** Connections with any of these tags. */
  tags?: string[];
}

export interface ConnectionPage {
  connections: ConnectionView[];
  page: number;
  page_size: number;
  total_count: number;
  status_summary: Partial<Record<Status, number>>;
}

/** Meshery's `GET /api/integrations/connections/status`: the organization's connections per status. */
export interface ConnectionsStatusPage {
  connections_status: Array<{ status: Status; count: number }>;
}

export interface HistoryEntry {
  type: string;
  revision: string;
  data: unknown;
  occurred_at: string;
  actor: string;
}

export interface ConnectionDefinition {
  kind: string;
  type: string;
  sub_type: string;
  connection_schema: Record<string, unknown>;
  credential_schema: Record<string, unknown>;
  identity: string[];
  auto_connect: boolean;
  allowed_transitions: Partial<Record<Status, { user: Status[]; system: Status[] }>>;
}

export interface CreateCredentialRequest {
  caller: Caller;
  name: string;
  kind: string;
  secret: Record<string, string>;
}

export interface UpdateCredentialRequest {
  caller: Caller;
  credential_id: string;
  name?: string;
  secret?: Record<string, string>;
}

export interface CredentialRef {
  caller: Caller;
  credential_id: string;
}

/** A stored credential tried against a stored connection's address, or a target's (`kind`, `metadata`). */
/** `force`: a credential still used by connections is detached from them first (else a conflict listing them). */
export interface DeleteCredentialRequest extends CredentialRef {
  force?: boolean;
}

export interface TestCredentialRequest extends CredentialRef {
  connection_id?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
}

/** One credential for several connections: each goes through the connection update command. */
export interface AssignCredentialRequest extends CredentialRef {
  connection_ids: string[];
}

/** Per connection, in the order asked: the updated connection, or why it was not assigned. */
export type CredentialAssignment =
  | { connection_id: string; ok: true; connection: ConnectionView }
  | { connection_id: string; ok: false; error: ErrorBody };

export interface PageQuery {
  caller: Caller;
  page?: number;
  pagesize?: number;
}

const R = SUBJECTS.registry;

/** Request and reply type of every registry subject. */
export type RegistryApi = {
  [R.registerConnection]: { request: RegisterConnectionRequest; reply: ConnectionView };
  [R.initRegistration]: { request: InitRegistrationRequest; reply: InitRegistrationReply };
  [R.completeRegistration]: { request: CompleteRegistrationRequest; reply: ConnectionView };
  [R.transition]: { request: TransitionRequest; reply: ConnectionView };
  /** The system's transition (only discovery may publish it): the same request, its cause always `system`. */
  [R.systemTransition]: { request: TransitionRequest; reply: ConnectionView };
  [R.updateConnection]: { request: UpdateConnectionRequest; reply: ConnectionView };
  [R.deleteConnection]: { request: ConnectionRef; reply: { id: string } };
  [R.testConnection]: { request: TestConnectionRequest; reply: ProbeResult };
  [R.discoverConnection]: { request: DiscoverConnectionRequest; reply: DiscoverConnectionReply };
  [R.createCredential]: { request: CreateCredentialRequest; reply: CredentialView };
  [R.updateCredential]: { request: UpdateCredentialRequest; reply: CredentialView };
  [R.deleteCredential]: { request: DeleteCredentialRequest; reply: { id: string } };
  [R.testCredential]: { request: TestCredentialRequest; reply: ProbeResult };
  [R.assignCredential]: { request: AssignCredentialRequest; reply: { id: string; assignments: CredentialAssignment[] } };
  [R.listConnections]: { request: ListConnectionsQuery; reply: ConnectionPage };
  [R.connectionsStatus]: { request: { caller: Caller }; reply: ConnectionsStatusPage };
  [R.getConnection]: { request: ConnectionRef; reply: ConnectionView };
  [R.connectionHistory]: { request: ConnectionRef; reply: { events: HistoryEntry[] } };
  [R.listDefinitions]: { request: { caller: Caller }; reply: { definitions: ConnectionDefinition[] } };
  [R.listCredentials]: {
    request: PageQuery;
    reply: { credentials: CredentialView[]; page: number; page_size: number; total_count: number };
  };
  [R.getCredential]: { request: CredentialRef; reply: CredentialView };
};
