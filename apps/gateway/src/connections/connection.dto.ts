import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, IsUUID, Length, MaxLength, ValidateIf } from 'class-validator';
import { STATUSES, type Status } from '@clp/contracts';
import { WhenPresent, WhenPresentOrNull } from '@clp/messaging';
import { IsBoundedObject } from '../validation/decorators';
import { Field } from './connection-fields';

/** POST /connections: a manual registration. */
export class RegisterConnectionDto {
  @Field.kind()
  kind!: string;

  @Field.type()
  type?: string;

  @Field.subType()
  sub_type?: string;

  @Field.name()
  name!: string;

  @Field.tags()
  tags?: string[];

  @Field.environmentIds()
  environment_ids?: string[];

  @Field.metadata()
  metadata?: Record<string, unknown>;

  @Field.credentialId()
  credential_id?: string;

  @Field.credentialSecret()
  credential_secret?: Record<string, string>;

  @Field.skipConnectivityTest()
  skip_connectivity_test?: boolean;
}

/** PUT /connections/{id}: changes to merge, and a status to request, in that order. */
export class UpdateConnectionDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @WhenPresent()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'merged into the metadata, checked against the form' })
  @WhenPresent()
  @IsBoundedObject({ maxKeys: 64, maxBytes: 65_536 })
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'another credential, or null for none' })
  @WhenPresentOrNull()
  @IsUUID()
  credential_id?: string | null;

  @Field.tags()
  tags?: string[];

  @ApiPropertyOptional({ enum: STATUSES, description: 'a transition requested by a person (cause user)' })
  @WhenPresent()
  @IsIn(STATUSES)
  status?: Status;

  @ApiPropertyOptional({ maxLength: 1000, description: 'why, kept with the status change; only with status' })
  @WhenPresent()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  @ApiPropertyOptional({ description: 'admins only, with status registered or connected: skip the connectivity test' })
  @WhenPresent()
  @IsBoolean()
  skip_connectivity_test?: boolean;
}

export const REGISTRATION_STEPS = ['init', 'register'] as const;

// The fields of the `register` step: required there, checked but unused with `init`.
const RegisterStep = () => ValidateIf((step: RegistrationStepDto, value: unknown) => step.status === 'register' || value !== undefined);

/** POST /connections/register: `init` (a tracker id and the forms), then `register` with that id. */
export class RegistrationStepDto {
  @ApiProperty({ enum: REGISTRATION_STEPS })
  @IsIn(REGISTRATION_STEPS)
  status!: (typeof REGISTRATION_STEPS)[number];

  @Field.kind()
  kind!: string;

  @Field.type()
  type?: string;

  @Field.subType()
  sub_type?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'register: the tracker id init returned' })
  @RegisterStep()
  @IsUUID()
  id?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: 'register: the connection name' })
  @RegisterStep()
  @IsString()
  @Length(1, 100)
  name?: string;

  @Field.metadata()
  metadata?: Record<string, unknown>;

  @Field.tags()
  tags?: string[];

  @Field.environmentIds()
  environment_ids?: string[];

  @Field.credentialId()
  credential_id?: string;

  @Field.credentialSecret()
  credential_secret?: Record<string, string>;

  @Field.skipConnectivityTest()
  skip_connectivity_test?: boolean;
}

/** POST /connections/test: a form to try; nothing is stored. */
export class TestConnectionDto {
  @Field.kind()
  kind!: string;

  @Field.metadata()
  metadata?: Record<string, unknown>;

  @Field.credentialId()
  credential_id?: string;

  @Field.credentialSecret()
  credential_secret?: Record<string, string>;
}
