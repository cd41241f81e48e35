import { Logger } from '@nestjs/common';
import { headers as natsHeaders, type NatsConnection, type PubAck } from 'nats';
import { HEADERS, type IntegrationEvent, type StreamSpec } from '@clp/contracts';
import { ensureStream } from '@clp/messaging';
import { batchesOf } from './batches';
import { NatsKvCheckpointStore, type CheckpointStore } from './checkpoint-store';
import { Lease } from './lease';
import { PipelinedPublisher } from './jetstream/pipelined-publisher';
import type { AllFilter, AllSubscription, EventStore, RecordedEvent } from './port';

/** As long as nats.js's default for a JetStream publish. */
const PUBLISH_TIMEOUT_MS = 5000;

export interface RelayOptions {
  /** Names the relay's checkpoint: one per source store and target stream. */
  name: string;
  store: EventStore;
  nc: NatsConnection;
  checkpoints: CheckpointStore;
  /** The integration stream, created if missing. */
  target: StreamSpec;
  /** The subject an event is published on; `undefined` keeps it off the bus. */
  subjectFor(event: RecordedEvent): string | undefined;
  filter?: AllFilter;
  /** Events published concurrently before the checkpoint is saved. */
  batchSize?: number;
  publishAttempts?: number;
  /** Only the replica holding it relays; the others stand by and take over when it lapses. */
  lease?: { lease: Lease; renewEveryMs: number };
  logger?: Pick<Logger, 'log' | 'warn' | 'error'>;
}

/**
 * Publishes every stored event to the integration stream (design.md §4). Storing first and relaying
 * from the store makes "stored but never published" impossible; the checkpoint, saved after each
 * acknowledged batch, and `Nats-Msg-Id` = event id make a re-delivery after a crash harmless.
 */
export class Relay {
  /** Events this instance published that the stream had not seen. */
  published = 0;
  /** Events this instance published that the stream dropped as already stored. */
  duplicates = 0;
  private stopped = false;
  private subscription?: AllSubscription;
  private loop?: Promise<void>;
  /** A batch's publishes travel together, each awaiting its own acknowledgement. */
  private readonly publisher: PipelinedPublisher;
  private readonly logger: Pick<Logger, 'log' | 'warn' | 'error'>;

  constructor(private readonly options: RelayOptions) {
    this.publisher = new PipelinedPublisher(options.nc);
    this.logger = options.logger ?? new Logger(`relay:${options.name}`);
  }

  async start(): Promise<void> {
    await ensureStream(await this.options.nc.jetstreamManager(), this.options.target);
    this.loop = this.run();
  }

  /** Stops after publishing, and checkpointing, what it has already received. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    await this.loop;
    this.publisher.close();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const held = this.options.lease;
      if (held && !(await held.lease.acquire())) {
        await new Promise((resolve) => setTimeout(resolve, held.renewEveryMs));
        continue;
      }
      // Renewing while relaying; a lost lease ends this round, and the loop stands by again.
      const renewal = held
        ? setInterval(() => {
            void held.lease.renew().then((kept) => (kept ? undefined : this.subscription?.stop()));
          }, held.renewEveryMs)
        : undefined;
      try {
        await this.relayFrom(await this.options.checkpoints.load(this.options.name));
      } catch (error) {
        if (this.stopped) break;
        this.logger.error(`relay ${this.options.name} failed, resuming from its checkpoint: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      } finally {
        clearInterval(renewal);
      }
    }
    await this.options.lease?.lease.release();
  }

  private async relayFrom(checkpoint: string | undefined): Promise<void> {
    const subscription = this.options.store.subscribeToAll({ fromCheckpoint: checkpoint, filter: this.options.filter });
    this.subscription = subscription;
    if (this.stopped) await subscription.stop();
    for await (const batch of batchesOf(subscription, this.options.batchSize ?? 256)) await this.flush(batch);
  }

  private async flush(batch: RecordedEvent[]): Promise<void> {
    // Publishes from one connection reach the server in the order sent, so the stream keeps the store's order.
    const acks = await Promise.all(batch.map((event) => this.publish(event)));
    for (const ack of acks) {
      if (!ack) continue;
      if (ack.duplicate) this.duplicates++;
      else this.published++;
    }
    await this.options.checkpoints.save(this.options.name, batch[batch.length - 1].position);
  }

  private async publish(event: RecordedEvent): Promise<PubAck | undefined> {
    const subject = this.options.subjectFor(event);
    if (!subject) return undefined;
    const message: IntegrationEvent = {
      type: event.type,
      data: event.data,
      metadata: event.metadata,
      stream: event.stream,
      revision: event.revision.toString(),
    };
    const h = natsHeaders();
    h.set(HEADERS.eventType, event.type);
    h.set(HEADERS.stream, event.stream);
    h.set(HEADERS.revision, message.revision);
    h.set(HEADERS.sourcePosition, event.position);
    h.set(HEADERS.correlationId, event.metadata.correlation_id);
    if (event.metadata.causation_id) h.set(HEADERS.causationId, event.metadata.causation_id);
    if (event.metadata.traceparent) h.set(HEADERS.traceparent, event.metadata.traceparent);
    const payload = new TextEncoder().encode(JSON.stringify(message));
    const attempts = this.options.publishAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.publisher.publish(subject, payload, { msgID: event.metadata.event_id, headers: h, timeoutMs: PUBLISH_TIMEOUT_MS });
      } catch (error) {
        if (this.stopped || attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }
}

/**
 * A service's relay as the services run it: checkpoints in NATS KV, and one replica relaying
 * at a time under a lease named after the relay (a standby takes over within the lease's 5 s).
 */
export const startLeasedRelay = async (
  options: Pick<RelayOptions, 'name' | 'store' | 'nc' | 'target' | 'subjectFor' | 'filter'>,
): Promise<Relay> => {
  const relay = new Relay({
    ...options,
    checkpoints: await NatsKvCheckpointStore.create(options.nc),
    lease: { lease: await Lease.create(options.nc, options.name, { ttlMs: 5000 }), renewEveryMs: 1000 },
  });
  await relay.start();
  return relay;
};
