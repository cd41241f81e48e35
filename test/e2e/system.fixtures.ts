import { randomBytes } from 'node:crypto';
import type { Caller, Role } from '@clp/contracts';
import type { BusUser } from '@clp/messaging';
import { startBus } from '../../libs/messaging/src/bus.fixtures';
import { freePort, startRedis, startService, startValidatingProxy, type RunningService, type TestServer } from '@clp/testing';
import { issueToken } from '../../apps/gateway/src/auth/tokens';

// Response bodies are read loosely by the tests, as any client of a JSON API would.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface HttpReply<T = any> {
  status: number;
  body: T;
  text: string;
}

/**
 * The whole system as it runs in production (registry, environment service, gateway), each
 * service its own process, on servers of its own: what the end-to-end tests drive over HTTP, and
 * nothing else.
 */
export interface RunningSystem {
  url: string;
  /** The gateway's signing secret, for tools that make tokens (`npm run token`). */
  secret: string;
  /** Its `url` is the admin user's (nats.js takes the userinfo only through `connectNats` / `credentialsInUrl`). */
  nats: TestServer;
  /** The URL a bus user connects with (docs/bus-security.md): each service runs as its own. */
  natsUrlFor(user: BusUser): string;
  redis: TestServer;
  registry: RunningService;
  environment: RunningService;
  notification: RunningService;
  gateway: RunningService;
  /** With `discovery`: the discovery service (kubeconfig imports, scans, the health monitor). */
  discovery?: RunningService;
  token(caller: Omit<Caller, 'user_id'> & { user_id?: string }): string;
  /** One HTTP request; `token` may be a caller (a token is made for it) or a raw header value. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  http<T = any>(method: string, path: string, options?: { as?: Omit<Caller, 'user_id'> | string; body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<HttpReply<T>>;
  /** Every response body seen so far, to search for what must never appear. */
  readonly bodies: string[];
  /**
   * With `validateResponses`: every response that disagrees with the served OpenAPI document, as
   * the validating proxy (Prism) between the tests and the gateway reported it.
   */
  readonly responseViolations: ResponseViolation[];
  startRegistry(): Promise<void>;
  /** Starts the environment service again (after `environment.kill()` or `stop()`). */
  startEnvironment(): Promise<void>;
  /** Starts the notification service again (after `notification.kill()` or `stop()`). */
  startNotification(): Promise<void>;
  /** Starts the gateway again on its port (after `gateway.kill()` or `stop()`). */
  startGateway(): Promise<void>;
  /** Starts the discovery service again (after `discovery.kill()` or `stop()`); with `discovery` only. */
  startDiscovery(): Promise<void>;
  /** Stops everything; fails if nats-server refused anyone anything meanwhile (a permission the bus's table lacks). */
  stop(): Promise<void>;
}

/** Settings of one system for the tests that need others than production's. */
export interface SystemOptions {
  /** More environment for the gateway, e.g. `SSE_KEEPALIVE_MS`. */
  gatewayEnv?: Record<string, string>;
  notificationEnv?: Record<string, string>;
  /** Runs the discovery service too, with this environment besides the system's (e.g. `HEALTH_MONITOR: 'off'`). */
  discovery?: Record<string, string>;
  /** Sends every request through a validating proxy (Prism) that checks the responses against the OpenAPI document. */
  validateResponses?: boolean;
}

export interface ResponseViolation {
  request: string;
  status: number;
  location: string[];
  message: string;
}

