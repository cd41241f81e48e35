import type { ConnectionEvent } from './connection-events';
import type { DiscoveryApi } from './discovery-api';
import type { EnvironmentEvent, WorkspaceEvent } from './environment-events';
import type { IntegrationEvent } from './metadata';
import type { EnvironmentApi } from './environment-api';
import type { NotificationApi, NotificationFeedApi } from './notification-api';
import type { RegistryApi } from './registry-api';
import { CONNECTION_EVENT_TYPES } from './connection-events';

/** Every request/reply subject of the system with its request and reply types. */
export type SystemApi = RegistryApi & EnvironmentApi & NotificationApi & NotificationFeedApi & DiscoveryApi;
export type ApiSubject = keyof SystemApi & string;
export type RequestOf<S extends ApiSubject> = SystemApi[S]['request'];
export type ReplyOf<S extends ApiSubject> = SystemApi[S]['reply'];

/**
 * Decodes a message of the `CONNECTION_EVENTS` stream. For a subscriber outside this repository:
 *
 * ```ts
 * const c = await js.consumers.get('CONNECTION_EVENTS', 'my-durable');
 * for await (const m of await c.consume()) {
 *   const event = parseConnectionEvent(m.data);
 *   if (event.type === 'StatusChanged') console.log(event.data.from, '->', event.data.to);
 *   m.ack();
 * }
 * ```
 */
export const parseConnectionEvent = (payload: Uint8Array | string): IntegrationEvent<ConnectionEvent> => {
  const text = typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
  const event = JSON.parse(text) as IntegrationEvent<ConnectionEvent>;
  if (!(CONNECTION_EVENT_TYPES as readonly string[]).includes(event?.type) || typeof event.metadata?.event_id !== 'string') {
    throw new Error(`not a connection event: ${String(event?.type)}`);
  }
  return event;
};

export type AnyIntegrationEvent = IntegrationEvent<ConnectionEvent | EnvironmentEvent | WorkspaceEvent>;
