import { resolve } from 'node:path';
import { WEB_DIST } from './web/serve-web';

/** The gateway's settings, from the environment (the table in docs/gateway.md). */
export interface GatewayConfig {
  port: number;
  host: string;
  natsUrl: string;
  /** Only pinged by the readiness check: the gateway never reads another service's keys. */
  redisUrl: string;
  /** When set, readiness asks EventStoreDB; otherwise JetStream, the embedded event store. */
  eventstoreConnectionString?: string;
  /** HS256 key of the bearer tokens; without it, see `resolveJwtSecret`. */
  authJwtSecret?: string;
  /** Where a generated signing secret is kept between starts (local runs only). */
  dataDir: string;
  /** How long a query or command may take before the answer is 503 `unavailable`. */
  requestTimeoutMs: number;
  /** The registry's connectivity test budget: commands that run one may take this much longer. */
  connectivityTimeoutMs: number;
  production: boolean;
  /** Names this replica in NATS connection lists. */
  instanceName: string;
  /** How often an idle server-sent events stream gets a comment, so proxies keep it open. */
  sseKeepAliveMs?: number;
  /** Notifications waiting for one slow live subscriber before it is disconnected (it may resume with Last-Event-ID). */
  sseMaxBuffered?: number;
  /** The built web UI it serves at `/` (docs/web.md). */
  webDistDir?: string;
  /** `POST /api/auth/dev-login` hands out tokens to whoever asks (local runs only). */
  devLogin?: boolean;
}

const integer = (env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer of at least ${min}, not "${raw}"`);
  return value;
};

const devLogin = (env: NodeJS.ProcessEnv): boolean => {
  const on = ['true', '1'].includes(env.DEV_LOGIN ?? '');
  if (on && env.NODE_ENV === 'production') throw new Error('DEV_LOGIN hands out tokens to anyone: it cannot be on when NODE_ENV=production');
  return on;
};

export const configFromEnv = (env: NodeJS.ProcessEnv = process.env): GatewayConfig => ({
  port: integer(env, 'PORT', 8080),
  host: env.HOST || '0.0.0.0',
  natsUrl: env.NATS_URL || 'nats://127.0.0.1:4222',
  redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
  eventstoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
  authJwtSecret: env.AUTH_JWT_SECRET || undefined,
  dataDir: resolve(env.DATA_DIR || '.data'),
  requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 5000, 1),
  connectivityTimeoutMs: integer(env, 'CONNECTIVITY_TIMEOUT_MS', 5000, 0),
  production: env.NODE_ENV === 'production',
  instanceName: env.INSTANCE_NAME || `gateway-${process.pid}`,
  sseKeepAliveMs: integer(env, 'SSE_KEEPALIVE_MS', 15_000, 10),
  sseMaxBuffered: integer(env, 'SSE_MAX_BUFFERED_EVENTS', 10_000, 1),
  webDistDir: resolve(env.WEB_DIST_DIR || WEB_DIST),
  devLogin: devLogin(env),
});

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
