import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CONNECTION_ORDER, STATUSES, type ListConnectionsQuery, type Status } from '@clp/contracts';
import { PageRequest } from '@clp/messaging';

export class ListConnectionsDto extends PageRequest implements ListConnectionsQuery {
  @IsOptional()
  @IsString()
  @MaxLength(256)
  search?: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  name?: string;

  @IsOptional()
  @Matches(CONNECTION_ORDER, { message: 'order must be updated_at, created_at or name, then asc or desc' })
  order?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(8)
  @IsIn(STATUSES, { each: true })
  status?: Status[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  kind?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  type?: string[];
}
