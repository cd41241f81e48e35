import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import type { NatsConnection } from 'nats';
import { environmentEventSubject, INTEGRATION_STREAMS } from '@clp/contracts';
import { EVENT_STORE, startLeasedRelay, type EventStore, type Relay } from '@clp/event-store';
import { READ_MODEL_EVENTS } from './read-model/environment-projection';
import { REDIS } from './read-model/environment-read-model';
import { NATS_CONNECTION } from './shell/nats-connection';

/**
 * The relay of the service's events to `ENVIRONMENT_EVENTS` (`environment.events.<EventType>`),
 * by whichever replica holds the relay's lease; name claims stay in the store. Stops it before
 * the connections close (module destroy comes first).
 */
@Injectable()
export class EnvironmentRuntime implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private relay?: Relay;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.relay = await startLeasedRelay({
      name: 'environment-events',
      store: this.store,
      nc: this.nc,
      target: INTEGRATION_STREAMS.environments,
      filter: READ_MODEL_EVENTS,
      subjectFor: (event) => environmentEventSubject(event.type),
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
