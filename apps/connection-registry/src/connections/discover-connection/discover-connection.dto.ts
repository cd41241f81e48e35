import { IsIn, IsObject, IsString, Length } from 'class-validator';
import type { DiscoverConnectionRequest } from '@clp/contracts';
import { KINDS } from '@clp/connection-definitions';
import { CallerRequest, WhenPresent } from '@clp/messaging';

export class DiscoverConnectionDto extends CallerRequest implements DiscoverConnectionRequest {
  @IsIn(KINDS)
  kind!: string;

  @IsString()
  @Length(1, 100)
  name!: string;

  @IsObject()
  metadata!: Record<string, unknown>;

  /** Stored as a new credential of this kind when the connection is new; checked against the kind's credential form. */
  @WhenPresent()
  @IsObject()
  credential_secret?: Record<string, string>;

  @IsString()
  @Length(1, 64)
  source!: string;
}
