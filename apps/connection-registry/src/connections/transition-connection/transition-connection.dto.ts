import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsObject, IsString, IsUUID, MaxLength, Min, ValidateNested } from 'class-validator';
import { CAUSES, STATUSES, type Cause, type ProbeResult, type Status, type TransitionRequest } from '@clp/contracts';
import { CallerRequest, WhenPresent } from '@clp/messaging';

/** A connectivity test's result as the system caller (the health monitor) measured it. */
export class ProbeResultDto implements ProbeResult {
  @IsBoolean()
  ok!: boolean;

  @IsISO8601()
  checked_at!: string;

  @IsInt()
  @Min(0)
  latency_ms!: number;

  @IsString()
  @MaxLength(256)
  check!: string;

  @WhenPresent()
  @IsString()
  @MaxLength(1000)
  error?: string;

  @WhenPresent()
  @IsObject()
  details?: Record<string, unknown>;
}

export class TransitionConnectionDto extends CallerRequest implements TransitionRequest {
  @IsUUID()
  connection_id!: string;

  @IsIn(STATUSES)
  status!: Status;

  @IsIn(CAUSES)
  cause!: Cause;

  @WhenPresent()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  @WhenPresent()
  @IsBoolean()
  skip_connectivity_test?: boolean;

  /** Kept on the `StatusChanged` of a system transition; a person's request runs its own test instead. */
  @WhenPresent()
  @ValidateNested()
  @Type(() => ProbeResultDto)
  probe?: ProbeResultDto;
}
