import { ApiProperty } from '@nestjs/swagger';
import { SEVERITIES, type Notification, type NotificationTypes, type Severity, type SeverityCount } from '@clp/contracts';

// The OpenAPI shapes of the notification service's replies, which the gateway returns as they are.

export class NotificationDoc implements Notification {
  @ApiProperty({ format: 'uuid', description: 'the id of the event it was made of' }) id!: string;
  @ApiProperty() organization_id!: string;
  @ApiProperty({ example: 'connection' }) category!: string;
  @ApiProperty({ example: 'status_changed' }) action!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'the connection, environment or workspace it is about' }) acted_upon!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'from, to, cause, reason, kind, name, event_type, event_id, …' })
  metadata!: Record<string, unknown>;
  @ApiProperty({ enum: ['read', 'unread'] }) status!: 'read' | 'unread';
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class SeverityCountDoc implements SeverityCount {
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiProperty({ minimum: 1 }) count!: number;
}

export class NotificationPageDoc {
  @ApiProperty({ type: [NotificationDoc] }) events!: NotificationDoc[];
  @ApiProperty() page!: number;
  @ApiProperty() page_size!: number;
  @ApiProperty() total_count!: number;
  @ApiProperty({ type: [SeverityCountDoc], description: 'unread notifications of the organization by severity (the severities it has)' })
  count_by_severity_level!: SeverityCountDoc[];
}

export class NotificationTypesDoc implements NotificationTypes {
  @ApiProperty({ type: [String], example: ['connection', 'environment'] }) category!: string[];
  @ApiProperty({ type: [String], example: ['registered', 'status_changed'] }) action!: string[];
}

export class NotificationStatusDoc {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['read', 'unread'] }) status!: 'read' | 'unread';
}

export class NotificationsUpdatedDoc {
  @ApiProperty({ description: "how many of the ids are the organization's" }) updated!: number;
}

export class NotificationDeletedDoc {
  @ApiProperty({ format: 'uuid' }) id!: string;
}

export class NotificationsDeletedDoc {
  @ApiProperty() deleted!: number;
}
