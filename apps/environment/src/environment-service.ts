import type { INestMicroservice, LoggerService, LogLevel } from '@nestjs/common';
import { QUEUE_GROUPS, SUBJECTS } from '@clp/contracts';
import { createNatsService, listenUntilAnswering as listenAndProbe } from '@clp/messaging';
import type { EnvironmentConfig } from './config';
import { EnvironmentModule } from './environment.module';
import { NATS_CONNECTION } from './shell/nats-connection';

/** The service as a NestJS microservice on NATS, in its queue group, so replicas share the work. */
export const createEnvironmentService = async (config: EnvironmentConfig, logger?: LoggerService | LogLevel[] | false): Promise<INestMicroservice> =>
  createNatsService(EnvironmentModule.forRoot(config), { servers: config.natsUrl, name: config.instanceName }, QUEUE_GROUPS.environment, logger);

/** Listens, and returns once the NATS server routes requests to it. */
export const listenUntilAnswering = (app: INestMicroservice, timeoutMs?: number): Promise<void> =>
  listenAndProbe(
    app,
    app.get(NATS_CONNECTION),
    { subject: SUBJECTS.environment.listWorkspaces, payload: { caller: { organization_id: 'environment', user_id: 'readiness', role: 'viewer' }, pagesize: 1 } },
    timeoutMs,
  );
