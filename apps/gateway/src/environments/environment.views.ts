import { ApiProperty } from '@nestjs/swagger';
import { ENVIRONMENT_STATUSES, type EnvironmentStatus, type EnvironmentView, type WorkspaceView } from '@clp/contracts';
import { ConnectionViewDoc } from '../connections/connection.views';

// The OpenAPI shapes of the environment service's replies, which the gateway returns as they are.

export class EnvironmentViewDoc implements EnvironmentView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() organization_id!: string;
  @ApiProperty({ example: 'production' }) name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'the user who created it' }) owner!: string;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
  @ApiProperty({ enum: [...ENVIRONMENT_STATUSES, 'deleted'], description: 'deleted: recoverable until purged' }) status!: EnvironmentStatus | 'deleted';
  @ApiProperty({ description: 'its connections; 0 is an empty environment' }) connection_count!: number;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null unless deleted' }) deleted_at!: string | null;
}

export class EnvironmentPageDoc {
  @ApiProperty({ type: [EnvironmentViewDoc] }) environments!: EnvironmentViewDoc[];
  @ApiProperty() page!: number;
  @ApiProperty() page_size!: number;
  @ApiProperty() total_count!: number;
}

export class EnvironmentConnectionDoc extends ConnectionViewDoc {
  @ApiProperty({ description: 'whether it is in the environment' }) assigned!: boolean;
}

export class EnvironmentConnectionPageDoc {
  @ApiProperty({ type: [EnvironmentConnectionDoc] }) connections!: EnvironmentConnectionDoc[];
  @ApiProperty() page!: number;
  @ApiProperty() page_size!: number;
  @ApiProperty() total_count!: number;
}

export class ConnectionListDoc {
  @ApiProperty({ type: [ConnectionViewDoc] }) connections!: ConnectionViewDoc[];
  @ApiProperty() page!: number;
  @ApiProperty() page_size!: number;
  @ApiProperty() total_count!: number;
}

export class EnvironmentDeletedDoc {
  @ApiProperty({ format: 'uuid' }) id!: string;
}

export class WorkspaceViewDoc implements WorkspaceView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() organization_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty() owner!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
  @ApiProperty() environment_count!: number;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

export class WorkspacePageDoc {
  @ApiProperty({ type: [WorkspaceViewDoc] }) workspaces!: WorkspaceViewDoc[];
  @ApiProperty() page!: number;
  @ApiProperty() page_size!: number;
  @ApiProperty() total_count!: number;
}

export class WorkspaceDeletedDoc {
  @ApiProperty({ format: 'uuid' }) id!: string;
}
