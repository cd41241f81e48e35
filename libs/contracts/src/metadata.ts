/** Who asked for a change: a person through the API, or a service of the system. */
export interface Actor {
  type: 'user' | 'system';
  /** The user id (JWT `sub`) or the service's name, e.g. `health-monitor`. */
  id: string;
}

export interface EventMetadata {
  /** Deterministic for a command (UUIDv5 of the command id and the event's index), so retries never duplicate. */
  event_id: string;
  /** ISO-8601 instant, taken from the command's metadata, never from a clock inside a decider. */
  occurred_at: string;
  correlation_id: string;
  /** The id of the command or event that caused this one; null for a first cause. */
  causation_id: string | null;
  actor: Actor;
  schema_version: number;
  /** W3C trace context of the request that caused the event. */
  traceparent?: string;
}

/** What a decider returns: a fact, without the metadata the shell adds. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/** An event as stored and as carried on the bus. */
export type EventEnvelope<E extends DomainEvent = DomainEvent> = E & { metadata: EventMetadata };

/**
 * An event on an integration stream. `stream` is the event stream it belongs to
 * (`connection-<id>`); `revision` orders the events of that stream (a decimal string: it is a
 * 64-bit number and JSON numbers are not).
 */
export type IntegrationEvent<E extends DomainEvent = DomainEvent> = EventEnvelope<E> & {
  stream: string;
  revision: string;
};

export const SCHEMA_VERSION = 1;
