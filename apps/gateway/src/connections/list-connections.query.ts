import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { CONNECTION_ORDER, STATUSES, type Status } from '@clp/contracts';
import { MAX_TAGS, WhenPresent } from '@clp/messaging';
import { PageQueryDto } from '../validation/page.query';
import { QueryList } from '../validation/decorators';

const LIST = 'a JSON array (["a","b"]), a single value, or the parameter repeated';

export class ListConnectionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: 256, description: 'name, kind, type, sub-type, a tag or the address contains it (case-insensitive)' })
  @WhenPresent()
  @IsString()
  @MaxLength(256)
  search?: string;

  @ApiPropertyOptional({ maxLength: 256, description: 'the name contains it (case-insensitive)' })
  @WhenPresent()
  @IsString()
  @MaxLength(256)
  name?: string;

  @ApiPropertyOptional({ default: 'updated_at desc', example: 'name asc', pattern: CONNECTION_ORDER.source })
  @WhenPresent()
  @Matches(CONNECTION_ORDER, { message: 'order must be updated_at, created_at or name, then asc or desc' })
  order?: string;

  @ApiPropertyOptional({ type: [String], description: `statuses: ${LIST}, of ${STATUSES.join(', ')}`, example: ['connected'] })
  @WhenPresent()
  @QueryList()
  @IsArray({ message: `status must be ${LIST}` })
  @ArrayMaxSize(STATUSES.length)
  @IsIn(STATUSES, { each: true })
  status?: Status[];

  @ApiPropertyOptional({ type: [String], description: `kinds: ${LIST}`, example: ['prometheus'] })
  @WhenPresent()
  @QueryList()
  @IsArray({ message: `kind must be ${LIST}` })
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  kind?: string[];

  @ApiPropertyOptional({ type: [String], description: `types: ${LIST}`, example: ['observability'] })
  @WhenPresent()
  @QueryList()
  @IsArray({ message: `type must be ${LIST}` })
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  type?: string[];

  @ApiPropertyOptional({ type: [String], description: `tags, any of them: ${LIST}`, example: ['production'] })
  @WhenPresent()
  @QueryList()
  @IsArray({ message: `tags must be ${LIST}` })
  @ArrayMaxSize(MAX_TAGS)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  tags?: string[];
}
