import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import { environmentDecider } from '@clp/environments';
import { EnvironmentReadModel } from '../read-model/environment-read-model';
import { systemMetadata } from '../shell/command-context';
import { environmentStream, StreamCommands } from '../shell/stream-commands';

export const LIFECYCLE = Symbol('LIFECYCLE');

export interface Lifecycle {
  /** How long a deleted environment stays recoverable (`ENVIRONMENT_RETENTION_MS`). */
  retentionMs: number;
  /** How often each replica purges those past it (`ENVIRONMENT_PURGE_INTERVAL_MS`). */
  purgeIntervalMs: number;
}

// Namespace of the purges' command ids: one per environment, the same on every replica.
const PURGE_NAMESPACE = '6b2d9e4f-1a3c-5d7e-8f90-a1b2c3d4e5f6';

/**
 * Purges deleted environments past their retention (`EnvironmentPurged`), on a timer of every
 * replica. The candidates come from the read model; the decision from the stream: two replicas
 * purging one environment decide on the same revision, one append wins and the other, decided
 * again on the purged stream, does nothing.
 */
@Injectable()
export class EnvironmentPurger implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EnvironmentPurger.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @Inject(LIFECYCLE) private readonly lifecycle: Lifecycle,
    private readonly readModel: EnvironmentReadModel,
    private readonly streams: StreamCommands,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.purge()
        .catch((error: Error) => this.logger.warn(`purge of deleted environments interrupted: ${error.message}`))
        .finally(() => (this.running = undefined));
    }, this.lifecycle.purgeIntervalMs);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async purge(): Promise<void> {
    const { retentionMs } = this.lifecycle;
    for (const environmentId of await this.readModel.deletedBefore(Date.now() - retentionMs)) {
      const metadata = systemMetadata(uuidv5(`${environmentId}/purge`, PURGE_NAMESPACE), 'environment-purge');
      await this.streams.execute(environmentDecider, environmentStream(environmentId), { type: 'PurgeEnvironment', data: { retention_ms: retentionMs }, metadata });
    }
  }
}
