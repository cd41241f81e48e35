import { IsBoolean, IsIn, IsObject, IsOptional, IsString, Length } from 'class-validator';
import type { RegisterConnectionRequest } from '@clp/contracts';
import { KINDS } from '@clp/connection-definitions';
import { CallerRequest } from '../caller';

export class RegisterConnectionDto extends CallerRequest implements Omit<RegisterConnectionRequest, 'credential_id' | 'credential_secret'> {
  @IsIn(KINDS)
  kind!: string;

  @IsString()
  @Length(1, 100)
  name!: string;

  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;

  @IsOptional()
  @IsBoolean()
  skip_connectivity_test?: boolean;
}
