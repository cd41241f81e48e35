import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestMicroservice, LoggerService, LogLevel } from '@nestjs/common';
import { QUEUE_GROUPS, SUBJECTS } from '@clp/contracts';
import { natsMicroserviceOptions, ReplyExceptionFilter, replyValidationPipe, Requester } from '@clp/messaging';
import type { RegistryConfig } from './config';
import { RegistryModule } from './registry.module';
import { NATS_CONNECTION } from './registry-runtime';

/** The registry as a NestJS microservice on NATS, in its queue group, so replicas share the work. */
export const createRegistry = async (
  config: RegistryConfig,
  logger?: LoggerService | LogLevel[] | false,
): Promise<INestMicroservice> => {
  const app = await NestFactory.createMicroservice(RegistryModule.forRoot(config), {
    ...natsMicroserviceOptions({ servers: config.natsUrl, name: config.instanceName }, QUEUE_GROUPS.registry),
    ...(logger !== undefined ? { logger } : {}),
  });
  app.useGlobalPipes(replyValidationPipe());
  app.useGlobalFilters(new ReplyExceptionFilter());
  app.enableShutdownHooks();
  return app;
};

/**
 * Listens, and returns once the NATS server routes requests to it: `listen()` resolves when the
 * subscriptions are sent, and a request arriving before the server has them finds no responder.
 */
export const listenUntilAnswering = async (app: INestMicroservice, timeoutMs = 10_000): Promise<void> => {
  await app.listen();
  const probe = new Requester(app.get(NATS_CONNECTION), { timeoutMs: 1000 });
  const caller = { organization_id: 'registry', user_id: 'readiness', role: 'viewer' as const };
  for (const deadline = Date.now() + timeoutMs; ; ) {
    if (!('error' in (await probe.request(SUBJECTS.registry.listDefinitions, { caller })))) return;
    if (Date.now() > deadline) throw new Error(`the registry does not answer on NATS after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
