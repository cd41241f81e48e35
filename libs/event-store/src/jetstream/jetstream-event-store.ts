import {
  AckPolicy,
  DeliverPolicy,
  JSONCodec,
  nanos,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
  type PubAck,
  type StoredMsg,
} from 'nats';
import { HEADERS, type EventEnvelope } from '@clp/contracts';
import { ensureStream, isNotFound } from '@clp/messaging';
import { decodeCheckpoint, encodeCheckpoint } from '../commit';
import { PipelinedPublisher } from './pipelined-publisher';
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
  type ExpectedRevision,
  type ReadOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '../port';

/**
 * One decision = one message. NATS 2.9 has no atomic multi-message publish, so the events of a
 * decision travel together in this envelope and are stored or rejected together.
 */
export interface CommitEnvelope {
  commit_id: string;
  stream: string;
  events: Array<Pick<EventEnvelope, 'type' | 'data' | 'metadata'>>;
}

export interface JetStreamEventStoreOptions {
  /** The bounded context: one JetStream stream per context, `ES_<CONTEXT>` on `es.<context>.>`. */
  context: string;
  publishTimeoutMs?: number;
  /** Attempts at a publish whose acknowledgement was lost; the commit id makes them harmless. */
  publishAttempts?: number;
  replicas?: number;
}

const WRONG_LAST_SEQUENCE = 10071;
const codec = JSONCodec<CommitEnvelope>();

const isWrongLastSequence = (error: unknown): boolean =>
  (error as { api_error?: { err_code?: number } })?.api_error?.err_code === WRONG_LAST_SEQUENCE;

const isRetryable = (error: unknown): boolean => {
  const code = (error as { code?: string })?.code;
  return code === 'TIMEOUT' || code === '503';
};

