import type { DomainEvent } from './metadata';
import type { Cause, Status } from './statuses';

/** The outcome of a connectivity test (design.md §6.4). */
export interface ProbeResult {
  ok: boolean;
  checked_at: string;
  latency_ms: number;
  /** What was checked, e.g. `GET /-/ready`. */
  check: string;
  /** Why it failed, in words safe to show (never a secret). */
  error?: string;
  /** Facts the test learned, e.g. `{ version: "2.45.0" }`. */
  details?: Record<string, unknown>;
}

/** The attributes every connection has, as a connection definition fills them in. */
export interface ConnectionDescriptor {
  connection_id: string;
  organization_id: string;
  kind: string;
  type: string;
  sub_type: string;
  name: string;
  /** Hash of (organization, kind, identity): the same resource never has two live connections. */
  fingerprint: string;
  /** The kind's identity fields, normalized (e.g. `{ url: "http://prom:9090" }`). */
  identity: Record<string, string>;
  metadata: Record<string, unknown>;
  credential_id: string | null;
  /** Labels people set to group and find connections (absent on events stored before tags existed). */
  tags?: string[];
}

export type ConnectionDiscovered = DomainEvent<
  'ConnectionDiscovered',
  ConnectionDescriptor & {
    /** What found it, e.g. `kubeconfig`, `cluster-scan`, `configured-target`. */
    source: string;
  }
>;

/** A connection created by hand; a failed connectivity test creates it in `not found`. */
export type ConnectionRegistered = DomainEvent<
  'ConnectionRegistered',
  ConnectionDescriptor & {
    status: Extract<Status, 'registered' | 'not found' | 'connected'>;
    probe?: ProbeResult;
  }
>;

export type StatusChanged = DomainEvent<
  'StatusChanged',
  {
    connection_id: string;
    organization_id: string;
    kind: string;
    name: string;
    from: Status;
    to: Status;
    cause: Cause;
    actor: string;
    reason: string;
    /** Present when a connectivity test decided the change. */
    probe?: ProbeResult;
  }
>;

export type ConnectionUpdated = DomainEvent<
  'ConnectionUpdated',
  {
    connection_id: string;
    organization_id: string;
    kind: string;
    /** Only the fields that changed; `metadata` holds the merged result. */
    changes: Partial<Pick<ConnectionDescriptor, 'name' | 'metadata' | 'credential_id' | 'tags'>>;
  }
>;

/** Always stored together with the `StatusChanged` to `deleted` of the same decision. */
export type ConnectionDeleted = DomainEvent<
  'ConnectionDeleted',
  { connection_id: string; organization_id: string; kind: string; fingerprint: string }
>;

/** Only Kubernetes connections have one; always stored with the `ConnectionUpdated` that changes it. */
export const MESHSYNC_DEPLOYMENT_MODES = ['cluster', 'edge'] as const;
export type MeshSyncDeploymentMode = (typeof MESHSYNC_DEPLOYMENT_MODES)[number];

/** A Kubernetes connection's MeshSync deployment mode changed (`metadata.meshsync_deployment_mode`). */
export type MeshSyncModeChanged = DomainEvent<
  'MeshSyncModeChanged',
  {
    connection_id: string;
    organization_id: string;
    kind: string;
    name: string;
    /** The mode before; `cluster` (the default) when none was set. */
    from: MeshSyncDeploymentMode;
    to: MeshSyncDeploymentMode;
    actor: string;
  }
>;

export type ConnectionEvent =
  | ConnectionDiscovered
  | ConnectionRegistered
  | StatusChanged
  | ConnectionUpdated
  | MeshSyncModeChanged
  | ConnectionDeleted;

export type ConnectionEventType = ConnectionEvent['type'];

export const CONNECTION_EVENT_TYPES = [
  'ConnectionDiscovered',
  'ConnectionRegistered',
  'StatusChanged',
  'ConnectionUpdated',
  'MeshSyncModeChanged',
  'ConnectionDeleted',
] as const satisfies readonly ConnectionEventType[];

/**
 * What discovery publishes when it finds a resource: the registry turns it into a connection (or
 * recognises one it already has by its fingerprint). Discovery does not know connection ids.
 */
export type ResourceFound = DomainEvent<
  'ConnectionDiscovered',
  {
    organization_id: string;
    kind: string;
    name: string;
    /** The kind's connection form; the registry derives the identity from it. */
    metadata: Record<string, unknown>;
    credential_id?: string;
    source: string;
  }
>;
