import { IntersectionType, PartialType } from '@nestjs/mapped-types';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsObject, IsString, IsUUID, Length, MaxLength, ValidateNested } from 'class-validator';
import { ENVIRONMENT_STATUSES, type AssignmentRequest, type CreateEnvironmentRequest, type EnvironmentConnectionsQuery, type EnvironmentListQuery, type EnvironmentRef, type EnvironmentStatus, type UpdateEnvironmentRequest } from '@clp/contracts';
import { CallerRequest, WhenPresent } from '@clp/messaging';
import { ListRequest } from '../shell/command-context';

/** An environment's own fields: required on create, each optional on update. */
class EnvironmentFields {
  @IsString()
  @Length(1, 100)
  name!: string;

  @WhenPresent()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @WhenPresent()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  tags?: string[];

  /** On update, replaces the metadata. */
  @WhenPresent()
  @IsObject()
  metadata?: Record<string, unknown>;
}

export class CreateEnvironmentDto extends IntersectionType(CallerRequest, EnvironmentFields) implements CreateEnvironmentRequest {}

export class EnvironmentRefDto extends CallerRequest implements EnvironmentRef {
  @IsUUID()
  environment_id!: string;
}

/** The fields to change (a null is refused like any bad value); `archived` archives, `active` restores. */
export class UpdateEnvironmentDto
  extends IntersectionType(EnvironmentRefDto, PartialType(EnvironmentFields, { skipNullProperties: false }))
  implements UpdateEnvironmentRequest
{
  @WhenPresent()
  @IsIn(ENVIRONMENT_STATUSES)
  status?: EnvironmentStatus;
}

export class AssignmentDto extends EnvironmentRefDto implements AssignmentRequest {
  @IsUUID()
  connection_id!: string;
}

class DeletedFilter {
  @WhenPresent()
  @IsBoolean()
  deleted_at?: boolean;
}

class AssignedFilter extends DeletedFilter {
  @WhenPresent()
  @IsBoolean()
  assigned?: boolean;
}

/** `filter.deleted_at`: true lists the deleted environments (recoverable), false (the default) the others; `tags`: any of them. */
export class EnvironmentListDto extends ListRequest implements EnvironmentListQuery {
  @WhenPresent()
  @ValidateNested()
  @Type(() => DeletedFilter)
  filter?: DeletedFilter;

  @WhenPresent()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  tags?: string[];
}

export class EnvironmentConnectionsDto extends ListRequest implements EnvironmentConnectionsQuery {
  @IsUUID()
  environment_id!: string;

  @WhenPresent()
  @ValidateNested()
  @Type(() => AssignedFilter)
  filter?: AssignedFilter;
}
