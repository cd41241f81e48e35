import type { INestMicroservice, LoggerService } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import type { Reply } from '@clp/contracts';
import { Requester } from '@clp/messaging';
import { startNats, startRedis, type TestServer } from '@clp/testing';
import type { RegistryConfig } from './config';
import { createRegistry, listenUntilAnswering } from './registry';

/** Registry replicas on a real NATS and Redis started for one spec, and a client of their NATS API. */
export interface RegistryHarness {
  nats: TestServer;
  redis: TestServer;
  config: RegistryConfig;
  /** The first replica. */
  app: INestMicroservice;
  replicas: INestMicroservice[];
  nc: NatsConnection;
  api: Requester;
  /** Stops the first replica and starts it again, as a deployment would. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export const startRegistryHarness = async ({
  replicas = 1,
  logger = false,
  ...overrides
}: Partial<RegistryConfig> & { replicas?: number; logger?: LoggerService | false } = {}): Promise<RegistryHarness> => {
  const [nats, redis] = await Promise.all([startNats(), startRedis()]);
  const config: RegistryConfig = {
    natsUrl: nats.url,
    redisUrl: redis.url,
    instanceName: 'registry-test',
    readModelPrefix: 'registry:v1:',
    connectivityTimeoutMs: 2000,
    intakeConcurrency: 8,
    ...overrides,
  };
  const start = async (n: number) => {
    const app = await createRegistry({ ...config, instanceName: `${config.instanceName}-${n}` }, logger);
    await listenUntilAnswering(app);
    return app;
  };
  const apps = await Promise.all(Array.from({ length: replicas }, (_, n) => start(n)));
  const nc = await connect({ servers: nats.url });
  const harness: RegistryHarness = {
    nats,
    redis,
    config,
    app: apps[0],
    replicas: apps,
    nc,
    api: new Requester(nc, { timeoutMs: 10_000 }),
    restart: async () => {
      await harness.app.close();
      harness.app = apps[0] = await start(0);
    },
    stop: async () => {
      await nc.close();
      await Promise.all(apps.map((app) => app.close()));
      await Promise.all([nats.stop(), redis.stop()]);
    },
  };
  return harness;
};

/** The result of a reply that must not be an error. */
export const result = <T>(reply: Reply<T>): T => {
  if ('error' in reply) throw new Error(`unexpected error reply: ${JSON.stringify(reply.error)}`);
  return reply.result;
};