export const startSystem = async (options: SystemOptions = {}): Promise<RunningSystem> => {
  const [bus, redis] = await Promise.all([startBus(), startRedis()]);
  // Tests that read the bus themselves do so as the operator.
  const nats = { ...bus.server, url: bus.urlFor('admin') };
  const secret = randomBytes(32).toString('base64url');
  const masterKey = randomBytes(32).toString('base64');
  let port = await freePort();
  const common = { REDIS_URL: redis.url, NODE_ENV: 'production', CONNECTIVITY_TIMEOUT_MS: '10000' };
  const launchRegistry = () =>
    startService({
      name: 'registry',
      entry: 'apps/connection-registry/src/main.ts',
      env: { ...common, NATS_URL: bus.urlFor('connection-registry'), INSTANCE_NAME: 'e2e-registry', CREDENTIALS_MASTER_KEY: masterKey },
      ready: /e2e-registry listening/,
    });
  let registry = await launchRegistry();
  const launchEnvironment = () =>
    startService({
      name: 'environment',
      entry: 'apps/environment/src/main.ts',
      env: { ...common, NATS_URL: bus.urlFor('environment'), INSTANCE_NAME: 'e2e-environment' },
      ready: /e2e-environment listening/,
    });
  let environment = await launchEnvironment();
  const launchNotification = () =>
    startService({
      name: 'notification',
      entry: 'apps/notification/src/main.ts',
      env: { ...common, NATS_URL: bus.urlFor('notification'), INSTANCE_NAME: 'e2e-notification', ...options.notificationEnv },
      ready: /e2e-notification listening/,
    });
  let notification = await launchNotification();
  const discoveryEnv = options.discovery;
  const launchDiscovery = () =>
    startService({
      name: 'discovery',
      entry: 'apps/discovery/src/main.ts',
      env: { ...common, NATS_URL: bus.urlFor('discovery'), INSTANCE_NAME: 'e2e-discovery', CREDENTIALS_MASTER_KEY: masterKey, ...discoveryEnv },
      ready: /e2e-discovery listening/,
    });
  let discovery = discoveryEnv ? await launchDiscovery() : undefined;
  const launchGateway = () =>
    startService({
      name: 'gateway',
      entry: 'apps/gateway/src/main.ts',
      env: { ...common, NATS_URL: bus.urlFor('gateway'), PORT: String(port), HOST: '127.0.0.1', AUTH_JWT_SECRET: secret, REQUEST_TIMEOUT_MS: '2000', ...options.gatewayEnv },
      ready: /gateway listening on/,
    });
  // Another process may take the free port between the probe and the bind: try a few ports.
  const firstGateway = async (): Promise<RunningService> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await launchGateway();
      } catch (error) {
        if (attempt === 3 || !/EADDRINUSE/.test((error as Error).message)) throw error;
        port = await freePort();
      }
    }
  };
  let gateway = await firstGateway();
  const gatewayUrl = `http://127.0.0.1:${port}`;
  const proxy = options.validateResponses
    ? await startValidatingProxy(await (await fetch(`${gatewayUrl}/api/docs-json`)).text(), gatewayUrl)
    : undefined;
  // `http` goes through the proxy; `url` stays the gateway's, for clients of their own (SSE).
  const requestUrl = proxy?.url ?? gatewayUrl;
  const bodies: string[] = [];
  const responseViolations: ResponseViolation[] = [];
  const token = (caller: Omit<Caller, 'user_id'> & { user_id?: string }) =>
    issueToken(secret, { org: caller.organization_id, user: caller.user_id ?? `${caller.role}-user`, role: caller.role as Role });

  const system: RunningSystem = {
    url: gatewayUrl,
    secret,
    nats,
    natsUrlFor: bus.urlFor,
    redis,
    get registry() {
      return registry;
    },
    get environment() {
      return environment;
    },
    get notification() {
      return notification;
    },
    get gateway() {
      return gateway;
    },
    get discovery() {
      return discovery;
    },
    token,
    bodies,
    responseViolations,
    async http(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.as !== undefined) headers.authorization = typeof options.as === 'string' ? options.as : `Bearer ${token(options.as)}`;
      let body: string | undefined = options.raw;
      if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      // A raw body is deliberately malformed, which the proxy cannot parse to pass on: sent directly.
      const response = await fetch(`${options.raw !== undefined ? gatewayUrl : requestUrl}${path}`, { method, headers, body });
      const text = await response.text();
      bodies.push(text);
      const violations = JSON.parse(response.headers.get('sl-violations') ?? '[]') as Array<{ location: string[]; message: string }>;
      for (const violation of violations.filter((v) => v.location[0] === 'response')) {
        responseViolations.push({ request: `${method} ${path}`, status: response.status, location: violation.location, message: violation.message });
      }
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: kept as text
      }
      return { status: response.status, body: parsed as never, text };
    },
    async startRegistry() {
      registry = await launchRegistry();
    },
    async startEnvironment() {
      environment = await launchEnvironment();
    },
    async startNotification() {
      notification = await launchNotification();
    },
    async startGateway() {
      gateway = await launchGateway();
    },
    async startDiscovery() {
      if (!discoveryEnv) throw new Error('this system runs no discovery (startSystem({ discovery: {} }))');
      discovery = await launchDiscovery();
    },
    async stop() {
      await Promise.all([gateway.stop(), environment.stop(), notification.stop(), registry.stop(), discovery?.stop(), proxy?.stop()]);
      await Promise.all([nats.stop(), redis.stop()]);
      if (bus.violations.length > 0) throw new Error(`nats-server refused a service what its code does:\n${bus.violations.join('\n')}`);
    },
  };
  return system;
};
