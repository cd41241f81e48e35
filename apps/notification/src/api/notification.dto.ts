import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { NOTIFICATION_SORT_FIELDS, SEVERITIES, type NotificationSortField, type Severity } from '@clp/contracts';
import { CallerRequest, PageRequest, WhenPresent } from '@clp/messaging';

export const READ_STATUSES = ['read', 'unread'] as const;
export const MAX_IDS = 500;
export const ORDERS = ['asc', 'desc'] as const;

export class ListNotificationsDto extends PageRequest {
  @WhenPresent()
  @IsArray()
  @ArrayMaxSize(SEVERITIES.length)
  @IsIn(SEVERITIES, { each: true })
  severity?: Severity[];

  @WhenPresent()
  @IsIn(READ_STATUSES)
  status?: 'read' | 'unread';

  @WhenPresent()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  category?: string[];

  @WhenPresent()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  action?: string[];

  @WhenPresent()
  @IsString()
  @MaxLength(256)
  search?: string;

  @WhenPresent()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  acted_upon?: string[];

  @WhenPresent()
  @IsIn(NOTIFICATION_SORT_FIELDS)
  sort?: NotificationSortField;

  @WhenPresent()
  @IsIn(ORDERS)
  order?: 'asc' | 'desc';
}

export class NotificationIdsDto extends CallerRequest {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_IDS)
  @IsUUID(undefined, { each: true })
  ids!: string[];
}

export class MarkNotificationsDto extends NotificationIdsDto {
  @IsIn(READ_STATUSES)
  status!: 'read' | 'unread';
}

export class EventsSinceDto extends CallerRequest {
  @IsInt()
  @Min(0)
  after!: number;

  @WhenPresent()
  @IsInt()
  @Min(0)
  @Max(1000)
  limit?: number;
}
