import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STATUSES, type AssignedEnvironment, type ConnectionPage, type ConnectionsStatusPage, type ConnectionView, type HistoryEntry, type InitRegistrationReply, type ProbeResult, type Status } from '@clp/contracts';

// The OpenAPI shapes of the registry's replies, which the gateway returns as they are.

class AssignedEnvironmentDoc implements AssignedEnvironment {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class ConnectionViewDoc implements ConnectionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() organization_id!: string;
  @ApiProperty({ example: 'prometheus' }) kind!: string;
  @ApiProperty({ example: 'observability' }) type!: string;
  @ApiProperty({ example: 'prometheus' }) sub_type!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'hash of organization, kind and the kind identity' }) fingerprint!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) credential_id!: string | null;
  @ApiProperty({ enum: STATUSES }) status!: Status;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ type: String, nullable: true, description: 'the user who registered or imported it; null when the system discovered it' })
  user_id!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null unless deleted' }) deleted_at!: string | null;
  @ApiProperty({ type: [AssignedEnvironmentDoc], description: 'the environments it is assigned to' }) environments!: AssignedEnvironmentDoc[];
}

export class ConnectionPageDoc implements ConnectionPage {
  @ApiProperty({ type: [ConnectionViewDoc] }) connections!: ConnectionViewDoc[];
  @ApiProperty() page!: number;
  @ApiProperty() page_size!: number;
  @ApiProperty() total_count!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { connected: 3, discovered: 1 },
    description: 'connections per status in the whole organization, not only this page',
  })
  status_summary!: Partial<Record<Status, number>>;
}

class StatusCountDoc {
  @ApiProperty({ enum: STATUSES }) status!: Status;
  @ApiProperty() count!: number;
}

export class ConnectionsStatusDoc implements ConnectionsStatusPage {
  @ApiProperty({ type: [StatusCountDoc], description: 'statuses with at least one connection' }) connections_status!: StatusCountDoc[];
}

export class ProbeResultDoc implements ProbeResult {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ format: 'date-time' }) checked_at!: string;
  @ApiProperty() latency_ms!: number;
  @ApiProperty({ example: 'GET /-/ready' }) check!: string;
  @ApiPropertyOptional({ description: 'why it failed, never a secret' }) error?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) details?: Record<string, unknown>;
}

export class RegistrationStartedDoc implements InitRegistrationReply {
  @ApiProperty({ format: 'uuid', description: 'the tracker id to send with status register' }) id!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'JSON Schema of the connection form' })
  connection!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'JSON Schema of the credential form' })
  credential!: Record<string, unknown>;
}

class HistoryEntryDoc implements HistoryEntry {
  @ApiProperty({ example: 'StatusChanged' }) type!: string;
  @ApiProperty() revision!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: unknown;
  @ApiProperty({ format: 'date-time' }) occurred_at!: string;
  @ApiProperty({ description: 'the user or system that caused it' }) actor!: string;
}

export class HistoryDoc {
  @ApiProperty({ type: [HistoryEntryDoc], description: 'oldest first' }) events!: HistoryEntryDoc[];
}
