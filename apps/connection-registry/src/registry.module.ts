import { Logger, Module, type DynamicModule } from '@nestjs/common';
import Redis from 'ioredis';
import type { NatsConnection } from 'nats';
import { CredentialVault, generateMasterKey, parseMasterKey } from '@clp/credential-vault';
import { EVENT_STORE, eventStoreOf } from '@clp/event-store';
import { connectNats } from '@clp/messaging';
import type { RegistryConfig } from './config';
import { ConnectionCommands } from './connections/connection-commands';
import { CONNECTIVITY } from './connections/connectivity';
import { DeleteConnectionController } from './connections/delete-connection/delete-connection.controller';
import { DiscoverConnectionController } from './connections/discover-connection/discover-connection.controller';
import { DiscoverConnectionHandler } from './connections/discover-connection/discover-connection.handler';
import { HttpConnectivityTester } from './connections/http-connectivity-tester';
import { DiscoveryIntake, INTAKE_CONCURRENCY } from './discovery-intake/discovery-intake';
import { RegisterConnectionController } from './connections/register-connection/register-connection.controller';
import { RegisterConnectionHandler } from './connections/register-connection/register-connection.handler';
import { TransitionConnectionController } from './connections/transition-connection/transition-connection.controller';
import { TransitionConnectionHandler } from './connections/transition-connection/transition-connection.handler';
import { UpdateConnectionController } from './connections/update-connection/update-connection.controller';
import { UpdateConnectionHandler } from './connections/update-connection/update-connection.handler';
import { CREDENTIAL_VAULT, Credentials } from './credentials/credentials';
import { CredentialsController } from './credentials/credentials.controller';
import { RegistrationFlowController } from './connections/registration-flow/registration-flow.controller';
import { TestConnectionController } from './connections/test-connection/test-connection.controller';
import { SelfRegistration, SERVER_IDENTITY } from './self-registration/self-registration';
import { ConnectionQueriesController } from './queries/connection-queries.controller';
import { ConnectionProjection } from './read-model/connection-projection';
import { EnvironmentMemberships } from './read-model/environment-memberships';
import { ConnectionReadModel, READ_MODEL_PREFIX, REDIS } from './read-model/connection-read-model';
import { ReadModelHealthController } from './read-model/read-model-health.controller';
import { NATS_CONNECTION, RegistryRuntime } from './registry-runtime';

/** The vault's master key; a local run without one gets a key for this process only. */
const masterKey = (config: RegistryConfig): Buffer => {
  if (config.credentialsMasterKey) return parseMasterKey(config.credentialsMasterKey);
  if (config.production) throw new Error('CREDENTIALS_MASTER_KEY must be set in production');
  new Logger('credentials').warn('CREDENTIALS_MASTER_KEY is not set: stored secrets will not open after this process ends');
  return parseMasterKey(generateMasterKey());
};

@Module({})
export class RegistryModule {
  static forRoot(config: RegistryConfig): DynamicModule {
    return {
      module: RegistryModule,
      controllers: [
        RegisterConnectionController,
        TransitionConnectionController,
        UpdateConnectionController,
        DeleteConnectionController,
        ConnectionQueriesController,
        CredentialsController,
        RegistrationFlowController,
        TestConnectionController,
        DiscoverConnectionController,
        ReadModelHealthController,
      ],
      providers: [
        { provide: NATS_CONNECTION, useFactory: () => connectNats({ servers: config.natsUrl, name: config.instanceName }) },
        {
          provide: EVENT_STORE,
          inject: [NATS_CONNECTION],
          useFactory: (nc: NatsConnection) => eventStoreOf(nc, { context: 'registry', eventstoreConnectionString: config.eventstoreConnectionString }),
        },
        { provide: REDIS, useFactory: () => new Redis(config.redisUrl, { lazyConnect: false }) },
        { provide: READ_MODEL_PREFIX, useValue: config.readModelPrefix },
        { provide: CONNECTIVITY, useValue: new HttpConnectivityTester(config.connectivityTimeoutMs) },
        { provide: INTAKE_CONCURRENCY, useValue: config.intakeConcurrency },
        {
          provide: CREDENTIAL_VAULT,
          inject: [NATS_CONNECTION],
          useFactory: (nc: NatsConnection) => CredentialVault.create(nc, masterKey(config)),
        },
        Credentials,
        ConnectionCommands,
        ...(config.server ? [{ provide: SERVER_IDENTITY, useValue: config.server }, SelfRegistration] : []),
        RegisterConnectionHandler,
        TransitionConnectionHandler,
        UpdateConnectionHandler,
        DiscoverConnectionHandler,
        ConnectionReadModel,
        ConnectionProjection,
        EnvironmentMemberships,
        RegistryRuntime,
        DiscoveryIntake,
      ],
    };
  }
}
