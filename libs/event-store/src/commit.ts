import { parse as parseUuid, v5 as uuidv5 } from 'uuid';
import { SCHEMA_VERSION, type Actor, type DomainEvent, type EventEnvelope } from '@clp/contracts';

// A fixed namespace for the platform's deterministic event ids.
const EVENT_ID_NAMESPACE = parseUuid('6f1d3c2a-9b8e-5d4f-8a7b-1c2d3e4f5a6b');
const utf8 = new TextEncoder();

/** The id of the `index`th event a command decided: the same on every retry of that command. */
export const eventId = (commandId: string, index: number): string => uuidv5(utf8.encode(`${commandId}/${index}`), EVENT_ID_NAMESPACE);

export interface CommitContext {
  command_id: string;
  now: string;
  actor: Actor;
  correlation_id?: string;
  causation_id?: string | null;
  traceparent?: string;
}

/** Wraps a decision's events with their metadata, ready to append. */
export const toEnvelopes = <E extends DomainEvent>(events: E[], context: CommitContext): EventEnvelope<E>[] =>
  events.map((event, index) => ({
    ...event,
    metadata: {
      event_id: eventId(context.command_id, index),
      occurred_at: context.now,
      correlation_id: context.correlation_id ?? context.command_id,
      causation_id: context.causation_id ?? context.command_id,
      actor: context.actor,
      schema_version: SCHEMA_VERSION,
      ...(context.traceparent ? { traceparent: context.traceparent } : {}),
    },
  }));

const pad = (value: bigint | number, width: number): string => value.toString().padStart(width, '0');

/** Two 64-bit numbers as one checkpoint string that sorts as the positions do. */
export const encodeCheckpoint = (major: bigint | number, minor: bigint | number): string => `${pad(major, 20)}:${pad(minor, 20)}`;

export const decodeCheckpoint = (checkpoint: string): [bigint, bigint] => {
  const match = /^(\d{20}):(\d{20})$/.exec(checkpoint);
  if (!match) throw new Error(`invalid checkpoint "${checkpoint}"`);
  return [BigInt(match[1]), BigInt(match[2])];
};
