import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { plainToInstance, Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsObject, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ENVIRONMENT_STATUSES, LIST_ORDER, type EnvironmentStatus } from '@clp/contracts';
import { WhenPresent } from '@clp/messaging';
import { IsBoundedObject } from '../validation/decorators';
import { PageQueryDto } from '../validation/page.query';

export class CreateEnvironmentDto {
  @ApiProperty({ minLength: 1, maxLength: 100, description: 'unique in the organization, whatever its case' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @WhenPresent()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 32 })
  @WhenPresent()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @WhenPresent()
  @IsBoundedObject({ maxKeys: 64, maxBytes: 65_536 })
  metadata?: Record<string, unknown>;
}

/**
 * PUT /environments/{id}: the fields to change (a `null` is refused, not read as absent; metadata
 * is replaced); `status` archives (`archived`) or restores (`active`).
 */
export class UpdateEnvironmentDto extends PartialType(CreateEnvironmentDto, { skipNullProperties: false }) {
  @ApiPropertyOptional({ enum: ENVIRONMENT_STATUSES })
  @WhenPresent()
  @IsIn(ENVIRONMENT_STATUSES)
  status?: EnvironmentStatus;
}

export class CreateWorkspaceDto {
  @ApiProperty({ minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @WhenPresent()
  @IsString()
  @MaxLength(1000)
  description?: string;
}

export class UpdateWorkspaceDto extends PartialType(CreateWorkspaceDto, { skipNullProperties: false }) {}

/** `page`, `pagesize`, `search` (name or description) and `order` of the environment and workspace lists. */
export class ListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: 256, description: 'the name (or description) contains it, case-insensitive' })
  @WhenPresent()
  @IsString()
  @MaxLength(256)
  search?: string;

  @ApiPropertyOptional({ default: 'updated_at desc', example: 'name asc', pattern: LIST_ORDER.source })
  @WhenPresent()
  @Matches(LIST_ORDER, { message: 'order must be updated_at, created_at or name, then asc or desc' })
  order?: string;
}

export class AssignedFilterDto {
  @WhenPresent()
  @IsBoolean()
  assigned?: boolean;
}

/** `filter` arrives as JSON text; anything that is not a JSON object stays a string, which validation refuses by name. */
const parseFilter = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  try {
    const parsed = JSON.parse(value) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? plainToInstance(AssignedFilterDto, parsed) : value;
  } catch {
    return value;
  }
};

export class EnvironmentConnectionsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ type: String, example: '{"assigned":false}', description: 'JSON: {"assigned":true} (the default) lists its connections, false the organization\'s others' })
  @WhenPresent()
  @Transform(parseFilter)
  @IsObject({ message: 'filter must be a JSON object such as {"assigned":false}' })
  @ValidateNested()
  filter?: AssignedFilterDto;
}

export class EnvironmentConnectionParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  connectionId!: string;
}

export class WorkspaceEnvironmentParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  environmentId!: string;
}
