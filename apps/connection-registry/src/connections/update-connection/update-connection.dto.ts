import { IsObject, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import type { UpdateConnectionRequest } from '@clp/contracts';
import { CallerRequest } from '../caller';

export class UpdateConnectionDto extends CallerRequest implements Omit<UpdateConnectionRequest, 'credential_id'> {
  @IsUUID()
  connection_id!: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}
