import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { SUBJECTS } from '@clp/contracts';
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
  constructor(private readonly store: NotificationStore) {}

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
    return { updated: await this.store.mark(request.caller.organization_id, [...new Set(request.ids)], request.status) };
  }

  @MessagePattern(N.deleteEvents)
  async delete(@Payload() request: NotificationIdsDto) {
    requireRole(request.caller, 'admin');
    return { deleted: await this.store.delete(request.caller.organization_id, [...new Set(request.ids)]) };
  }

  /** The feed after a seq, oldest first: how a live subscriber catches up (`Last-Event-ID`). */
  @MessagePattern(N.eventsSince)
  since(@Payload() request: EventsSinceDto) {
    return this.store.since(request.caller.organization_id, request.after, request.limit ?? 100);
  }
}
