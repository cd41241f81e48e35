import type { INestMicroservice, LoggerService, LogLevel } from '@nestjs/common';
import { QUEUE_GROUPS, SUBJECTS } from '@clp/contracts';
import { createNatsService, listenUntilAnswering as listenAndProbe } from '@clp/messaging';
import type { NotificationConfig } from './config';
import { NotificationModule } from './notification.module';
import { NATS_CONNECTION } from './intake/notification-intake';

/** The service as a NestJS microservice on NATS, in its queue group, so replicas share the work. */
export const createNotificationService = async (config: NotificationConfig, logger?: LoggerService | LogLevel[] | false): Promise<INestMicroservice> =>
  createNatsService(NotificationModule.forRoot(config), { servers: config.natsUrl, name: config.instanceName }, QUEUE_GROUPS.notification, logger);

/** Listens, and returns once the NATS server routes requests to it. */
export const listenUntilAnswering = (app: INestMicroservice, timeoutMs?: number): Promise<void> =>
  listenAndProbe(
    app,
    app.get(NATS_CONNECTION),
    { subject: SUBJECTS.notification.eventsSince, payload: { caller: { organization_id: 'notification', user_id: 'readiness', role: 'viewer' }, after: 0, limit: 0 } },
    timeoutMs,
  );
