import { IsIn, IsObject, IsUUID } from 'class-validator';
import type { TestConnectionRequest } from '@clp/contracts';
import { KINDS } from '@clp/connection-definitions';
import { CallerRequest, WhenPresent } from '@clp/messaging';

/** Either a stored connection (`connection_id`) or a form to try (`kind`, `metadata`, a credential). */
export class TestConnectionDto extends CallerRequest implements TestConnectionRequest {
  @WhenPresent()
  @IsUUID()
  connection_id?: string;

  @WhenPresent()
  @IsIn(KINDS)
  kind?: string;

  @WhenPresent()
  @IsObject()
  metadata?: Record<string, unknown>;

  @WhenPresent()
  @IsUUID()
  credential_id?: string;

  @WhenPresent()
  @IsObject()
  credential_secret?: Record<string, string>;
}
