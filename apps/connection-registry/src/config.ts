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
}

export const configFromEnv = (env: NodeJS.ProcessEnv = process.env): RegistryConfig => ({
  natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
  redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  eventstoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
  instanceName: env.INSTANCE_NAME ?? `connection-registry-${process.pid}`,
  readModelPrefix: env.REGISTRY_READ_MODEL_PREFIX ?? 'registry:v1:',
  connectivityTimeoutMs: Number(env.CONNECTIVITY_TIMEOUT_MS ?? 5000),
  intakeConcurrency: Number(env.INTAKE_CONCURRENCY ?? 32),
  credentialsMasterKey: env.CREDENTIALS_MASTER_KEY || undefined,
  production: env.NODE_ENV === 'production',
});
