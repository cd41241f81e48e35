/**
 * `npm start`: the whole system on one machine (design.md §12). NATS with JetStream and Redis are
 * reused when they answer at NATS_URL / REDIS_URL, otherwise started from the local binaries with
 * their data under DATA_DIR; then every service of `SERVICES` runs in its own process, from its
 * TypeScript source through ts-node. Once all are up, a service or a server started here that dies
 * is restarted after a back-off while the others run on (supervise.ts); one that dies before that
 * stops the rest and the launcher exits 1. Ctrl-C or SIGTERM stops the services, then the servers
 * started here, and exits 0.
 */
import { mkdirSync } from 'node:fs';
import type { BusUser } from '@clp/messaging';
import { LaunchError, launcherConfig } from './config';
import { credentialsMasterKey } from './master-key';
import { closeLaunches, describeExit, reservePrefix, runningChildren, say, type Child } from './processes';
import { readyBlock } from './ready-block';
import { launchService, presentServices, serviceReady, type ServiceContext } from './services';
import { startStores } from './stores';
import { supervise } from './supervise';
import { buildWebIfStale } from './web-build';

let stopping = false;
// Set once every service was ready: from then on a process that dies is restarted.
let up = false;

// A closed stdout (`npm start | head`) must not crash the launcher and orphan what it started.
process.stdout.on('error', () => undefined);

const stopAll = async (exitCode: number): Promise<never> => {
  stopping = true;
  closeLaunches();
  await Promise.all(runningChildren('service').map((child) => child.stop()));
  await Promise.all(runningChildren('server').map((child) => child.stop()));
  process.exit(exitCode);
};

const fail = async (message: string, child?: Child): Promise<void> => {
  if (stopping) return;
  say(message);
  if (child?.lastLines().length) {
    say(`${child.name}'s last lines:`);
    child.lastLines().slice(-20).forEach((line) => say(`  ${line}`));
  }
  say('stopping everything started here');
  await stopAll(1);
};

// A service or a server started here that ends before the system is up takes the launch down with
// it (a failed start, which a restart would repeat); after that it is restarted.
const watch = (child: Child, relaunch: () => Child, ready: (child: Child) => Promise<unknown>): void => {
  void child.exited.then((status) => (up ? undefined : fail(`${child.name} ${describeExit(status)} unexpectedly`, child)));
  supervise(child, { relaunch, ready, stopping: () => stopping, restartable: () => up }).catch((error: Error) => fail(`supervising ${child.name} failed: ${error.message}`));
};

// npm passes Ctrl-C on to the launcher too, so one Ctrl-C can arrive twice: while stopping, further
// signals change nothing (a process that does not stop within its grace period is killed anyway).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    say(`${signal}: stopping the services, then the servers started here`);
    void stopAll(0);
  });
}

const main = async (): Promise<void> => {
  const config = launcherConfig();
  const services = presentServices();
  reservePrefix(['start', 'nats', 'redis', 'web', ...services.map((service) => service.name)]);
  mkdirSync(config.dataDir, { recursive: true });

  const stores = await startStores(config);
  stores.forEach((store) => {
    if (store.started && store.relaunch && store.ready) watch(store.started, store.relaunch, store.ready);
    else say(`${store.name}: reusing the server at ${store.url}; it stays running when this stops`);
  });

  const masterKey = credentialsMasterKey(config.dataDir);
  if (masterKey.generated) {
    say(`generated the credentials master key in ${masterKey.file} (mode 0600); every start passes it to the registry.`);
    say('Keep it with the NATS data: stored credential secrets open only with this key.');
  }

  const nats = stores.find((store) => store.name === 'nats');
  const natsUrl = (user: BusUser) => nats?.urlFor?.(user) ?? config.natsUrl;
  const context: ServiceContext = { natsUrl, redisUrl: config.redisUrl, dataDir: config.dataDir, credentialsMasterKey: masterKey.key, webDistDir: config.webDistDir };
  // Built while the services start; the gateway serves it as soon as it is there.
  const web = buildWebIfStale(config.webDistDir);
  const children = services.map((service) => launchService(service, context));
  children.forEach((child, i) => watch(child, () => launchService(services[i], context), (restarted) => serviceReady(services[i], restarted)));
  const ready = await Promise.all(
    services.map((service, i) =>
      serviceReady(service, children[i]).catch(async (error: Error) => {
        await fail(error.message, children[i]);
        return undefined;
      }),
    ),
  );
  const webUi = await web;
  if (stopping) return;
  up = true;
  process.stdout.write(readyBlock(config, stores, ready.flatMap((service) => (service ? [service] : [])), masterKey, webUi));
};

main().catch(async (error: Error) => {
  if (error instanceof LaunchError) await fail(error.message);
  else await fail(`failed: ${error.stack ?? error.message}`);
});
