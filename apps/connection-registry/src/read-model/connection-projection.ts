import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { batchesOf, EVENT_STORE, type AllFilter, type AllSubscription, type EventStore } from '@clp/event-store';
import { ConnectionReadModel, REFUSED } from './connection-read-model';

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
      try {
        const { version, checkpoint } = await this.readModel.position();
        this.subscription = this.store.subscribeToAll({ fromCheckpoint: checkpoint, filter: READ_MODEL_EVENTS });
        if (this.stopped) await this.subscription.stop();
        for await (const batch of batchesOf(this.subscription, 500)) {
          if ((await this.readModel.apply(batch, version)) !== REFUSED) continue;
          // A rebuild made another version active: continue on it, from its own checkpoint.
          this.logger.log(`read model version ${version} is no longer active; following the new one`);
          await this.subscription.stop();
          break;
        }
      } catch (error) {
        if (this.stopped) break;
        this.logger.error(`projection interrupted, resuming from its checkpoint: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
}
