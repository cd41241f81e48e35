import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { batchesOf, EVENT_STORE, type AllFilter, type AllSubscription, type EventStore } from '@clp/event-store';
import { ConnectionReadModel, LOST, REFUSED } from './connection-read-model';

/** How often an idle projection looks whether Redis still holds its checkpoint. */
const CHECK_EVERY_MS = 2000;

/** What the read model is made of: every event of every connection and credential stream. */
export const READ_MODEL_EVENTS: AllFilter = { streamPrefixes: ['connection-', 'credential-'] };

/**
 * Keeps the active read model version up to date: every connection event, in order, from its
 * checkpoint; follows a rebuild's switch when its next batch finds its version no longer active.
 */
@Injectable()
export class ConnectionProjection implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ConnectionProjection.name);
  private stopped = false;
  private subscription?: AllSubscription;
  private loop?: Promise<void>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: ConnectionReadModel,
  ) {}

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let watch: NodeJS.Timeout | undefined;
      try {
        const { version, checkpoint } = await this.readModel.position();
        let seen = checkpoint ?? '';
        const subscription = this.store.subscribeToAll({ fromCheckpoint: checkpoint, filter: READ_MODEL_EVENTS });
        this.subscription = subscription;
        if (this.stopped) await subscription.stop();
        // Redis emptied while nothing arrives: seen by a look now and then, as `apply` sees it
        // when something does. Either way the projection starts again from the store's start.
        watch = setInterval(() => {
          if (!seen) return;
          void this.readModel.hasCheckpoint(version).then(
            (held) => (held ? undefined : this.lost(subscription)),
            () => undefined,
          );
        }, CHECK_EVERY_MS);
        for await (const batch of batchesOf(subscription, 500)) {
          const applied = await this.readModel.apply(batch, version, 'live', seen);
          if (applied === LOST) {
            await this.lost(subscription);
            break;
          }
          if (applied !== REFUSED) {
            seen = batch.at(-1)?.position ?? seen;
            continue;
          }
          // A rebuild made another version active: continue on it, from its own checkpoint.
          this.logger.log(`read model version ${version} is no longer active; following the new one`);
          await subscription.stop();
          break;
        }
      } catch (error) {
        if (this.stopped) break;
        this.logger.error(`projection interrupted, resuming from its checkpoint: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      } finally {
        clearInterval(watch);
      }
    }
  }

  private async lost(subscription: AllSubscription): Promise<void> {
    this.logger.warn('the read model is gone from Redis: rebuilding it from the event store');
    await subscription.stop();
  }
}
