import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { SUBJECTS } from '@clp/contracts';
import { NotificationLog } from '../log/notification-log';
import { NotificationStore } from '../store/notification-store';
import { CallerRequest, requireRole } from '@clp/messaging';
import { EventsSinceDto, ListNotificationsDto, MarkNotificationsDto, NotificationIdsDto } from './notification.dto';

const N = SUBJECTS.notification;

/**
 * The notification center's NATS API. Everything is scoped to the caller's organization: ids of
 * another organization are simply not found. Viewers read and mark; deleting is an admin's (design.md §10).
 */
@Controller()
export class NotificationsController {
  constructor(
    private readonly store: NotificationStore,
    private readonly log: NotificationLog,
  ) {}

  @MessagePattern(N.listEvents)
  list(@Payload() request: ListNotificationsDto) {
    const { caller, page, pagesize, ...filter } = request;
    return this.store.list({ ...filter, org: caller.organization_id, page: page ?? 0, pagesize: pagesize ?? 10 });
  }

  /** The distinct categories and actions of the organization's notifications (Meshery's event types). */
  @MessagePattern(N.eventTypes)
  types(@Payload() request: CallerRequest) {
    return this.store.types(request.caller.organization_id);
  }

  @MessagePattern(N.markEvents)
  async mark(@Payload() request: MarkNotificationsDto) {
    requireRole(request.caller, 'viewer');
    const org = request.caller.organization_id;
    const ids = await this.store.own(org, [...new Set(request.ids)]);
    if (ids.length > 0) await this.log.change({ type: 'marked', organization_id: org, ids, status: request.status });
    return { updated: ids.length };
  }

  @MessagePattern(N.deleteEvents)
  async delete(@Payload() request: NotificationIdsDto) {
    requireRole(request.caller, 'admin');
    const org = request.caller.organization_id;
    const ids = await this.store.own(org, [...new Set(request.ids)]);
    if (ids.length > 0) await this.log.change({ type: 'deleted', organization_id: org, ids });
    return { deleted: ids.length };
  }

  /** The feed after a seq, oldest first: how a live subscriber catches up (`Last-Event-ID`). */
  @MessagePattern(N.eventsSince)
  since(@Payload() request: EventsSinceDto) {
    return this.store.since(request.caller.organization_id, request.after, request.limit ?? 100);
  }
}
