import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { NatsConnection } from 'nats';
import { connectNats } from '@clp/messaging';
import { NotificationsController } from './api/notifications.controller';
import { ReadModelHealthController } from './api/read-model-health.controller';
import type { NotificationConfig } from './config';
import { INTAKE_SETTINGS, NotificationIntake } from './intake/notification-intake';
import { NATS_CONNECTION, NotificationLog } from './log/notification-log';
import { NotificationStore, REDIS, STORE_SETTINGS } from './store/notification-store';

/** Closes the connections after the intake stopped (module destroy comes first). */
@Injectable()
class Connections implements OnApplicationShutdown {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain();
    this.redis.disconnect();
  }
}

@Module({})
export class NotificationModule {
  static forRoot(config: NotificationConfig): DynamicModule {
    return {
      module: NotificationModule,
      controllers: [NotificationsController, ReadModelHealthController],
      providers: [
        { provide: NATS_CONNECTION, useFactory: () => connectNats({ servers: config.natsUrl, name: config.instanceName }) },
        { provide: REDIS, useFactory: () => new Redis(config.redisUrl, { lazyConnect: false }) },
        { provide: STORE_SETTINGS, useValue: { prefix: config.keyPrefix, retentionMs: config.retentionMs } },
        { provide: INTAKE_SETTINGS, useValue: { trimIntervalMs: config.trimIntervalMs } },
        NotificationStore,
        NotificationLog,
        NotificationIntake,
        Connections,
      ],
    };
  }
}
