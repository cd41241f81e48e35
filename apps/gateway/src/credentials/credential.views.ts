import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CredentialView } from '@clp/contracts';
import { ConnectionViewDoc } from '../connections/connection.views';
import { ErrorBodyDoc } from '../errors/error.views';

// A credential as the API shows it: metadata and the names of its secret fields, never a secret.

export class CredentialViewDoc implements CredentialView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() organization_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'kubernetes', description: "the connection kind whose credential form it fills (Meshery's type)" }) kind!: string;
  @ApiProperty({ type: [String], example: ['token'], description: 'names only' }) secret_fields!: string[];
  @ApiProperty({ description: 'the user who created it' }) owner!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

export class CredentialPageDoc {
  @ApiProperty({ type: [CredentialViewDoc] }) credentials!: CredentialViewDoc[];
  @ApiProperty() page!: number;
  @ApiProperty() page_size!: number;
  @ApiProperty() total_count!: number;
}

export class CredentialDeletedDoc {
  @ApiProperty({ format: 'uuid' }) id!: string;
}

/** One connection's outcome: the updated connection, or the error it alone got. */
export class CredentialAssignmentDoc {
  @ApiProperty({ format: 'uuid' }) connection_id!: string;
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional({ type: ConnectionViewDoc, description: 'when ok: the connection, now using the credential' }) connection?: ConnectionViewDoc;
  @ApiPropertyOptional({ type: ErrorBodyDoc, description: 'when not ok: why (e.g. not_found, or validation_failed for another kind)' })
  error?: ErrorBodyDoc;
}

export class CredentialAssignmentsDoc {
  @ApiProperty({ format: 'uuid', description: 'the credential' }) id!: string;
  @ApiProperty({ type: [CredentialAssignmentDoc], description: 'in the order of connection_ids' }) assignments!: CredentialAssignmentDoc[];
}
