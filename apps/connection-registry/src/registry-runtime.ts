import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import type { NatsConnection } from 'nats';
import { connectionEventSubject, INTEGRATION_STREAMS } from '@clp/contracts';
import { EVENT_STORE, startLeasedRelay, type EventStore, type Relay } from '@clp/event-store';
import { REDIS } from './read-model/connection-read-model';

export const NATS_CONNECTION = Symbol('NATS_CONNECTION');

/**
 * The registry's background work besides the projection: the relay of its events to
 * `CONNECTION_EVENTS`, by whichever replica holds the relay's lease. Stops it before the connections close (module destroy comes first).
 */
@Injectable()
export class RegistryRuntime implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private relay?: Relay;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.relay = await startLeasedRelay({
      name: 'registry-connection-events',
      store: this.store,
      nc: this.nc,
      target: INTEGRATION_STREAMS.connections,
      filter: { streamPrefixes: ['connection-'] },
      subjectFor: (event) => connectionEventSubject((event.data as { kind: string }).kind, event.type),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay?.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.nc.drain();
    this.redis.disconnect();
  }
}
