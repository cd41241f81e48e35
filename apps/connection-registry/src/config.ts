import { hostname } from 'node:os';
import { v5 as uuidv5 } from 'uuid';
import type { ServerIdentity } from './self-registration/self-registration';

/** The registry's settings, from the environment (documented in the README's configuration table). */
export interface RegistryConfig {
  natsUrl: string;
  redisUrl: string;
  /** When set, EventStoreDB is the event store; otherwise JetStream on the NATS server. */
  eventstoreConnectionString?: string;
  /** Names this replica in NATS connection lists and logs. */
  instanceName: string;
  readModelPrefix: string;
  connectivityTimeoutMs: number;
  /** Discovery reports handled at once by one replica. */
  intakeConcurrency: number;
  /** CREDENTIALS_MASTER_KEY: 32 bytes, base64 or hex. */
  credentialsMasterKey?: string;
  production?: boolean;
  /** The server's own connection (design.md §6.4); stable across restarts of the same host. */
  server?: ServerIdentity;
}

// Namespace of the default server id, a UUIDv5 of the host name.
const SERVER_ID_NAMESPACE = '0e7b3a52-5d1c-4c1e-9d3f-6a2b8c4d5e6f';

export const configFromEnv = (env: NodeJS.ProcessEnv = process.env): RegistryConfig => ({
  natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
  redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  eventstoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
  instanceName: env.INSTANCE_NAME ?? `connection-registry-${process.pid}`,
  readModelPrefix: env.REGISTRY_READ_MODEL_PREFIX ?? 'registry:v1:',
  connectivityTimeoutMs: Number(env.CONNECTIVITY_TIMEOUT_MS ?? 5000),
  intakeConcurrency: Number(env.INTAKE_CONCURRENCY ?? 128),
  credentialsMasterKey: env.CREDENTIALS_MASTER_KEY || undefined,
  production: env.NODE_ENV === 'production',
  server: {
    organization_id: env.SERVER_ORGANIZATION ?? 'default',
    server_id: env.SERVER_ID ?? uuidv5(hostname(), SERVER_ID_NAMESPACE),
    server_version: env.SERVER_VERSION ?? env.npm_package_version ?? '0.1.0',
    server_build_sha: env.BUILD_SHA ?? 'dev',
    server_location: env.SERVER_LOCATION ?? `http://localhost:${env.PORT ?? 8080}`,
  },
});
