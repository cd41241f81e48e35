import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  START,
  StreamNotFoundError,
  streamNameFilter,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { EventEnvelope, EventMetadata } from '@clp/contracts';
import { decodeCheckpoint, encodeCheckpoint } from '../commit';
import {
  ExpectedRevisionConflict,
  matchesFilter,
  parseStreamName,
  type AllFilter,
  type AllSubscription,
  type AppendOptions,
  type AppendResult,
  type Checkpoint,
  type EventStore,
  type ReadOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '../port';

/** Positions in `$all` are (commit, prepare) pairs; the checkpoint keeps both. */
export const positionToCheckpoint = (position: Position): string => encodeCheckpoint(position.commit, position.prepare);

export const checkpointToPosition = (checkpoint: string): Position => {
  const [commit, prepare] = decodeCheckpoint(checkpoint);
  return { commit, prepare };
};

type Recorded = NonNullable<ResolvedEvent['event'] | AllStreamResolvedEvent['event']>;

export const toRecordedEvent = (event: Recorded): RecordedEvent => ({
  stream: event.streamId,
  revision: event.revision,
  position: event.position ? positionToCheckpoint(event.position) : '',
  type: event.type,
  data: event.data,
  metadata: event.metadata as unknown as EventMetadata,
});

/**
 * The production adapter. EventStoreDB appends a decision's events atomically and makes a retry
 * with the same event ids idempotent by itself, so the commit id is not needed here.
 */
export class EventStoreDBEventStore implements EventStore {
  constructor(private readonly client: EventStoreDBClient) {}

  static fromConnectionString(connectionString: string): EventStoreDBEventStore {
    return new EventStoreDBEventStore(EventStoreDBClient.connectionString(connectionString));
  }

  async appendToStream(stream: string, events: EventEnvelope[], options: AppendOptions): Promise<AppendResult> {
    parseStreamName(stream);
    try {
      const result = await this.client.appendToStream(
        stream,
        events.map(({ type, data, metadata }) =>
          jsonEvent({ id: metadata.event_id, type, data: data as Record<string, unknown>, metadata: { ...metadata } }),
        ),
        { expectedRevision: options.expectedRevision },
      );
      return {
        nextExpectedRevision: result.nextExpectedRevision,
        position: result.position ? positionToCheckpoint(result.position) : '',
      };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new ExpectedRevisionConflict(stream, options.expectedRevision, error.actualVersion);
      }
      throw error;
    }
  }

  async readStream(stream: string, options: ReadOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, {
        fromRevision: options.fromRevision ?? (backwards ? 'end' : START),
        direction: backwards ? BACKWARDS : FORWARDS,
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
      })) {
        if (resolved.event) events.push(toRecordedEvent(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const prefixes = options.filter?.streamPrefixes;
    const subscription = this.client.subscribeToAll({
      fromPosition: options.fromCheckpoint ? checkpointToPosition(options.fromCheckpoint) : START,
      filter: prefixes?.length ? streamNameFilter({ prefixes }) : excludeSystemEvents(),
    });
    return {
      async *[Symbol.asyncIterator]() {
        for await (const resolved of subscription) {
          if (!resolved.event) continue;
          const event = toRecordedEvent(resolved.event);
          if (matchesFilter(event, options.filter)) yield event;
        }
      },
      stop: () => subscription.unsubscribe(),
    };
  }

  /** Reads `$all` backwards to the first event that matches: the last one in the store's order. */
  async lastPosition(filter?: AllFilter): Promise<Checkpoint | undefined> {
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END })) {
      const event = resolved.event;
      if (!event || event.streamId.startsWith('$') || !event.position) continue;
      if (matchesFilter({ stream: event.streamId, type: event.type }, filter)) return positionToCheckpoint(event.position);
    }
    return undefined;
  }

  close(): Promise<void> {
    return this.client.dispose();
  }
}
