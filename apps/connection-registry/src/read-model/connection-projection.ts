import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { batchesOf, EVENT_STORE, type AllSubscription, type EventStore } from '@clp/event-store';
import { ConnectionReadModel } from './connection-read-model';

/** Keeps the read model up to date: every connection event, in order, from its checkpoint. */
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
        this.subscription = this.store.subscribeToAll({
          fromCheckpoint: await this.readModel.checkpoint(),
          filter: { streamPrefixes: ['connection-'] },
        });
        if (this.stopped) await this.subscription.stop();
        for await (const batch of batchesOf(this.subscription, 500)) await this.readModel.apply(batch);
      } catch (error) {
        if (this.stopped) break;
        this.logger.error(`projection interrupted, resuming from its checkpoint: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
}
