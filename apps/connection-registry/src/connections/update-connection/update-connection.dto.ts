import { IsObject, IsString, IsUUID, Length } from 'class-validator';
import type { UpdateConnectionRequest } from '@clp/contracts';
import { CallerRequest, IsTags, WhenPresent, WhenPresentOrNull } from '@clp/messaging';

export class UpdateConnectionDto extends CallerRequest implements UpdateConnectionRequest {
  @IsUUID()
  connection_id!: string;

  @WhenPresent()
  @IsString()
  @Length(1, 100)
  name?: string;

  @WhenPresent()
  @IsObject()
  metadata?: Record<string, unknown>;

  /** Another credential of the organization, or null to use none. */
  @WhenPresentOrNull()
  @IsUUID()
  credential_id?: string | null;

  @WhenPresent()
  @IsTags()
  tags?: string[];
}
