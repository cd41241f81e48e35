import { Type } from 'class-transformer';
import { IsIn, IsString, Length, ValidateNested } from 'class-validator';
import { ReplyError, ROLES, type Caller } from '@clp/contracts';

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

/** A request made on a person's behalf; the gateway fills the caller from the token. */
export class CallerRequest {
  @ValidateNested()
  @Type(() => CallerDto)
  caller!: CallerDto;
}

/** The same rule as the registry's: viewer reads; operator also changes; admin also deletes. */
export const requireRole = (caller: Caller, role: Caller['role']): void => {
  if (ROLES.indexOf(caller.role) < ROLES.indexOf(role)) {
    throw new ReplyError('forbidden', `this needs the ${role} role`, { required: role });
  }
};
