import { IsIn, IsObject, IsOptional, IsUUID } from 'class-validator';
import type { TestConnectionRequest } from '@clp/contracts';
import { KINDS } from '@clp/connection-definitions';
import { CallerRequest } from '@clp/messaging';

/** Either a stored connection (`connection_id`) or a form to try (`kind`, `metadata`, a credential). */
export class TestConnectionDto extends CallerRequest implements TestConnectionRequest {
  @IsOptional()
  @IsUUID()
  connection_id?: string;

  @IsOptional()
  @IsIn(KINDS)
  kind?: string;

  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;

  @IsOptional()
  @IsUUID()
  credential_id?: string;

  @IsOptional()
  @IsObject()
  credential_secret?: Record<string, string>;
}
