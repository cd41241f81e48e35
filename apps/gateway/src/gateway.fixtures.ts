import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Role } from '@clp/contracts';
import { startNats, startRedis, startService, type RunningService, type TestServer } from '@clp/testing';
import { issueToken } from './auth/tokens';
import type { GatewayConfig } from './config';
import { createGateway } from './gateway';

export const JWT_SECRET_FOR_TESTS = 'gateway-tests-signing-secret-0123456789';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON, undefined if not JSON; untyped so that specs can reach into any answer. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface RequestOptions {
  token?: string;
  /** Sent as JSON unless a string (sent as it is). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Every line the gateway logs, to search for secrets. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private keep = (...parts: unknown[]) => void this.lines.push(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
  log = this.keep;
  error = this.keep;
  warn = this.keep;
  debug = this.keep;
  verbose = this.keep;
}

/**
 * A real NATS and Redis, the connection registry as its own process (as deployed), and the
 * gateway in this process on a free port, driven over HTTP.
 */
export interface GatewayHarness {
  nats: TestServer;
  redis: TestServer;
  registry: RunningService;
  app: NestFastifyApplication;
  config: GatewayConfig;
  url: string;
  token(org: string, user: string, role: Role): string;
  request(method: string, path: string, options?: RequestOptions): Promise<HttpAnswer>;
  /** Stops the registry process (SIGTERM): nothing answers its subjects until `startRegistry`. */
  stopRegistry(): Promise<void>;
  startRegistry(): Promise<void>;
  stop(): Promise<void>;
}

const startRegistryProcess = (nats: TestServer, redis: TestServer, env: Record<string, string> = {}) =>
  startService({
    name: 'connection-registry',
    entry: 'apps/connection-registry/src/main.ts',
    env: {
      NATS_URL: nats.url,
      REDIS_URL: redis.url,
      INSTANCE_NAME: 'registry-for-gateway-tests',
      CONNECTIVITY_TIMEOUT_MS: '1500',
      SERVER_ORGANIZATION: 'gateway-tests-server',
      NODE_ENV: 'test',
      ...env,
    },
    ready: /listening on/,
  });

export const startGatewayHarness = async (
  overrides: Partial<GatewayConfig> = {},
  logger: LoggerService | false = false,
  /** More environment for the registry process, e.g. a CREDENTIALS_MASTER_KEY another service shares. */
  registryEnv: Record<string, string> = {},
): Promise<GatewayHarness> => {
  const [nats, redis] = await Promise.all([startNats(), startRedis()]);
  let registry = await startRegistryProcess(nats, redis, registryEnv);
  const config: GatewayConfig = {
    port: 0,
    host: '127.0.0.1',
    natsUrl: nats.url,
    redisUrl: redis.url,
    authJwtSecret: JWT_SECRET_FOR_TESTS,
    dataDir: redis.dir,
    requestTimeoutMs: 5000,
    connectivityTimeoutMs: 1500,
    production: false,
    instanceName: 'gateway-test',
    ...overrides,
  };
  const app = await createGateway(config, logger);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = await app.getUrl();

  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<HttpAnswer> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  };

  return {
    nats,
    redis,
    get registry() {
      return registry;
    },
    app,
    config,
    url,
    token: (org, user, role) => issueToken(config.authJwtSecret ?? JWT_SECRET_FOR_TESTS, { org, user, role }),
    request,
    stopRegistry: () => registry.stop(),
    startRegistry: async () => {
      registry = await startRegistryProcess(nats, redis, registryEnv);
    },
    stop: async () => {
      await app.close();
      await registry.stop();
      await Promise.all([nats.stop(), redis.stop()]);
    },
  };
};
