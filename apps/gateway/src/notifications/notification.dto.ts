import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { NOTIFICATION_SORT_FIELDS, SEVERITIES, type NotificationSortField, type Severity } from '@clp/contracts';
import { WhenPresent } from '@clp/messaging';
import { QueryList } from '../validation/decorators';
import { PageQueryDto } from '../validation/page.query';

const LIST = 'a JSON array (["a","b"]), a single value, or the parameter repeated';
const READ_STATUSES = ['read', 'unread'] as const;
const ORDERS = ['asc', 'desc'] as const;
const MAX_IDS = 500;

export class ListNotificationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: [String], description: `severities: ${LIST}, of ${SEVERITIES.join(', ')}`, example: ['error', 'critical'] })
  @WhenPresent()
  @QueryList()
  @IsArray({ message: `severity must be ${LIST}` })
  @ArrayMaxSize(SEVERITIES.length)
  @IsIn(SEVERITIES, { each: true })
  severity?: Severity[];

  @ApiPropertyOptional({ enum: READ_STATUSES })
  @WhenPresent()
  @IsIn(READ_STATUSES)
  status?: 'read' | 'unread';

  @ApiPropertyOptional({ type: [String], description: `categories: ${LIST} (connection, environment, workspace)`, example: ['connection'] })
  @WhenPresent()
  @QueryList()
  @IsArray({ message: `category must be ${LIST}` })
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  category?: string[];

  @ApiPropertyOptional({ type: [String], description: `actions: ${LIST} (e.g. status_changed, registered, discovered, deleted)`, example: ['status_changed'] })
  @WhenPresent()
  @QueryList()
  @IsArray({ message: `action must be ${LIST}` })
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  action?: string[];

  @ApiPropertyOptional({ maxLength: 256, description: 'the description, category or action contains it (case-insensitive)' })
  @WhenPresent()
  @IsString()
  @MaxLength(256)
  search?: string;

  @ApiPropertyOptional({ type: [String], description: `the connection, environment or workspace ids it is about: ${LIST}` })
  @WhenPresent()
  @QueryList()
  @IsArray({ message: `acted_upon must be ${LIST}` })
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  acted_upon?: string[];

  @ApiPropertyOptional({ enum: NOTIFICATION_SORT_FIELDS, description: 'the field to order by (one an index answers); absent: the order they were stored in' })
  @WhenPresent()
  @IsIn(NOTIFICATION_SORT_FIELDS, { message: `sort must be one of: ${NOTIFICATION_SORT_FIELDS.join(', ')}` })
  sort?: NotificationSortField;

  @ApiPropertyOptional({ enum: ORDERS, default: 'desc' })
  @WhenPresent()
  @IsIn(ORDERS)
  order?: 'asc' | 'desc';
}

export class MarkNotificationDto {
  @ApiProperty({ enum: READ_STATUSES })
  @IsIn(READ_STATUSES)
  status!: 'read' | 'unread';
}

export class NotificationIdsBodyDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_IDS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_IDS)
  @IsUUID(undefined, { each: true })
  ids!: string[];
}

export class MarkNotificationsBodyDto extends NotificationIdsBodyDto {
  @ApiProperty({ enum: READ_STATUSES })
  @IsIn(READ_STATUSES)
  status!: 'read' | 'unread';
}
