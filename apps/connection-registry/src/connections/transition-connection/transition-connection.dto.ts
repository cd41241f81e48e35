import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CAUSES, STATUSES, type Cause, type Status, type TransitionRequest } from '@clp/contracts';
import { CallerRequest } from '../caller';

export class TransitionConnectionDto extends CallerRequest implements Omit<TransitionRequest, 'probe'> {
  @IsUUID()
  connection_id!: string;

  @IsIn(STATUSES)
  status!: Status;

  @IsIn(CAUSES)
  cause!: Cause;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  @IsOptional()
  @IsBoolean()
  skip_connectivity_test?: boolean;
}
