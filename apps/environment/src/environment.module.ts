import { Module, type DynamicModule } from '@nestjs/common';
import Redis from 'ioredis';
import type { NatsConnection } from 'nats';
import { EVENT_STORE, eventStoreOf } from '@clp/event-store';
import { connectNats, Requester } from '@clp/messaging';
import { DEFAULT_PURGE_INTERVAL_MS, DEFAULT_RETENTION_MS, type EnvironmentConfig } from './config';
import { ConnectionCheck, REGISTRY_REQUESTER } from './environments/connection-check';
import { ConnectionDeletedReaction } from './environments/connection-deleted';
import { EnvironmentHandlers } from './environments/environment-handlers';
import { EnvironmentsController } from './environments/environments.controller';
import { EnvironmentPurger, LIFECYCLE } from './environments/lifecycle';
import { EnvironmentRuntime } from './environment-runtime';
import { QueriesController } from './queries/queries.controller';
import { EnvironmentProjection } from './read-model/environment-projection';
import { EnvironmentReadModel, READ_MODEL_PREFIX, REDIS } from './read-model/environment-read-model';
import { ReadModelHealthController } from './read-model/read-model-health.controller';
import { NATS_CONNECTION } from './shell/nats-connection';
import { StreamCommands } from './shell/stream-commands';
import { WorkspaceHandlers } from './workspaces/workspace-handlers';
import { WorkspacesController } from './workspaces/workspaces.controller';

@Module({})
export class EnvironmentModule {
  static forRoot(config: EnvironmentConfig): DynamicModule {
    return {
      module: EnvironmentModule,
      controllers: [EnvironmentsController, WorkspacesController, QueriesController, ReadModelHealthController],
      providers: [
        { provide: NATS_CONNECTION, useFactory: () => connectNats({ servers: config.natsUrl, name: config.instanceName }) },
        {
          provide: EVENT_STORE,
          inject: [NATS_CONNECTION],
          useFactory: (nc: NatsConnection) => eventStoreOf(nc, { context: 'environment', eventstoreConnectionString: config.eventstoreConnectionString }),
        },
        { provide: REDIS, useFactory: () => new Redis(config.redisUrl, { lazyConnect: false }) },
        { provide: READ_MODEL_PREFIX, useValue: config.readModelPrefix },
        { provide: REGISTRY_REQUESTER, inject: [NATS_CONNECTION], useFactory: (nc: NatsConnection) => new Requester(nc, { timeoutMs: config.registryTimeoutMs }) },
        {
          provide: LIFECYCLE,
          useValue: { retentionMs: config.retentionMs ?? DEFAULT_RETENTION_MS, purgeIntervalMs: config.purgeIntervalMs ?? DEFAULT_PURGE_INTERVAL_MS },
        },
        StreamCommands,
        ConnectionCheck,
        EnvironmentHandlers,
        WorkspaceHandlers,
        EnvironmentReadModel,
        EnvironmentProjection,
        ConnectionDeletedReaction,
        EnvironmentPurger,
        EnvironmentRuntime,
      ],
    };
  }
}
