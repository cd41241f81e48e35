import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestMicroservice, LoggerService, LogLevel } from '@nestjs/common';
import { QUEUE_GROUPS } from '@clp/contracts';
import { natsMicroserviceOptions, ReplyExceptionFilter, replyValidationPipe } from '@clp/messaging';
import type { RegistryConfig } from './config';
import { RegistryModule } from './registry.module';

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
