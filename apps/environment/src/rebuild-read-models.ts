/**
 * `npm run rebuild-environment-read-models`: rebuilds the environment service's Redis read model
 * from its event store and CONNECTION_EVENTS into a new version, switches to it and deletes the
 * old one (design.md §5). Safe while the service runs: its projections follow the switch.
 */
import Redis from 'ioredis';
import { eventStoreOf } from '@clp/event-store';
import { connectNats } from '@clp/messaging';
import { configFromEnv } from './config';
import { rebuildReadModel } from './read-model/rebuild';

const main = async () => {
  const config = configFromEnv();
  // CONNECTION_EVENTS is on NATS whichever store is used.
  const nc = await connectNats({ servers: config.natsUrl, name: `${config.instanceName}-rebuild` });
  // The same store the service chooses (environment.module.ts).
  const store = await eventStoreOf(nc, { context: 'environment', eventstoreConnectionString: config.eventstoreConnectionString });
  const redis = new Redis(config.redisUrl);
  try {
    const result = await rebuildReadModel(store, nc, redis, config.readModelPrefix);
    console.log(
      `environment read model rebuilt: version ${result.version} (was ${result.previous}), ${result.events} events, ` +
        `${result.deletedKeys} old keys deleted, ${result.orphanKeys} left by an earlier killed rebuild deleted, ${result.seconds.toFixed(1)} s`,
    );
  } finally {
    await store.close();
    await nc.drain();
    redis.disconnect();
  }
};

main().catch((error: Error) => {
  console.error(`rebuild-environment-read-models failed: ${error.message}`);
  process.exit(1);
});
