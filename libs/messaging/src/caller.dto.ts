import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { ReplyError, ROLES, type Caller } from '@clp/contracts';
import { WhenPresent } from './optional-fields';

export class CallerDto implements Caller {
  @IsString()
  @Length(1, 128)
  organization_id!: string;

  @IsString()
  @Length(1, 128)
  user_id!: string;

  @IsIn(ROLES)
  role!: Caller['role'];
}

/** Every request to a service's NATS API names its caller; the gateway fills it from the token. */
export class CallerRequest {
  @ValidateNested()
  @Type(() => CallerDto)
  caller!: CallerDto;
}

/** viewer reads; operator also creates, updates, transitions, assigns; admin also deletes and manages credentials. */
export const requireRole = (caller: Caller, role: Caller['role']): void => {
  if (ROLES.indexOf(caller.role) < ROLES.indexOf(role)) {
    throw new ReplyError('forbidden', `this needs the ${role} role`, { required: role });
  }
};

/** `page` (from 0) and `pagesize` (1 to 100, design.md §10) of every list query. */
export class PageRequest extends CallerRequest {
  @WhenPresent()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  page?: number;

  @WhenPresent()
  @IsInt()
  @Min(1)
  @Max(100)
  pagesize?: number;
}
