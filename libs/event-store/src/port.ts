import type { DomainEvent, EventEnvelope, EventMetadata } from '@clp/contracts';

/**
 * The event store port of design.md §4. Stream names are `<category>-<id>` (`connection-<uuid>`).
 *
 * Revisions are opaque, increase with every commit to a stream, and are passed back as the
 * expected revision of the next append: the last event read (or the append's result) tells the
 * current one. EventStoreDB counts events; JetStream uses the stream sequence of the commit.
 */
export type ExpectedRevision = 'no_stream' | 'any' | 'stream_exists' | bigint;

/**
 * A position in the store's global order, as a string that compares correctly as a string
 * (zero-padded numbers: Lua and JSON would lose 64-bit integers). Resuming from a checkpoint
 * delivers the events after it.
 */
export type Checkpoint = string;

export interface RecordedEvent<E extends DomainEvent = DomainEvent> {
  stream: string;
  revision: bigint;
  position: Checkpoint;
  type: E['type'];
  data: E['data'];
  metadata: EventMetadata;
}

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
  /**
   * Identifies this decision, so that a retry after a lost acknowledgement is stored once.
   * Defaults to the first event's id.
   */
  commitId?: string;
}

export interface AppendResult {
  nextExpectedRevision: bigint;
  position: Checkpoint;
}

export interface ReadOptions {
  fromRevision?: bigint;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
}

export interface AllFilter {
  /** Stream name prefixes, e.g. `connection-`. */
  streamPrefixes?: string[];
  eventTypes?: string[];
}

export interface SubscribeToAllOptions {
  /** The checkpoint of the last event already handled; absent to start at the beginning. */
  fromCheckpoint?: Checkpoint;
  filter?: AllFilter;
}

/** Every event of the store, in order, then live ones, until `stop()`. */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  stop(): Promise<void>;
}

export interface EventStore {
  appendToStream(stream: string, events: EventEnvelope[], options: AppendOptions): Promise<AppendResult>;
  /** The stream's events (none for a stream that does not exist). */
  readStream(stream: string, options?: ReadOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;
  /**
   * The position of the last stored event that matches the filter (absent when none does): how
   * a reader of `subscribeToAll`, which never ends, knows it has caught up with the head.
   */
  lastPosition?(filter?: AllFilter): Promise<Checkpoint | undefined>;
  close(): Promise<void>;
}

/** DI token for the event store port; the module picks the adapter once. */
export const EVENT_STORE = Symbol('EVENT_STORE');

export class ExpectedRevisionConflict extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream' | undefined,
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, found ${String(actual ?? 'unknown')}`);
    this.name = 'ExpectedRevisionConflict';
  }
}

const STREAM_NAME = /^([a-z][a-z0-9_]*)-([A-Za-z0-9_-]+)$/;

/** Splits `connection-<id>` into its category and id; throws on a name the stores cannot hold. */
export const parseStreamName = (stream: string): { category: string; id: string } => {
  const match = STREAM_NAME.exec(stream);
  if (!match) throw new Error(`invalid stream name "${stream}": expected <category>-<id> of [A-Za-z0-9_-]`);
  return { category: match[1], id: match[2] };
};

export const matchesFilter = (event: { stream: string; type: string }, filter: AllFilter | undefined): boolean =>
  (!filter?.streamPrefixes?.length || filter.streamPrefixes.some((prefix) => event.stream.startsWith(prefix))) &&
  (!filter?.eventTypes?.length || filter.eventTypes.includes(event.type));
