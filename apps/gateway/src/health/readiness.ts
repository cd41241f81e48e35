import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { EventStoreDBClient, StreamNotFoundError } from '@eventstore/db-client';
import Redis from 'ioredis';
import type { JetStreamManager, NatsConnection } from 'nats';
import { SUBJECTS } from '@clp/contracts';
import { Requester } from '@clp/messaging';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { NATS_CONNECTION } from '../registry/registry-connection';

export const CHECK_TIMEOUT_MS = 2000;

export interface CheckResult {
  ok: boolean;
  latency_ms: number;
  error?: string;
}

export type Dependency = 'nats' | 'redis' | 'event_store';

/** A service's read models as it reports them: the events they could not apply and skipped. */
export interface ReadModelReport {
  dead_letters?: number;
  error?: string;
}

/** The services whose read models readiness shows, and the subject each answers on. */
const READ_MODEL_SERVICES = {
  registry: SUBJECTS.registry.readModelHealth,
  environment: SUBJECTS.environment.readModelHealth,
  notification: SUBJECTS.notification.readModelHealth,
};
export type ReadModelService = keyof typeof READ_MODEL_SERVICES;

const within = <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

/**
 * Readiness (design.md §11): NATS, Redis and the event store each answer a cheap request within
 * CHECK_TIMEOUT_MS. The event store is EventStoreDB when configured, otherwise JetStream.
 */
@Injectable()
export class Readiness implements OnApplicationShutdown {
  private readonly logger = new Logger('Readiness');
  private readonly redis: Redis;
  private eventStore?: EventStoreDBClient;
  private jsm?: JetStreamManager;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    // No offline queue and no retries per command: a PING fails at once while Redis is down.
    this.redis = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    let down = false;
    this.redis.on('error', (error: Error) => {
      if (!down) this.logger.warn(`redis: ${error.message}`);
      down = true;
    });
    this.redis.on('ready', () => (down = false));
    this.redis.connect().catch(() => undefined);
  }

  async check(): Promise<Record<Dependency, CheckResult>> {
    const [nats, redis, event_store] = await Promise.all([
      this.run(() => this.nc.rtt()),
      this.run(() => this.redis.ping()),
      this.run(() => this.pingEventStore()),
    ]);
    return { nats, redis, event_store };
  }

  /**
   * Each service's report of its read models (dead letters: events skipped, see docs/registry.md).
   * Shown, not judged: a dead letter or a service that does not answer leaves the gateway ready.
   */
  async readModels(): Promise<Record<ReadModelService, ReadModelReport>> {
    const requester = new Requester(this.nc, { timeoutMs: CHECK_TIMEOUT_MS });
    const services = Object.keys(READ_MODEL_SERVICES) as ReadModelService[];
    const reports = await Promise.all(
      services.map(async (service): Promise<ReadModelReport> => {
        const reply = await requester.send(READ_MODEL_SERVICES[service], {}).catch((error: Error) => ({ error: { message: error.message } }));
        return 'error' in reply ? { error: reply.error.message } : (reply.result as ReadModelReport);
      }),
    );
    return Object.fromEntries(services.map((service, i) => [service, reports[i]])) as Record<ReadModelService, ReadModelReport>;
  }

  private async run(probe: () => Promise<unknown>): Promise<CheckResult> {
    const started = performance.now();
    try {
      await within(probe(), CHECK_TIMEOUT_MS);
      return { ok: true, latency_ms: Math.round(performance.now() - started) };
    } catch (error) {
      return { ok: false, latency_ms: Math.round(performance.now() - started), error: (error as Error).message || String(error) };
    }
  }

  private async pingEventStore(): Promise<void> {
    if (!this.config.eventstoreConnectionString) {
      this.jsm ??= await this.nc.jetstreamManager({ checkAPI: false });
      await this.jsm.getAccountInfo();
      return;
    }
    this.eventStore ??= EventStoreDBClient.connectionString(this.config.eventstoreConnectionString);
    try {
      // A stream no one writes: "not found" is an answer, and the cheapest one.
      for await (const _event of this.eventStore.readStream('$clp-gateway-readiness', { maxCount: 1 })) break;
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
    await this.eventStore?.dispose();
  }
}
