import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsString, IsUUID, Length } from 'class-validator';
import { WhenPresent } from '@clp/messaging';
import { IsBoundedObject, IsSecretFields } from '../validation/decorators';

const SECRET = {
  type: 'object',
  additionalProperties: { type: 'string', maxLength: 65_536 },
  example: { api_key: '…' },
  description: "the kind's credential form (e.g. token, api_key, or username and password); write-only, never returned",
  writeOnly: true,
} as const;

const KIND = { example: 'prometheus', maxLength: 64, description: 'the connection kind whose credential form it fills' } as const;

export class CreateCredentialDto {
  @ApiProperty({ minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ ...KIND, description: `${KIND.description}; required unless type is given` })
  @WhenPresent()
  @IsString()
  @Length(1, 64)
  kind?: string;

  @ApiPropertyOptional({ ...KIND, description: "Meshery's name for kind: either, or both with the same value" })
  @WhenPresent()
  @IsString()
  @Length(1, 64)
  type?: string;

  @ApiProperty(SECRET)
  @IsSecretFields()
  secret!: Record<string, string>;
}

/** A new name, and with `secret` a rotation: every connection using the credential gets the new secret. */
export class UpdateCredentialDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @WhenPresent()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional(SECRET)
  @WhenPresent()
  @IsSecretFields()
  secret?: Record<string, string>;
}

/** What to try the stored credential against: a stored connection, or a target (kind and metadata). */
export class TestCredentialDto {
  @ApiPropertyOptional({ format: 'uuid', description: "a stored connection: its address, the credential's secret" })
  @WhenPresent()
  @IsUUID()
  connection_id?: string;

  @ApiPropertyOptional({ ...KIND, description: "with metadata, instead of connection_id: must be the credential's kind" })
  @WhenPresent()
  @IsString()
  @Length(1, 64)
  kind?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { url: 'http://prometheus:9090' }, description: "the kind's connection form" })
  @WhenPresent()
  @IsBoundedObject({ maxKeys: 64, maxBytes: 65_536 })
  metadata?: Record<string, unknown>;
}

export class AssignCredentialDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 100, uniqueItems: true, description: 'connections to use the credential' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  connection_ids!: string[];
}

/** `force=true`: connections still using the credential are detached (each in its history) before it is deleted. */
export class DeleteCredentialQueryDto {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'detach the connections using it, then delete; without it, a credential in use is a 409 listing them' })
  @WhenPresent()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  force?: boolean;
}
