import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestMicroservice, LoggerService, LogLevel } from '@nestjs/common';
import { QUEUE_GROUPS, SUBJECTS } from '@clp/contracts';
import { natsMicroserviceOptions, ReplyExceptionFilter, replyValidationPipe, Requester } from '@clp/messaging';
import type { EnvironmentConfig } from './config';
import { EnvironmentModule } from './environment.module';
import { NATS_CONNECTION } from './shell/nats-connection';

/** The environment service as a NestJS microservice on NATS, in its queue group, so replicas share the work. */
export const createEnvironmentService = async (config: EnvironmentConfig, logger?: LoggerService | LogLevel[] | false): Promise<INestMicroservice> => {
  const app = await NestFactory.createMicroservice(EnvironmentModule.forRoot(config), {
    ...natsMicroserviceOptions({ servers: config.natsUrl, name: config.instanceName }, QUEUE_GROUPS.environment),
    ...(logger !== undefined ? { logger } : {}),
  });
  app.useGlobalPipes(replyValidationPipe());
  app.useGlobalFilters(new ReplyExceptionFilter());
  app.enableShutdownHooks();
  return app;
};

/**
 * Listens, and returns once the NATS server routes requests to it (as the registry does: a
 * request arriving before the server has the subscriptions finds no responder).
 */
export const listenUntilAnswering = async (app: INestMicroservice, timeoutMs = 10_000): Promise<void> => {
  await app.listen();
  const probe = new Requester(app.get(NATS_CONNECTION), { timeoutMs: 1000 });
  const caller = { organization_id: 'environment', user_id: 'readiness', role: 'viewer' as const };
  for (const deadline = Date.now() + timeoutMs; ; ) {
    if (!('error' in (await probe.request(SUBJECTS.environment.listWorkspaces, { caller, pagesize: 1 })))) return;
    if (Date.now() > deadline) throw new Error(`the environment service does not answer on NATS after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
