import { randomUUID } from 'node:crypto';
import { headers as natsHeaders, type NatsConnection } from 'nats';
import { connectionEventSubject, HEADERS, INTEGRATION_STREAMS, type IntegrationEvent, type StatusChanged, type Status } from '@clp/contracts';
import { ensureStream } from '@clp/messaging';

/** A StatusChanged as the registry's relay puts it on CONNECTION_EVENTS. */
export const statusChangedEvent = (
  org: string,
  connectionId: string,
  from: Status,
  to: Status,
  options: { cause?: 'user' | 'system'; id?: string; revision?: number } = {},
): IntegrationEvent<StatusChanged> => ({
  type: 'StatusChanged',
  data: {
    connection_id: connectionId,
    organization_id: org,
    kind: 'prometheus',
    name: `prom-${connectionId.slice(0, 8)}`,
    from,
    to,
    cause: options.cause ?? 'system',
    actor: 'health-monitor',
    reason: `${from} to ${to}`,
  },
  metadata: {
    event_id: options.id ?? randomUUID(),
    occurred_at: new Date().toISOString(),
    correlation_id: randomUUID(),
    causation_id: null,
    actor: { type: 'system', id: 'health-monitor' },
    schema_version: 1,
  },
  stream: `connection-${connectionId}`,
  revision: String(options.revision ?? 1),
});

/**
 * Publishes events on CONNECTION_EVENTS as the relay does (`Nats-Msg-Id` = event id, unless
 * `messageId` gives another: the way to put one event on the stream twice, as a redelivery would).
 */
export const publishConnectionEvents = async (nc: NatsConnection, events: IntegrationEvent<StatusChanged>[], messageId?: (event: IntegrationEvent<StatusChanged>) => string) => {
  const js = nc.jetstream();
  await ensureStream(await nc.jetstreamManager(), INTEGRATION_STREAMS.connections);
  await Promise.all(
    events.map((event) => {
      const h = natsHeaders();
      h.set(HEADERS.messageId, messageId?.(event) ?? event.metadata.event_id);
      return js.publish(connectionEventSubject(event.data.kind, event.type), JSON.stringify(event), { headers: h });
    }),
  );
};
