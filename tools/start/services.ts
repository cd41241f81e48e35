import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BusUser } from '@clp/messaging';
import { SERVICE_NODE_FLAGS, WORKSPACE_ROOT } from '@clp/testing';
import { launch, type Child } from './processes';

/** What every service gets besides the launcher's own environment. */
export interface ServiceContext {
  /** The NATS URL a service connects with: its own user's, when the launcher started NATS. */
  natsUrl: (user: BusUser) => string;
  redisUrl: string;
  dataDir: string;
  credentialsMasterKey: string;
  webDistDir: string;
}

export interface ServiceEntry {
  name: string;
  /** Who it is on the bus (docs/bus-security.md). */
  busUser: BusUser;
  /** From the workspace root; a service whose entry does not exist (yet) is not started. */
  entry: string;
  /** A line the service prints once it serves; the gateway's first group is its URL. */
  ready: RegExp;
  env?: (context: ServiceContext) => Record<string, string>;
}

/** The services `npm start` runs, each in its own process. A new service is one more line. */
export const SERVICES: ServiceEntry[] = [
  {
    name: 'registry',
    busUser: 'connection-registry',
    entry: 'apps/connection-registry/src/main.ts',
    ready: / listening on nats:\/\//,
    env: (context) => ({ CREDENTIALS_MASTER_KEY: context.credentialsMasterKey }),
  },
  { name: 'environment', busUser: 'environment', entry: 'apps/environment/src/main.ts', ready: / listening on nats:\/\// },
  { name: 'notification', busUser: 'notification', entry: 'apps/notification/src/main.ts', ready: / listening on nats:\/\// },
  {
    name: 'gateway',
    busUser: 'gateway',
    entry: 'apps/gateway/src/main.ts',
    ready: /gateway listening on (https?:\/\/\S+)/,
    env: (context) => ({ WEB_DIST_DIR: context.webDistDir }),
  },
  {
    name: 'discovery',
    busUser: 'discovery',
    entry: 'apps/discovery/src/main.ts',
    ready: / listening on nats:\/\//,
    env: (context) => ({ CREDENTIALS_MASTER_KEY: context.credentialsMasterKey }),
  },
];

export interface RunningService {
  entry: ServiceEntry;
  child: Child;
  /** The line that said it was ready. */
  ready: RegExpMatchArray;
}

// ts-node compiles the services from source as they start (a few seconds); the gateway, with the
// OpenAPI document, is the slowest.
const READY_TIMEOUT_MS = 120_000;

export const presentServices = (): ServiceEntry[] => SERVICES.filter((service) => existsSync(join(WORKSPACE_ROOT, service.entry)));

/** Launches a service from its TypeScript source through ts-node, as the tests and the benchmarks run it. */
export const launchService = (service: ServiceEntry, context: ServiceContext): Child =>
  launch(service.name, 'service', process.execPath, [...SERVICE_NODE_FLAGS, '-r', 'ts-node/register', '-r', 'tsconfig-paths/register', service.entry], {
    cwd: WORKSPACE_ROOT,
    env: {
      ...process.env,
      TS_NODE_TRANSPILE_ONLY: 'true',
      TS_NODE_PROJECT: join(WORKSPACE_ROOT, 'tsconfig.json'),
      NATS_URL: context.natsUrl(service.busUser),
      REDIS_URL: context.redisUrl,
      DATA_DIR: context.dataDir,
      ...service.env?.(context),
    },
  });

/** Resolves once the service printed its ready line. */
export const serviceReady = async (service: ServiceEntry, child: Child): Promise<RunningService> => ({
  entry: service,
  child,
  ready: await child.waitForLine(service.ready, READY_TIMEOUT_MS),
});
