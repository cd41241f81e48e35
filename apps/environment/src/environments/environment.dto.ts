import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsObject, IsString, IsUUID, Length, MaxLength, ValidateNested } from 'class-validator';
import { ENVIRONMENT_STATUSES, type AssignmentRequest, type CreateEnvironmentRequest, type EnvironmentConnectionsQuery, type EnvironmentRef, type EnvironmentStatus, type UpdateEnvironmentRequest } from '@clp/contracts';
import { CallerRequest, WhenPresent } from '@clp/messaging';
import { ListRequest } from '../shell/command-context';

export class CreateEnvironmentDto extends CallerRequest implements CreateEnvironmentRequest {
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

  @WhenPresent()
  @IsObject()
  metadata?: Record<string, unknown>;
}

export class UpdateEnvironmentDto extends CallerRequest implements UpdateEnvironmentRequest {
  @IsUUID()
  environment_id!: string;

  @WhenPresent()
  @IsString()
  @Length(1, 100)
  name?: string;

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

  /** Replaces the metadata. */
  @WhenPresent()
  @IsObject()
  metadata?: Record<string, unknown>;

  /** `archived` archives, `active` restores. */
  @WhenPresent()
  @IsIn(ENVIRONMENT_STATUSES)
  status?: EnvironmentStatus;
}

export class EnvironmentRefDto extends CallerRequest implements EnvironmentRef {
  @IsUUID()
  environment_id!: string;
}

export class AssignmentDto extends EnvironmentRefDto implements AssignmentRequest {
  @IsUUID()
  connection_id!: string;
}

class AssignedFilter {
  @WhenPresent()
  @IsBoolean()
  assigned?: boolean;
}

export class EnvironmentConnectionsDto extends ListRequest implements EnvironmentConnectionsQuery {
  @IsUUID()
  environment_id!: string;

  @WhenPresent()
  @ValidateNested()
  @Type(() => AssignedFilter)
  filter?: AssignedFilter;
}
