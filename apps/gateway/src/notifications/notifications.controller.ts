import { Body, Controller, Delete, Get, Param, Put, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ReplyError, SUBJECTS } from '@clp/contracts';
import { validationFailed } from '@clp/messaging';
import { Context, TokenInQuery, type RequestContext } from '../auth/request-context';
import { ApiErrors } from '../errors/api-errors.decorator';
import { IdParams } from '../validation/id-params';
import { LiveFeeds } from './live-feeds';
import { NotificationClient } from './notification-client';
import { ListNotificationsQueryDto, MarkNotificationDto, MarkNotificationsBodyDto, NotificationIdsBodyDto } from './notification.dto';
import { NotificationDeletedDoc, NotificationPageDoc, NotificationsDeletedDoc, NotificationStatusDoc, NotificationsUpdatedDoc, NotificationTypesDoc } from './notification.views';

const N = SUBJECTS.notification;

const notFound = () => new ReplyError('not_found', 'notification not found', {});

/** `Last-Event-ID`: the seq of the last notification the client has (absent: only what comes next). */
const lastEventIdOf = (request: FastifyRequest): number | undefined => {
  const header = request.headers['last-event-id'];
  if (header === undefined || header === '') return undefined;
  if (typeof header !== 'string' || !/^\d{1,15}$/.test(header.trim())) {
    throw validationFailed([{ field: 'Last-Event-ID', reasons: ['Last-Event-ID must be the id of a notification event (a non-negative integer)'] }]);
  }
  return Number(header.trim());
};

/** The notification center (design.md §9): the organization's notifications, and live ones as server-sent events. */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 404, 503)
@Controller('api/system/events')
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationClient,
    private readonly live: LiveFeeds,
  ) {}

  @Get()
  @ApiOperation({ summary: 'the organization\'s notifications, newest first, filtered and paged; count_by_severity_level counts the unread ones' })
  @ApiOkResponse({ type: NotificationPageDoc })
  list(@Context() context: RequestContext, @Query() query: ListNotificationsQueryDto) {
    return this.notifications.call(N.listEvents, context, query);
  }

  @Get('types')
  @ApiOperation({ summary: 'the distinct categories and actions of the organization\'s notifications' })
  @ApiOkResponse({ type: NotificationTypesDoc })
  types(@Context() context: RequestContext) {
    return this.notifications.call(N.eventTypes, context, {});
  }

  @Get('subscribe')
  @ApiOperation({ summary: 'live notifications as server-sent events (id: the notification\'s place in the feed); Last-Event-ID resumes after it' })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'the id of the last event received: every notification after it comes first, in order' })
  @ApiQuery({ name: 'access_token', required: false, description: 'the bearer token, for a client that cannot send headers (a browser EventSource); the Authorization header wins' })
  @ApiOkResponse({
    description: '`id: <seq>` and `data: <notification JSON>` per notification, a `: keep-alive` comment every 15 s',
    content: { 'text/event-stream': { schema: { type: 'string', example: 'id: 7\ndata: {"id":"…","severity":"success",…}\n\n' } } },
  })
  @TokenInQuery()
  async subscribe(@Context() context: RequestContext, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const start = await this.live.open(context, lastEventIdOf(request));
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'correlation-id': request.id,
    });
    reply.raw.write('retry: 2000\n: connected\n\n');
    start(reply.raw);
  }

  @Put('status/bulk')
  @ApiOperation({ summary: 'mark notifications read or unread; ids of other organizations are left alone' })
  @ApiOkResponse({ type: NotificationsUpdatedDoc })
  markMany(@Context() context: RequestContext, @Body() body: MarkNotificationsBodyDto) {
    return this.notifications.call(N.markEvents, context, { ids: body.ids, status: body.status });
  }

  @Put('status/:id')
  @ApiOperation({ summary: 'mark one notification read or unread' })
  @ApiOkResponse({ type: NotificationStatusDoc })
  async markOne(@Context() context: RequestContext, @Param() { id }: IdParams, @Body() body: MarkNotificationDto) {
    const { updated } = await this.notifications.call(N.markEvents, context, { ids: [id], status: body.status });
    if (updated === 0) throw notFound();
    return { id, status: body.status };
  }

  @Delete('bulk')
  @ApiOperation({ summary: 'delete notifications (admin); ids of other organizations are left alone' })
  @ApiOkResponse({ type: NotificationsDeletedDoc })
  deleteMany(@Context() context: RequestContext, @Body() body: NotificationIdsBodyDto) {
    return this.notifications.call(N.deleteEvents, context, { ids: body.ids });
  }

  @Delete(':id')
  @ApiOperation({ summary: 'delete one notification (admin)' })
  @ApiOkResponse({ type: NotificationDeletedDoc })
  async deleteOne(@Context() context: RequestContext, @Param() { id }: IdParams) {
    const { deleted } = await this.notifications.call(N.deleteEvents, context, { ids: [id] });
    if (deleted === 0) throw notFound();
    return { id };
  }
}
