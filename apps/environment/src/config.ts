/** The environment service's settings, from the environment (documented in docs/environment.md). */
export interface EnvironmentConfig {
  natsUrl: string;
  redisUrl: string;
  /** When set, EventStoreDB is the event store; otherwise JetStream on the NATS server. */
  eventstoreConnectionString?: string;
  /** Names this replica in NATS connection lists and logs. */
  instanceName: string;
  readModelPrefix: string;
  /** How long the service waits for the registry when it checks a connection before assigning it. */
  registryTimeoutMs: number;
}

export const configFromEnv = (env: NodeJS.ProcessEnv = process.env): EnvironmentConfig => ({
  natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
  redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  eventstoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
  instanceName: env.INSTANCE_NAME ?? `environment-${process.pid}`,
  readModelPrefix: env.ENVIRONMENT_READ_MODEL_PREFIX ?? 'environment:v1:',
  registryTimeoutMs: Number(env.REQUEST_TIMEOUT_MS ?? 5000),
});
