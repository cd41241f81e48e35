import type { DomainEvent } from './metadata';

export const ENVIRONMENT_STATUSES = ['active', 'archived'] as const;
export type EnvironmentStatus = (typeof ENVIRONMENT_STATUSES)[number];

export interface EnvironmentDescriptor {
  environment_id: string;
  organization_id: string;
  name: string;
  description: string;
  owner: string;
  tags: string[];
  metadata: Record<string, unknown>;
}

type EnvironmentRef = { environment_id: string; organization_id: string };

export type EnvironmentCreated = DomainEvent<'EnvironmentCreated', EnvironmentDescriptor>;
export type EnvironmentUpdated = DomainEvent<
  'EnvironmentUpdated',
  EnvironmentRef & { changes: Partial<Pick<EnvironmentDescriptor, 'name' | 'description' | 'tags' | 'metadata'>> }
>;
export type EnvironmentArchived = DomainEvent<'EnvironmentArchived', EnvironmentRef>;
export type EnvironmentRestored = DomainEvent<'EnvironmentRestored', EnvironmentRef>;
/**
 * A soft deletion: its assignments and workspace links go with it; it stays recoverable until
 * `EnvironmentPurged`. `deleted_at` is absent on deletions stored before soft deletion, which
 * were final (read as purged).
 */
export type EnvironmentDeleted = DomainEvent<'EnvironmentDeleted', EnvironmentRef & { deleted_at?: string }>;
/** A deleted environment back in use, active, without connections or workspaces. */
export type EnvironmentRecovered = DomainEvent<'EnvironmentRecovered', EnvironmentRef>;
/** A deleted environment gone for good, once its retention is over. */
export type EnvironmentPurged = DomainEvent<'EnvironmentPurged', EnvironmentRef>;
export type ConnectionAssigned = DomainEvent<'ConnectionAssigned', EnvironmentRef & { connection_id: string }>;
export type ConnectionUnassigned = DomainEvent<
  'ConnectionUnassigned',
  EnvironmentRef & { connection_id: string; reason: 'removed' | 'connection_deleted' }
>;

export type EnvironmentEvent =
  | EnvironmentCreated
  | EnvironmentUpdated
  | EnvironmentArchived
  | EnvironmentRestored
  | EnvironmentDeleted
  | EnvironmentRecovered
  | EnvironmentPurged
  | ConnectionAssigned
  | ConnectionUnassigned;

export interface WorkspaceDescriptor {
  workspace_id: string;
  organization_id: string;
  name: string;
  description: string;
  owner: string;
  metadata: Record<string, unknown>;
}

type WorkspaceRef = { workspace_id: string; organization_id: string };

export type WorkspaceCreated = DomainEvent<'WorkspaceCreated', WorkspaceDescriptor>;
export type WorkspaceUpdated = DomainEvent<
  'WorkspaceUpdated',
  WorkspaceRef & { changes: Partial<Pick<WorkspaceDescriptor, 'name' | 'description' | 'metadata'>> }
>;
export type WorkspaceDeleted = DomainEvent<'WorkspaceDeleted', WorkspaceRef>;
export type EnvironmentLinked = DomainEvent<'EnvironmentLinked', WorkspaceRef & { environment_id: string }>;
export type EnvironmentUnlinked = DomainEvent<'EnvironmentUnlinked', WorkspaceRef & { environment_id: string }>;

export type WorkspaceEvent = WorkspaceCreated | WorkspaceUpdated | WorkspaceDeleted | EnvironmentLinked | EnvironmentUnlinked;

/**
 * The claim of an environment name within an organization (case-insensitive), kept in its own
 * stream `environment_name-<hash>`: appending a claim at the revision it was decided on makes
 * two environments taking the same name at once impossible. Internal: never relayed.
 */
export type EnvironmentNameClaimed = DomainEvent<
  'EnvironmentNameClaimed',
  { organization_id: string; name: string; environment_id: string; claimed_at: string }
>;
export type EnvironmentNameReleased = DomainEvent<'EnvironmentNameReleased', { organization_id: string; environment_id: string }>;

export type EnvironmentNameEvent = EnvironmentNameClaimed | EnvironmentNameReleased;
