import { ArrayMaxSize, IsArray, IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { CONNECTION_ORDER, STATUSES, type ListConnectionsQuery, type Status } from '@clp/contracts';
import { MAX_TAGS, PageRequest, WhenPresent } from '@clp/messaging';

export class ListConnectionsDto extends PageRequest implements ListConnectionsQuery {
  @WhenPresent()
  @IsString()
  @MaxLength(256)
  search?: string;

  @WhenPresent()
  @IsString()
  @MaxLength(256)
  name?: string;

  @WhenPresent()
  @Matches(CONNECTION_ORDER, { message: 'order must be updated_at, created_at or name, then asc or desc' })
  order?: string;

  @WhenPresent()
  @IsArray()
  @ArrayMaxSize(8)
  @IsIn(STATUSES, { each: true })
  status?: Status[];

  @WhenPresent()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  kind?: string[];

  @WhenPresent()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  type?: string[];

  @WhenPresent()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  tags?: string[];
}
