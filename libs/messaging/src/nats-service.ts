import 'reflect-metadata';
import type { DynamicModule, INestMicroservice, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NatsConnection } from 'nats';
import type { NatsSettings } from './connection';
import { natsMicroserviceOptions, ReplyExceptionFilter, replyValidationPipe } from './nest-replies';
import { Requester } from './requester';

/**
 * A service as a NestJS microservice on NATS, in its queue group so replicas share the work:
 * replies through the reply serializer, every message validated, typed errors, clean shutdown.
 */
export const createNatsService = async (
  module: DynamicModule,
  settings: NatsSettings,
  queue: string,
  logger?: LoggerService | LogLevel[] | false,
): Promise<INestMicroservice> => {
  const app = await NestFactory.createMicroservice(module, {
    ...natsMicroserviceOptions(settings, queue),
    ...(logger !== undefined ? { logger } : {}),
  });
  app.useGlobalPipes(replyValidationPipe());
  app.useGlobalFilters(new ReplyExceptionFilter());
  app.enableShutdownHooks();
  return app;
};

/**
 * Listens, and returns once the NATS server routes requests to the service: `listen()` resolves
 * when the subscriptions are sent, and a request arriving before the server has them finds no
 * responder. `probe` is a cheap query of the service, asked over `nc` until it is answered.
 */
export const listenUntilAnswering = async (
  app: INestMicroservice,
  nc: NatsConnection,
  probe: { subject: string; payload: unknown },
  timeoutMs = 10_000,
): Promise<void> => {
  await app.listen();
  const requester = new Requester(nc, { timeoutMs: 1000 });
  for (const deadline = Date.now() + timeoutMs; ; ) {
    if (!('error' in (await requester.send(probe.subject, probe.payload)))) return;
    if (Date.now() > deadline) throw new Error(`${probe.subject} is not answered on NATS after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
