import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { EnvironmentEvent, WorkspaceEvent } from '@clp/contracts';
import { batchesOf, EVENT_STORE, type AllFilter, type EventStore, type RecordedEvent } from '@clp/event-store';
import { NATS_CONNECTION } from '../shell/nats-connection';
import { readConnectionEvents } from './connection-events';
import { encodeStoreEvent, type EncodedEvent } from './encode-events';
import { EnvironmentReadModel, LOST, REFUSED, type Source } from './environment-read-model';

/** How often an idle projection looks whether Redis still holds its checkpoints. */
const CHECK_EVERY_MS = 2000;

/** The store's part of the read model: environments and workspaces (name claims are the commands' business only). */
export const READ_MODEL_EVENTS: AllFilter = { streamPrefixes: ['environment-', 'workspace-'] };

/** An event that cannot be encoded is passed on as `poison`: the script dead-letters it and moves on. */
export const encodeRecorded = (e: RecordedEvent): EncodedEvent => {
  try {
    return encodeStoreEvent({ type: e.type, data: e.data } as EnvironmentEvent | WorkspaceEvent, e.position, e.metadata.occurred_at);
  } catch (error) {
    return { position: e.position, type: e.type, at: '', at_ms: 0, org: '', poison: `cannot be encoded: ${(error as Error).message}` };
  }
};

interface Reader extends AsyncIterable<EncodedEvent> {
  stop(): Promise<void>;
}

/** The store's events as the read model takes them. */
export const readStoreEvents = (store: EventStore, checkpoint?: string): Reader => {
  const subscription = store.subscribeToAll({ fromCheckpoint: checkpoint, filter: READ_MODEL_EVENTS });
  async function* encoded() {
    for await (const event of subscription) yield encodeRecorded(event);
  }
  const iterable = encoded();
  return { [Symbol.asyncIterator]: () => iterable, stop: () => subscription.stop() };
};

/**
 * Keeps the active read model version up to date from both of its sources, each in order from
 * its own checkpoint; follows a rebuild's switch when a batch finds its version no longer
 * active. Every replica runs it: the checkpoints make a batch another replica applied a no-op.
 */
@Injectable()
export class EnvironmentProjection implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EnvironmentProjection.name);
  private stopped = false;
  private readers = new Set<Reader>();
  private loops: Promise<void>[] = [];

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly readModel: EnvironmentReadModel,
  ) {}

  onApplicationBootstrap(): void {
    this.loops = [this.run('store'), this.run('connections')];
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.readers].map((reader) => reader.stop()));
    await Promise.all(this.loops);
  }

  private async lost(source: Source, reader: Reader): Promise<void> {
    this.logger.warn(`the read model's ${source} part is gone from Redis: reading it again from the start`);
    await reader.stop();
  }

  private async run(source: Source): Promise<void> {
    while (!this.stopped) {
      let reader: Reader | undefined;
      let watch: NodeJS.Timeout | undefined;
      try {
        const position = await this.readModel.position();
        let seen = (source === 'store' ? position.checkpoint : position.connections) ?? '';
        const current = source === 'store' ? readStoreEvents(this.store, position.checkpoint) : readConnectionEvents(this.nc, position.connections);
        reader = current;
        this.readers.add(current);
        if (this.stopped) await current.stop();
        // Redis emptied while nothing arrives: seen by a look now and then, as `apply` sees it
        // when something does. Either way the source is read again from its start.
        watch = setInterval(() => {
          if (!seen) return;
          void this.readModel.hasCheckpoint(source, position.version).then(
            (held) => (held ? undefined : this.lost(source, current)),
            () => undefined,
          );
        }, CHECK_EVERY_MS);
        for await (const batch of batchesOf(current, 500)) {
          const applied = await this.readModel.apply(source, batch, position.version, 'live', seen);
          if (applied === LOST) {
            await this.lost(source, current);
            break;
          }
          if (applied !== REFUSED) {
            seen = batch.at(-1)?.position ?? seen;
            continue;
          }
          // A rebuild made another version active: continue on it, from its own checkpoint.
          this.logger.log(`read model version ${position.version} is no longer active; following the new one`);
          break;
        }
      } catch (error) {
        if (this.stopped) break;
        this.logger.error(`projection of ${source} interrupted, resuming from its checkpoint: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      } finally {
        clearInterval(watch);
        if (reader) {
          await reader.stop();
          this.readers.delete(reader);
        }
      }
    }
  }
}
