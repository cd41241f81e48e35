import { DeliverPolicy, type ConsumerMessages, type NatsConnection } from 'nats';
import { INTEGRATION_STREAMS, parseConnectionEvent, type ConnectionEvent } from '@clp/contracts';
import { ensureStream } from '@clp/messaging';
import type { MonitorLogger } from './ports';

export interface FeedTarget {
  apply(event: ConnectionEvent): void;
  /** Called once, when the events stored before the feed started have all been applied. */
  start(): void;
}

/**
 * `CONNECTION_EVENTS` from its first message, then live, through an ordered consumer (nats.js
 * recreates it where it left off after a gap or a NATS restart). Nothing is acknowledged and
 * nothing stays on the server: every replica reads the whole stream for itself.
 */
export class ConnectionFeed {
  private stopped = false;
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private lastSeq = 0;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly target: FeedTarget,
    private readonly logger: MonitorLogger,
  ) {}

  static async start(nc: NatsConnection, target: FeedTarget, logger: MonitorLogger): Promise<ConnectionFeed> {
    const feed = new ConnectionFeed(nc, target, logger);
    const info = await ensureStream(await nc.jetstreamManager(), INTEGRATION_STREAMS.connections);
    const stored = info.state.last_seq;
    if (stored === 0) target.start();
    feed.loop = feed.run(stored);
    return feed;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // nats.js resolves close() only when the iterator is read again: not awaited.
    void this.messages?.close();
    await this.loop;
  }

  private async run(stored: number): Promise<void> {
    let caughtUp = stored === 0;
    while (!this.stopped) {
      try {
        const consumer = await this.nc.jetstream().consumers.get(INTEGRATION_STREAMS.connections.name, {
          ...(this.lastSeq > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.lastSeq + 1 } : {}),
        });
        this.messages = await consumer.consume({ max_messages: 1024 });
        if (this.stopped) void this.messages.close();
        for await (const message of this.messages) {
          this.lastSeq = message.seq;
          try {
            this.target.apply(parseConnectionEvent(message.data));
          } catch (error) {
            this.logger.warn(`skipped message ${message.seq} of ${INTEGRATION_STREAMS.connections.name}: ${(error as Error).message}`);
          }
          if (!caughtUp && (message.seq >= stored || message.info.pending === 0)) {
            caughtUp = true;
            this.target.start();
          }
          if (this.stopped) break;
        }
      } catch (error) {
        if (this.stopped) break;
        this.logger.warn(`reading ${INTEGRATION_STREAMS.connections.name} failed, resuming after message ${this.lastSeq}: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
}
