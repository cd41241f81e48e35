import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { connect } from 'nats';
import { credentialsInUrl, natsServerConfig, natsUrlFor, type BusUser } from '@clp/messaging';
import { busPasswords } from './bus-users';
import { LaunchError, type LauncherConfig } from './config';
import { launch, type Child } from './processes';

/** NATS or Redis as the launcher found it: reused when it already answered, else started here. */
export interface Store {
  readonly name: 'nats' | 'redis';
  readonly url: string;
  /** The server process started here, which the launcher stops on exit; absent when reused. */
  readonly started?: Child;
  /** Where the started server keeps its data. */
  readonly dataDir?: string;
  /** A NATS server started here has a user per service (docs/bus-security.md): the URL each connects with. */
  readonly urlFor?: (user: BusUser) => string;
  /** Where those users' passwords are kept. */
  readonly usersFile?: string;
  /** Starts the server again as it was started here (after it died), and tells when it serves. */
  readonly relaunch?: () => Child;
  readonly ready?: (child: Child) => Promise<unknown>;
}

interface StoreSpec {
  name: 'nats' | 'redis';
  url: string;
  defaultPort: number;
  binary: string;
  install: string;
  /** Resolves when the server answers as the system needs it, `refused` when nothing listens. */
  probe(url: string): Promise<'ok' | 'refused'>;
  args(host: string, port: number, dataDir: string): string[];
  ready: RegExp;
  /** For a server that has users: the URL a user connects with, and where the passwords are. */
  users?: { urlFor(url: string, user: BusUser): string; file(): string };
}

const LOCAL_HOSTS = ['127.0.0.1', 'localhost'];
const READY_TIMEOUT_MS = 60_000;

const probeNats = async (url: string): Promise<'ok' | 'refused'> => {
  let nc;
  try {
    nc = await connect({ ...credentialsInUrl(url), name: 'clp-start', timeout: 3000, reconnect: false });
  } catch (error) {
    if ((error as { code?: string }).code === 'CONNECTION_REFUSED') return 'refused';
    throw new LaunchError(`NATS_URL=${url} does not answer as NATS: ${(error as Error).message}`);
  }
  try {
    await (await nc.jetstreamManager()).getAccountInfo();
    return 'ok';
  } catch (error) {
    throw new LaunchError(
      `NATS at ${url} answers but without JetStream (${(error as Error).message}), which the event store needs:\n` +
        `  restart it with JetStream enabled (nats-server -js), or point NATS_URL at a server that has it.`,
    );
  } finally {
    await nc.close();
  }
};

const probeRedis = async (url: string): Promise<'ok' | 'refused'> => {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3000, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  // ioredis rejects `connect()` with "Connection is closed"; the socket's own error says why.
  let socketError: (Error & { code?: string }) | undefined;
  redis.on('error', (error) => (socketError = error));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    if (socketError?.code === 'ECONNREFUSED') return 'refused';
    throw new LaunchError(`REDIS_URL=${url} does not answer as Redis: ${(socketError ?? (error as Error)).message}`);
  }
  try {
    await redis.ping();
    return 'ok';
  } catch (error) {
    throw new LaunchError(`Redis at ${url} answers but refuses commands: ${(error as Error).message}`);
  } finally {
    redis.disconnect();
  }
};

const specs = (config: LauncherConfig): StoreSpec[] => {
  // Generated (or read) only when a NATS server is started here: a reused one has its own users.
  let bus: ReturnType<typeof busPasswords> | undefined;
  const passwords = () => (bus ??= busPasswords(config.dataDir));
  return [
    {
      name: 'nats',
      url: config.natsUrl,
      defaultPort: 4222,
      binary: config.natsServerBin,
      install: 'sudo apt-get install -y nats-server',
      probe: probeNats,
      // JetStream, and the bus's users with their permissions, rendered again on every start.
      args: (host, port, dir) => {
        const file = join(dir, 'nats-server.conf');
        writeFileSync(file, natsServerConfig({ host, port, storeDir: dir, passwords: passwords().passwords }), { mode: 0o600 });
        return ['-c', file];
      },
      ready: /Server is ready/,
      users: { urlFor: (url, user) => natsUrlFor(url, user, passwords().passwords[user]), file: () => passwords().file },
    },
    {
      name: 'redis',
      url: config.redisUrl,
      defaultPort: 6379,
      binary: config.redisServerBin,
      install: 'sudo apt-get install -y redis-server',
      probe: probeRedis,
      // Append-only persistence: a restart keeps the read model, no rebuild needed.
      args: (host, port, dir) => ['--port', String(port), '--bind', host, '--dir', dir, '--appendonly', 'yes', '--save', ''],
      ready: /Ready to accept connections/,
    },
  ];
};

/** The host and port to start a server on, when the URL names one address of this machine. */
const localAddress = (url: string, defaultPort: number): { host: string; port: number } | undefined => {
  try {
    const { hostname, port } = new URL(url);
    return LOCAL_HOSTS.includes(hostname) ? { host: hostname, port: Number(port || defaultPort) } : undefined;
  } catch {
    return undefined; // not one URL, e.g. a list of cluster members
  }
};

const installed = (binary: string): boolean => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', binary], { stdio: 'ignore' }).status === 0;

const startStore = async (spec: StoreSpec, config: LauncherConfig): Promise<Store> => {
  if ((await spec.probe(spec.url)) === 'ok') return { name: spec.name, url: spec.url };

  const address = localAddress(spec.url, spec.defaultPort);
  if (!address) {
    throw new LaunchError(`nothing answers at ${spec.url}; the launcher starts a server only at one address of this machine (127.0.0.1 or localhost).`);
  }
  if (!installed(spec.binary)) {
    throw new LaunchError(
      `nothing answers at ${spec.url} and ${spec.binary} is not installed to start one:\n` +
        `  ${spec.install}\n` +
        `  (or point ${spec.name === 'nats' ? 'NATS_URL at a NATS server with JetStream' : 'REDIS_URL at a Redis server'})`,
    );
  }
  const dataDir = join(config.dataDir, spec.name);
  mkdirSync(dataDir, { recursive: true });
  const relaunch = () => launch(spec.name, 'server', spec.binary, spec.args(address.host, address.port, dataDir), { cwd: dataDir });
  const ready = (server: Child) => server.waitForLine(spec.ready, READY_TIMEOUT_MS);
  const child = relaunch();
  try {
    await ready(child);
    if ((await spec.probe(spec.users?.urlFor(spec.url, 'admin') ?? spec.url)) !== 'ok') throw new LaunchError(`${spec.name} started but does not answer at ${spec.url}`);
  } catch (error) {
    await child.stop();
    throw error instanceof LaunchError ? error : new LaunchError(`${(error as Error).message}; its last lines:\n${child.lastLines().join('\n')}`);
  }
  const { users } = spec;
  return { name: spec.name, url: spec.url, started: child, dataDir, relaunch, ready, urlFor: users && ((user) => users.urlFor(spec.url, user)), usersFile: users?.file() };
};

/** NATS (with JetStream) and Redis, each reused if it answers at its URL, else started from the local binary. */
export const startStores = async (config: LauncherConfig): Promise<Store[]> => {
  const results = await Promise.allSettled(specs(config).map((spec) => startStore(spec, config)));
  const stores = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    await stopStores(stores);
    throw failure.reason;
  }
  return stores;
};

/** Stops the servers started here, never the reused ones. */
export const stopStores = async (stores: Store[]): Promise<void> => {
  await Promise.all(stores.map((store) => store.started?.stop()));
};
