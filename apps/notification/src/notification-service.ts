import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestMicroservice, LoggerService, LogLevel } from '@nestjs/common';
import { QUEUE_GROUPS, SUBJECTS } from '@clp/contracts';
import { natsMicroserviceOptions, ReplyExceptionFilter, replyValidationPipe, Requester } from '@clp/messaging';
import type { NotificationConfig } from './config';
import { NATS_CONNECTION } from './intake/notification-intake';
import { NotificationModule } from './notification.module';

/** The notification service as a NestJS microservice on NATS, in its queue group, so replicas share the work. */
export const createNotificationService = async (config: NotificationConfig, logger?: LoggerService | LogLevel[] | false): Promise<INestMicroservice> => {
  const app = await NestFactory.createMicroservice(NotificationModule.forRoot(config), {
    ...natsMicroserviceOptions({ servers: config.natsUrl, name: config.instanceName }, QUEUE_GROUPS.notification),
    ...(logger !== undefined ? { logger } : {}),
  });
  app.useGlobalPipes(replyValidationPipe());
  app.useGlobalFilters(new ReplyExceptionFilter());
  app.enableShutdownHooks();
  return app;
};

/** Listens, and returns once the NATS server routes requests to it (as the other services do). */
export const listenUntilAnswering = async (app: INestMicroservice, timeoutMs = 10_000): Promise<void> => {
  await app.listen();
  const probe = new Requester(app.get(NATS_CONNECTION), { timeoutMs: 1000 });
  const caller = { organization_id: 'notification', user_id: 'readiness', role: 'viewer' as const };
  for (const deadline = Date.now() + timeoutMs; ; ) {
    if (!('error' in (await probe.request(SUBJECTS.notification.eventsSince, { caller, after: 0, limit: 0 })))) return;
    if (Date.now() > deadline) throw new Error(`the notification service does not answer on NATS after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
