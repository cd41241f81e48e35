import type { INestMicroservice, LoggerService, LogLevel } from '@nestjs/common';
import { QUEUE_GROUPS, SUBJECTS } from '@clp/contracts';
import { createNatsService, listenUntilAnswering as listenAndProbe } from '@clp/messaging';
import type { RegistryConfig } from './config';
import { RegistryModule } from './registry.module';
import { NATS_CONNECTION } from './registry-runtime';

/** The service as a NestJS microservice on NATS, in its queue group, so replicas share the work. */
export const createRegistry = async (config: RegistryConfig, logger?: LoggerService | LogLevel[] | false): Promise<INestMicroservice> =>
  createNatsService(RegistryModule.forRoot(config), { servers: config.natsUrl, name: config.instanceName }, QUEUE_GROUPS.registry, logger);

/** Listens, and returns once the NATS server routes requests to it. */
export const listenUntilAnswering = (app: INestMicroservice, timeoutMs?: number): Promise<void> =>
  listenAndProbe(
    app,
    app.get(NATS_CONNECTION),
    { subject: SUBJECTS.registry.listDefinitions, payload: { caller: { organization_id: 'registry', user_id: 'readiness', role: 'viewer' } } },
    timeoutMs,
  );
