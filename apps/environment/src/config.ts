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
  /** How long a deleted environment stays recoverable before it is purged. */
  retentionMs?: number;
  /** How often each replica looks for deleted environments past their retention. */
  purgeIntervalMs?: number;
}

export const DEFAULT_RETENTION_MS = 30 * 24 * 3_600_000;
export const DEFAULT_PURGE_INTERVAL_MS = 60_000;

export const configFromEnv = (env: NodeJS.ProcessEnv = process.env): EnvironmentConfig => ({
  natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
  redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  eventstoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
  instanceName: env.INSTANCE_NAME ?? `environment-${process.pid}`,
  readModelPrefix: env.ENVIRONMENT_READ_MODEL_PREFIX ?? 'environment:v1:',
  registryTimeoutMs: Number(env.REQUEST_TIMEOUT_MS ?? 5000),
  retentionMs: Number(env.ENVIRONMENT_RETENTION_MS ?? DEFAULT_RETENTION_MS),
  purgeIntervalMs: Number(env.ENVIRONMENT_PURGE_INTERVAL_MS ?? DEFAULT_PURGE_INTERVAL_MS),
});
