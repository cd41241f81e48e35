import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsObject, IsString, IsUUID, Length } from 'class-validator';
import type { AssignCredentialRequest, CreateCredentialRequest, CredentialRef, DeleteCredentialRequest, PageQuery, TestCredentialRequest, UpdateCredentialRequest } from '@clp/contracts';
import { KINDS } from '@clp/connection-definitions';
import { CallerRequest, PageRequest, WhenPresent } from '@clp/messaging';

// A secret's fields are checked against the kind's credential form by the handler; the values
// are never echoed in a validation error.
export class CreateCredentialDto extends CallerRequest implements CreateCredentialRequest {
  @IsString()
  @Length(1, 100)
  name!: string;

  @IsIn(KINDS)
  kind!: string;

  @IsObject()
  secret!: Record<string, string>;
}

export class UpdateCredentialDto extends CallerRequest implements UpdateCredentialRequest {
  @IsUUID()
  credential_id!: string;

  @WhenPresent()
  @IsString()
  @Length(1, 100)
  name?: string;

  @WhenPresent()
  @IsObject()
  secret?: Record<string, string>;
}

export class CredentialRefDto extends CallerRequest implements CredentialRef {
  @IsUUID()
  credential_id!: string;
}

export class DeleteCredentialDto extends CredentialRefDto implements DeleteCredentialRequest {
  @WhenPresent()
  @IsBoolean()
  force?: boolean;
}

export class ListCredentialsDto extends PageRequest implements PageQuery {}

/** A stored connection (`connection_id`) or a target (`kind`, `metadata`) to try the credential against. */
export class TestCredentialDto extends CredentialRefDto implements TestCredentialRequest {
  @WhenPresent()
  @IsUUID()
  connection_id?: string;

  @WhenPresent()
  @IsIn(KINDS)
  kind?: string;

  @WhenPresent()
  @IsObject()
  metadata?: Record<string, unknown>;
}

/** At most a page of connections per request: each is its own update command. */
export const MAX_ASSIGNMENTS = 100;

export class AssignCredentialDto extends CredentialRefDto implements AssignCredentialRequest {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ASSIGNMENTS)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  connection_ids!: string[];
}
