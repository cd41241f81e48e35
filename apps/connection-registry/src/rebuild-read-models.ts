/**
 * `npm run rebuild-read-models`: rebuilds the registry's Redis read model from the event store
 * into a new version, switches to it and deletes the old one (design.md §5). Safe while the registry
 * runs: its projections follow the switch. Reads the registry's environment (`config.ts`).
 */
import Redis from 'ioredis';
import { eventStoreOf } from '@clp/event-store';
import { connectNats } from '@clp/messaging';
import { configFromEnv } from './config';
import { rebuildReadModel } from './read-model/rebuild';

const main = async () => {
  const config = configFromEnv();
  const nc = await connectNats({ servers: config.natsUrl, name: `${config.instanceName}-rebuild` });
  // The same store the registry chooses (registry.module.ts).
  const store = await eventStoreOf(nc, { context: 'registry', eventstoreConnectionString: config.eventstoreConnectionString });
  const redis = new Redis(config.redisUrl);
  try {
    const result = await rebuildReadModel(store, redis, config.readModelPrefix);
    console.log(
      `read model rebuilt: version ${result.version} (was ${result.previous}), ${result.events} events, ` +
        `${result.deletedKeys} old keys deleted, ${result.orphanKeys} left by an earlier killed rebuild deleted, ${result.seconds.toFixed(1)} s`,
    );
  } finally {
    await store.close();
    await nc.drain();
    redis.disconnect();
  }
};

main().catch((error: Error) => {
  console.error(`rebuild-read-models failed: ${error.message}`);
  process.exit(1);
});
