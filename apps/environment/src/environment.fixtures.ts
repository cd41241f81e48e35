import type { INestMicroservice } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import { SUBJECTS, type Caller, type ConnectionView, type Reply } from '@clp/contracts';
import { Requester } from '@clp/messaging';
import { startNats, startRedis, startService, type RunningService, type TestServer } from '@clp/testing';
import type { EnvironmentConfig } from './config';
import { createEnvironmentService, listenUntilAnswering } from './environment-service';

/** A real NATS and Redis, the registry as its own process, the environment service in this one, and a client of both APIs. */
export interface EnvironmentHarness {
  nats: TestServer;
  redis: TestServer;
  registry: RunningService;
  app: INestMicroservice;
  config: EnvironmentConfig;
  nc: NatsConnection;
  api: Requester;
  /** A connection registered through the registry's API (admin, no connectivity test). */
  connection(caller: Caller, name: string, kind?: 'github' | 'prometheus'): Promise<ConnectionView>;
  stop(): Promise<void>;
}

/** The result of a reply that must not be an error. */
export const result = <T>(reply: Reply<T>): T => {
  if ('error' in reply) throw new Error(`unexpected error reply: ${JSON.stringify(reply.error)}`);
  return reply.result;
};

export const startEnvironmentHarness = async (): Promise<EnvironmentHarness> => {
  const [nats, redis] = await Promise.all([startNats(), startRedis()]);
  const registry = await startService({
    name: 'connection-registry',
    entry: 'apps/connection-registry/src/main.ts',
    env: { NATS_URL: nats.url, REDIS_URL: redis.url, INSTANCE_NAME: 'registry-for-environment-tests', SERVER_ORGANIZATION: 'environment-tests-server', NODE_ENV: 'test' },
    ready: /listening on/,
  });
  const config: EnvironmentConfig = { natsUrl: nats.url, redisUrl: redis.url, instanceName: 'environment-test', readModelPrefix: 'environment:v1:', registryTimeoutMs: 5000 };
  const app = await createEnvironmentService(config, process.env.ENVIRONMENT_TEST_LOGS ? ['log', 'warn', 'error'] : false);
  await listenUntilAnswering(app);
  const nc = await connect({ servers: nats.url });
  const api = new Requester(nc, { timeoutMs: 10_000 });
  let n = 0;
  return {
    nats,
    redis,
    registry,
    app,
    config,
    nc,
    api,
    connection: async (caller, name, kind = 'github') => {
      n++;
      const metadata = kind === 'github' ? { url: 'https://github.com', owner: 'clp', repository: `${name}-${n}` } : { url: `http://127.0.0.1:1/${name}-${n}` };
      const admin = { ...caller, role: 'admin' as const };
      return result(await api.request(SUBJECTS.registry.registerConnection, { caller: admin, kind, name, metadata, skip_connectivity_test: true }));
    },
    stop: async () => {
      await nc.close();
      await app.close();
      await registry.stop();
      await Promise.all([nats.stop(), redis.stop()]);
    },
  };
};
