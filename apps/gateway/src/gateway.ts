import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import fastifyMultipart from '@fastify/multipart';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { replyValidationPipe } from '@clp/messaging';
import { resolveJwtSecret } from './auth/jwt-secret';
import type { GatewayConfig } from './config';
import { serveOpenApi } from './docs/openapi';
import { clientErrorHandler, frameworkErrors, refuseLongUrls } from './errors/edge';
import { MAX_PARAM_LENGTH } from './errors/error-response';
import { HttpErrorFilter } from './errors/http-error.filter';
import { acceptJsonBodiesOnly, BODY_LIMIT_BYTES } from './errors/json-body';
import { GatewayModule } from './gateway.module';
import { acceptMultipartOnUploadOnly, MULTIPART_LIMITS } from './kubernetes/kubeconfig-upload';
import { HttpMetrics } from './metrics/http-metrics';
import { refuseUnstorableJson } from './validation/json-limits';
import { RefuseUnknownQueryParameters } from './validation/query-parameters';
import { acceptMesherySpellings } from './validation/spellings';
import { serveWeb } from './web/serve-web';

const CORRELATION_ID = 'correlation-id';

// A caller's correlation id is kept if it looks like one; otherwise the request gets its own.
const correlationIdOf = (request: IncomingMessage): string => {
  const given = request.headers[CORRELATION_ID];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
};

/**
 * The gateway, initialized and not yet listening: `listen` it on a port (0 in tests). Commands
 * and queries go to the registry over NATS; the gateway keeps no state of its own.
 */
export const createGateway = async (
  config: GatewayConfig,
  logger?: LoggerService | LogLevel[] | false,
): Promise<NestFastifyApplication> => {
  const jwtSecret = resolveJwtSecret(config, (message) => new Logger('auth').log(message));
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: correlationIdOf,
    maxParamLength: MAX_PARAM_LENGTH,
    frameworkErrors,
    clientErrorHandler,
  });
  const fastify = adapter.getInstance();
  refuseLongUrls(fastify);
  acceptJsonBodiesOnly(fastify);
  // After the JSON parser: the kubeconfig upload also takes multipart (design.md §10), no other route does.
  void fastify.register(fastifyMultipart, { limits: MULTIPART_LIMITS });
  acceptMultipartOnUploadOnly(fastify);
  refuseUnstorableJson(fastify);
  acceptMesherySpellings(fastify);
  const metrics = new HttpMetrics();
  metrics.instrument(fastify);
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header(CORRELATION_ID, request.id);
  });
  serveWeb(fastify, config.webDistDir);

  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config, jwtSecret, metrics), adapter, {
    bodyParser: false,
    abortOnError: false,
    ...(logger !== undefined ? { logger } : {}),
  });
  app.useGlobalPipes(replyValidationPipe());
  app.useGlobalInterceptors(new RefuseUnknownQueryParameters());
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  serveOpenApi(app);
  await app.init();
  return app;
};
