import { DeliverPolicy, type ConsumerMessages, type NatsConnection } from 'nats';
import { INTEGRATION_STREAMS, parseConnectionEvent } from '@clp/contracts';
import { ensureStream } from '@clp/messaging';
import { encodeConnectionEvent, type EncodedEvent } from './encode-events';

const STREAM = INTEGRATION_STREAMS.connections;

export const positionOfSeq = (seq: number): string => String(seq).padStart(20, '0');

export interface ConnectionEventsReader extends AsyncIterable<EncodedEvent> {
  stop(): Promise<void>;
}

/** The sequence of the last message of CONNECTION_EVENTS (0 when empty), creating the stream if the registry has not yet. */
export const lastConnectionEventSeq = async (nc: NatsConnection): Promise<number> => {
  const info = await ensureStream(await nc.jetstreamManager(), STREAM);
  return info.state.last_seq;
};

/**
 * CONNECTION_EVENTS after `position` (a sequence, zero-padded), in order, then live, through an
 * ordered consumer: nothing is acknowledged and nothing stays on the server, and the reader's
 * position lives beside its data (the read model's checkpoint), so a rebuild can read the
 * stream from its start again. A message that is not a connection event keeps its place as a
 * no-op, so the checkpoint still moves past it.
 */
export const readConnectionEvents = (nc: NatsConnection, position?: string): ConnectionEventsReader => {
  let stopped = false;
  let messages: ConsumerMessages | undefined;
  let last = position ? Number(position) : 0;
  async function* events(): AsyncGenerator<EncodedEvent> {
    await ensureStream(await nc.jetstreamManager(), STREAM);
    const consumer = await nc.jetstream().consumers.get(STREAM.name, {
      ...(last > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: last + 1 } : {}),
    });
    messages = await consumer.consume({ max_messages: 1024 });
    if (stopped) void messages.close();
    for await (const message of messages) {
      if (stopped) break;
      last = message.seq;
      let encoded: EncodedEvent;
      try {
        const event = parseConnectionEvent(message.data);
        encoded = encodeConnectionEvent(event, message.seq, event.metadata.occurred_at, event.metadata.actor.type === 'user' ? event.metadata.actor.id : null);
      } catch {
        encoded = { position: positionOfSeq(message.seq), type: 'NotAConnectionEvent', at: '', at_ms: 0, org: '' };
      }
      yield encoded;
    }
  }
  const iterable = events();
  return {
    [Symbol.asyncIterator]: () => iterable,
    stop: async () => {
      stopped = true;
      // nats.js resolves close() only when the iterator is read again: not awaited.
      void messages?.close();
    },
  };
};
