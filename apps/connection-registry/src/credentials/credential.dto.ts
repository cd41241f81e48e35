import { IsIn, IsObject, IsString, IsUUID, Length } from 'class-validator';
import type { CreateCredentialRequest, CredentialRef, PageQuery, UpdateCredentialRequest } from '@clp/contracts';
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

export class ListCredentialsDto extends PageRequest implements PageQuery {}
