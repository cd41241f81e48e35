import { ApiProperty } from '@nestjs/swagger';
import type { CredentialView } from '@clp/contracts';

// A credential as the API shows it: metadata and the names of its secret fields, never a secret.

export class CredentialViewDoc implements CredentialView {
  @ApiProperty({ format: 'uuid' }) credential_id!: string;
  @ApiProperty() organization_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'kubernetes' }) kind!: string;
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
  @ApiProperty({ format: 'uuid' }) credential_id!: string;
}
