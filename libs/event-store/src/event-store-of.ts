import type { NatsConnection } from 'nats';
import { EventStoreDBEventStore } from './eventstoredb/eventstoredb-event-store';
import { JetStreamEventStore } from './jetstream/jetstream-event-store';
import type { EventStore } from './port';

/**
 * The adapter a service uses, chosen once: EventStoreDB when a connection string is configured
 * (production), otherwise JetStream on the service's NATS server, in the service's own context.
 */
export const eventStoreOf = async (nc: NatsConnection, options: { context: string; eventstoreConnectionString?: string }): Promise<EventStore> =>
  options.eventstoreConnectionString
    ? EventStoreDBEventStore.fromConnectionString(options.eventstoreConnectionString)
    : JetStreamEventStore.create(nc, { context: options.context });
