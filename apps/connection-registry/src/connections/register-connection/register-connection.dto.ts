import { IsBoolean, IsIn, IsObject, IsString, IsUUID, Length } from 'class-validator';
import type { RegisterConnectionRequest } from '@clp/contracts';
import { KINDS } from '@clp/connection-definitions';
import { CallerRequest, IsTags, WhenPresent } from '@clp/messaging';

export class RegisterConnectionDto extends CallerRequest implements RegisterConnectionRequest {
  @IsIn(KINDS)
  kind!: string;

  /** Checked against the kind's definition (a client may send them; they always come from it). */
  @WhenPresent()
  @IsString()
  type?: string;

  @WhenPresent()
  @IsString()
  sub_type?: string;

  @IsString()
  @Length(1, 100)
  name!: string;

  @WhenPresent()
  @IsTags()
  tags?: string[];

  @WhenPresent()
  @IsObject()
  metadata?: Record<string, unknown>;

  @WhenPresent()
  @IsUUID()
  credential_id?: string;

  /** Stored as a new credential of this kind; checked against the kind's credential form. */
  @WhenPresent()
  @IsObject()
  credential_secret?: Record<string, string>;

  @WhenPresent()
  @IsBoolean()
  skip_connectivity_test?: boolean;
}
