/** The notification service's settings, from the environment (documented in docs/notification.md). */
export interface NotificationConfig {
  natsUrl: string;
  redisUrl: string;
  /** Names this replica in NATS connection lists and logs. */
  instanceName: string;
  /** Every Redis key of the service is under it. */
  keyPrefix: string;
  /** Notifications older than this are dropped. */
  retentionMs: number;
  trimIntervalMs: number;
}

const integer = (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer of at least ${min}, not "${raw}"`);
  return value;
};

const DAY_MS = 24 * 60 * 60 * 1000;

export const configFromEnv = (env: NodeJS.ProcessEnv = process.env): NotificationConfig => ({
  natsUrl: env.NATS_URL || 'nats://127.0.0.1:4222',
  redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
  instanceName: env.INSTANCE_NAME || `notification-${process.pid}`,
  keyPrefix: env.NOTIFICATION_KEY_PREFIX || 'notification:',
  retentionMs: integer(env, 'NOTIFICATION_RETENTION_MS', 30 * DAY_MS, 1000),
  trimIntervalMs: integer(env, 'NOTIFICATION_TRIM_INTERVAL_MS', 60_000, 100),
});
