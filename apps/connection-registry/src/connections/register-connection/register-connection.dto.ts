import { IsBoolean, IsIn, IsObject, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import type { RegisterConnectionRequest } from '@clp/contracts';
import { KINDS } from '@clp/connection-definitions';
import { CallerRequest } from '@clp/messaging';

export class RegisterConnectionDto extends CallerRequest implements RegisterConnectionRequest {
  @IsIn(KINDS)
  kind!: string;

  @IsString()
  @Length(1, 100)
  name!: string;

  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;

  @IsOptional()
  @IsUUID()
  credential_id?: string;

  /** Stored as a new credential of this kind; checked against the kind's credential form. */
  @IsOptional()
  @IsObject()
  credential_secret?: Record<string, string>;

  @IsOptional()
  @IsBoolean()
  skip_connectivity_test?: boolean;
}
