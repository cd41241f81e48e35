import { IsObject, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import type { UpdateConnectionRequest } from '@clp/contracts';
import { CallerRequest } from '@clp/messaging';

export class UpdateConnectionDto extends CallerRequest implements UpdateConnectionRequest {
  @IsUUID()
  connection_id!: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;

  /** Another credential of the organization, or null to use none. */
  @IsOptional()
  @IsUUID()
  credential_id?: string | null;
}
