import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { v5 as uuidv5 } from 'uuid';
import { INTEGRATION_STREAMS, parseConnectionEvent, type ConnectionEvent, type IntegrationEvent } from '@clp/contracts';
import { environmentDecider } from '@clp/environments';
import { EVENT_STORE, type EventStore } from '@clp/event-store';
import { consumeDurable, ensureStream, type RunningConsumer } from '@clp/messaging';
import { waitUntil } from '../shell/wait-until';
import { READ_MODEL_EVENTS } from '../read-model/environment-projection';
import { EnvironmentReadModel } from '../read-model/environment-read-model';
import { systemMetadata } from '../shell/command-context';
import { environmentStream, StreamCommands } from '../shell/stream-commands';
import { NATS_CONNECTION } from '../shell/nats-connection';

export const CONNECTION_DELETED_CONSUMER = 'environment-connection-deleted';
// Namespace of the reaction's command ids: one per (deleted connection event, environment).
const REACTION_NAMESPACE = '3f6a1c2e-7b4d-5e8f-9a0b-1c2d3e4f5a6b';

/**
 * A connection deleted in the registry leaves every environment (design.md §7): a durable consumer of
 * `ConnectionDeleted` on CONNECTION_EVENTS, shared by the replicas, appends `ConnectionUnassigned`
 * (reason `connection_deleted`) to each environment holding it, and acks only then. Redelivery is
 * harmless: an environment that no longer holds it decides nothing, and the command ids derive
 * from the event id, so a retried append is the same commit.
 */
@Injectable()
export class ConnectionDeletedReaction implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ConnectionDeletedReaction.name);
  private consumer?: RunningConsumer;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly streams: StreamCommands,
    private readonly readModel: EnvironmentReadModel,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The registry's relay creates the stream too; whichever service starts first does.
    await ensureStream(await this.nc.jetstreamManager(), INTEGRATION_STREAMS.connections);
    this.consumer = await consumeDurable<IntegrationEvent<ConnectionEvent>>(this.nc, {
      stream: INTEGRATION_STREAMS.connections.name,
      durable: CONNECTION_DELETED_CONSUMER,
      // Every kind: `connectionEventSubject` would escape the wildcard.
      filterSubject: 'connection.events.*.ConnectionDeleted',
      decode: parseConnectionEvent,
      concurrency: 8,
      handle: (event) => this.handle(event),
      logger: this.logger,
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }

  async handle(event: IntegrationEvent<ConnectionEvent>): Promise<void> {
    if (event.type !== 'ConnectionDeleted') return;
    const connectionId = event.data.connection_id;
    // The environments holding it come from the read model: first let it catch up with every
    // assignment stored until now, so none is missed.
    const head = await this.store.lastPosition?.(READ_MODEL_EVENTS);
    if (head) await waitUntil(async () => ((await this.readModel.position()).checkpoint ?? '') >= head, 10_000, 'the read model to catch up');
    for (const environmentId of await this.readModel.environmentsOf(connectionId)) {
      const metadata = systemMetadata(uuidv5(`${event.metadata.event_id}/${environmentId}`, REACTION_NAMESPACE), 'connection-deleted');
      await this.streams.execute(
        environmentDecider,
        environmentStream(environmentId),
        { type: 'UnassignConnection', data: { connection_id: connectionId, reason: 'connection_deleted' }, metadata },
        { correlation_id: event.metadata.correlation_id, causation_id: event.metadata.event_id },
      );
    }
  }
}
