import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsString, IsUUID, Length, Matches, MaxLength, ValidateBy } from 'class-validator';
import { ENVIRONMENT_STATUSES, LIST_ORDER, type EnvironmentStatus } from '@clp/contracts';
import { WhenPresent } from '@clp/messaging';
import { IsBoundedObject, QueryList } from '../validation/decorators';
import { PageQueryDto } from '../validation/page.query';

/** Meshery's clients name the organization they act in; it must be the caller's (403 otherwise), and is not stored. */
class OrganizationField {
  @ApiPropertyOptional({ maxLength: 128, description: "the caller's organization (from the token); another one is 403 forbidden" })
  @WhenPresent()
  @IsString()
  @Length(1, 128)
  organization_id?: string;
}

export class CreateEnvironmentDto extends OrganizationField {
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

export class CreateWorkspaceDto extends OrganizationField {
  @ApiProperty({ minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @WhenPresent()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'on update, replaces the metadata' })
  @WhenPresent()
  @IsBoundedObject({ maxKeys: 64, maxBytes: 65_536 })
  metadata?: Record<string, unknown>;
}

export class UpdateWorkspaceDto extends PartialType(CreateWorkspaceDto, { skipNullProperties: false }) {}

/** `page`, `pagesize`, `search` (name or description), `order` and `orgID` of the environment and workspace lists. */
export class ListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: 128, description: "Meshery's organization parameter: the caller's organization (from the token); another one is 403 forbidden" })
  @WhenPresent()
  @IsString()
  @Length(1, 128)
  orgID?: string;

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

/**
 * `filter`: Meshery's JSON conditions, as query text. Empty (`filter=` or `{}`) is none; text that
 * is not JSON stays a string, which `IsFilterOf` refuses by name like an unknown condition.
 */
const JsonFilter = () =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    if (value.trim() === '') return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  });

const IsFilterOf = (conditions: string[]) =>
  ValidateBy({
    name: 'isFilterOf',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' && value !== null && !Array.isArray(value) && Object.entries(value).every(([key, v]) => conditions.includes(key) && typeof v === 'boolean'),
      defaultMessage: () => `filter must be a JSON object of ${conditions.map((c) => `"${c}": true or false`).join(', ')}`,
    },
  });

export class EnvironmentListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ type: String, example: '{"deleted_at":true}', description: 'JSON: {"deleted_at":true} lists the deleted environments (recoverable until purged), false (the default) the others' })
  @WhenPresent()
  @JsonFilter()
  @IsFilterOf(['deleted_at'])
  filter?: { deleted_at?: boolean };

  @ApiPropertyOptional({ type: [String], description: 'tags, any of them: a JSON array (["a","b"]), a single value, or the parameter repeated', example: ['production'] })
  @WhenPresent()
  @QueryList()
  @IsArray({ message: 'tags must be a JSON array (["a","b"]), a single value, or the parameter repeated' })
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  tags?: string[];
}

export class EnvironmentConnectionsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    type: String,
    example: '{"assigned":false}',
    description: 'JSON: {"assigned":true} (the default) lists its connections, false the organization\'s others; {"deleted_at":false} is the default, true an empty page (a deleted connection is in no list)',
  })
  @WhenPresent()
  @JsonFilter()
  @IsFilterOf(['assigned', 'deleted_at'])
  filter?: { assigned?: boolean; deleted_at?: boolean };
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