export class JetStreamEventStore implements EventStore {
  readonly streamName: string;
  private readonly prefix: string;
  private readonly js: JetStreamClient;
  /** Appends from concurrent callers travel together, each awaiting its own acknowledgement. */
  private readonly publisher: PipelinedPublisher;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly options: Required<JetStreamEventStoreOptions>,
  ) {
    const context = options.context.toLowerCase();
    if (!/^[a-z][a-z0-9_]*$/.test(context)) throw new Error(`invalid context "${options.context}"`);
    this.streamName = `ES_${context.toUpperCase()}`;
    this.prefix = `es.${context}`;
    this.js = nc.jetstream();
    this.publisher = new PipelinedPublisher(nc);
  }

  static async create(nc: NatsConnection, options: JetStreamEventStoreOptions): Promise<JetStreamEventStore> {
    const store = new JetStreamEventStore(nc, await nc.jetstreamManager(), {
      publishTimeoutMs: 5000,
      publishAttempts: 5,
      replicas: 1,
      ...options,
    });
    await ensureStream(store.jsm, { name: store.streamName, subjects: [`${store.prefix}.>`] }, { num_replicas: store.options.replicas });
    return store;
  }

  subjectOf(stream: string): string {
    const { category, id } = parseStreamName(stream);
    return `${this.prefix}.${category}.${id}`;
  }

  async appendToStream(stream: string, events: EventEnvelope[], options: AppendOptions): Promise<AppendResult> {
    if (events.length === 0) throw new Error('a commit needs at least one event');
    const subject = this.subjectOf(stream);
    const commitId = options.commitId ?? events[0].metadata.event_id;
    const payload = codec.encode({
      commit_id: commitId,
      stream,
      events: events.map(({ type, data, metadata }) => ({ type, data, metadata })),
    });
    const result = (seq: number): AppendResult => ({
      nextExpectedRevision: BigInt(seq),
      position: encodeCheckpoint(seq, events.length - 1),
    });

    for (;;) {
      const expected = await this.expectedSequence(stream, subject, options.expectedRevision);
      try {
        return result((await this.publish(subject, payload, commitId, expected)).seq);
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
        // A retry whose first attempt was stored (its ack lost) finds its own commit last.
        const last = await this.lastMessage(subject);
        if (last?.header?.get(HEADERS.messageId) === commitId) return result(last.seq);
        // `stream_exists` holds as long as there is a last message: someone appended, try again.
        if (options.expectedRevision === 'stream_exists' && last) continue;
        throw new ExpectedRevisionConflict(stream, options.expectedRevision, last ? BigInt(last.seq) : 'no_stream');
      }
    }
  }

  async readStream(stream: string, options: ReadOptions = {}): Promise<RecordedEvent[]> {
    const subject = this.subjectOf(stream);
    if (options.direction === 'backwards' && options.maxCount === 1 && options.fromRevision === undefined) {
      // The last event is in the subject's last commit: one request, no consumer.
      const last = await this.lastMessage(subject);
      return last ? this.toRecorded(last).slice(-1) : [];
    }
    // An ephemeral consumer filtered to the stream's subject reads its commits in order.
    // NATS 2.9 knows `filter_subject` only (one subject, as a string).
    const info = await this.jsm.consumers.add(this.streamName, {
      filter_subject: subject,
      ack_policy: AckPolicy.None,
      mem_storage: true,
      inactive_threshold: nanos(30_000),
      ...(options.fromRevision !== undefined && options.fromRevision > 0n
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: Number(options.fromRevision) }
        : { deliver_policy: DeliverPolicy.All }),
    });
    const events: RecordedEvent[] = [];
    try {
      let remaining = info.num_pending;
      if (remaining === 0) return events;
      const messages = this.js.fetch(this.streamName, info.name, { batch: remaining, expires: this.options.publishTimeoutMs });
      for await (const message of messages) {
        events.push(...this.toRecorded(message));
        if (--remaining === 0) break;
      }
      if (remaining > 0) throw new Error(`stream ${stream}: ${remaining} commits not delivered in time`);
    } finally {
      this.jsm.consumers.delete(this.streamName, info.name).catch(() => undefined);
    }
    const ordered = options.direction === 'backwards' ? events.reverse() : events;
    return options.maxCount === undefined ? ordered : ordered.slice(0, options.maxCount);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    return new JetStreamAllSubscription(this, options);
  }

  async lastPosition(filter?: AllFilter): Promise<Checkpoint | undefined> {
    const prefixes = filter?.streamPrefixes ?? [];
    const category = prefixes.length === 1 ? /^([a-z][a-z0-9_]*)-$/.exec(prefixes[0])?.[1] : undefined;
    // The last commit on the category's subjects answers at once; only a filter the server cannot
    // apply (event types, several prefixes) walks back further, commit by commit.
    let message = await this.lastMessage(category ? `${this.prefix}.${category}.>` : `${this.prefix}.>`);
    for (let seq = message?.seq ?? 0; seq > 0; ) {
      const last = message && this.toRecorded(message).filter((event) => matchesFilter(event, filter)).at(-1);
      if (last) return last.position;
      seq--;
      message = seq > 0 ? await this.messageAt(seq) : undefined;
    }
    return undefined;
  }

  /** @internal used by the subscription */
  async openAll(options: SubscribeToAllOptions) {
    const [seq] = options.fromCheckpoint ? decodeCheckpoint(options.fromCheckpoint) : [0n];
    // One category can be filtered by the server; anything else is filtered here.
    const prefixes = options.filter?.streamPrefixes ?? [];
    const category = prefixes.length === 1 ? /^([a-z][a-z0-9_]*)-$/.exec(prefixes[0])?.[1] : undefined;
    const consumer = await this.js.consumers.get(this.streamName, {
      ...(category ? { filterSubjects: `${this.prefix}.${category}.>` } : {}),
      // Start at the checkpoint's own commit: its later events may not have been handled yet.
      ...(seq > 0n ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: Number(seq) } : {}),
    });
    return consumer.consume({ max_messages: 512 });
  }

  /** @internal */
  toRecorded(message: JsMsg | StoredMsg): RecordedEvent[] {
    const commit = codec.decode(message.data);
    const revision = BigInt(message.seq);
    return commit.events.map((event, index) => ({
      stream: commit.stream,
      revision,
      position: encodeCheckpoint(message.seq, index),
      type: event.type,
      data: event.data,
      metadata: event.metadata,
    }));
  }

  async close(): Promise<void> {
    // The connection belongs to the caller.
    this.publisher.close();
  }

  private async expectedSequence(stream: string, subject: string, expected: ExpectedRevision): Promise<number | undefined> {
    if (expected === 'any') return undefined;
    if (expected === 'no_stream') return 0;
    if (typeof expected === 'bigint') return Number(expected);
    const last = await this.lastMessage(subject);
    if (!last) throw new ExpectedRevisionConflict(stream, expected, 'no_stream');
    return last.seq;
  }

  private async lastMessage(subject: string): Promise<StoredMsg | undefined> {
    try {
      return await this.jsm.streams.getMessage(this.streamName, { last_by_subj: subject });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async messageAt(seq: number): Promise<StoredMsg | undefined> {
    try {
      return await this.jsm.streams.getMessage(this.streamName, { seq });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async publish(subject: string, payload: Uint8Array, commitId: string, expected: number | undefined): Promise<PubAck> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.publisher.publish(subject, payload, {
          msgID: commitId,
          timeoutMs: this.options.publishTimeoutMs,
          lastSubjectSequence: expected,
        });
      } catch (error) {
        if (!isRetryable(error) || attempt >= this.options.publishAttempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }
}

/** Iterates the ordered consumer, skipping the checkpoint's commit up to the checkpoint's event. */
class JetStreamAllSubscription implements AllSubscription {
  private stopped = false;
  private messages?: Awaited<ReturnType<JetStreamEventStore['openAll']>>;

  constructor(
    private readonly store: JetStreamEventStore,
    private readonly options: SubscribeToAllOptions,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.stopped) return;
    this.messages = await this.store.openAll(this.options);
    if (this.stopped) void this.messages.close();
    const from = this.options.fromCheckpoint;
    for await (const message of this.messages) {
      for (const event of this.store.toRecorded(message)) {
        if (from !== undefined && event.position <= from) continue;
        if (!matchesFilter(event, this.options.filter)) continue;
        yield event;
        if (this.stopped) return;
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // nats.js resolves close() only when the iterator is read again, which a reader that broke
    // out of its loop never does; the timers and the subscription stop at once either way.
    void this.messages?.close();
  }
}
