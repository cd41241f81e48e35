import type Redis from 'ioredis';
import type { NatsConnection } from 'nats';
import { batchesOf, type EventStore } from '@clp/event-store';
import { lastConnectionEventSeq, positionOfSeq, readConnectionEvents } from './connection-events';
import { READ_MODEL_EVENTS, readStoreEvents } from './environment-projection';
import { EnvironmentReadModel, REFUSED, type Source } from './environment-read-model';

// A version no one has written: the counter only grows, and starts past the active version.
const NEXT_VERSION = `local active = redis.call('GET', ARGV[1] .. 'active') or ARGV[2]
local floor = tonumber(string.match(active, '^v(%d+)$')) or 0
local n = redis.call('INCR', ARGV[1] .. 'versions')
if n <= floor then
  n = floor + 1
  redis.call('SET', ARGV[1] .. 'versions', n)
end
return 'v' .. n`;

// One rebuild at a time: the lock expires unless renewed, so a killed rebuild does not block the next for long.
const LOCK_SECONDS = 60;

export interface RebuildResult {
  version: string;
  previous: string;
  /** Events applied to the new version, from the store and from CONNECTION_EVENTS. */
  events: number;
  deletedKeys: number;
  orphanKeys: number;
  seconds: number;
}

const globEscape = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');

/** Deletes every key of one version, a SCAN page at a time: never one long blocking command. */
export const deleteVersion = async (redis: Redis, prefix: string, batch = 500): Promise<number> => {
  let deleted = 0;
  for await (const keys of redis.scanStream({ match: `${globEscape(prefix)}*`, count: batch }) as AsyncIterable<string[]>) {
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  }
  return deleted;
};

/** Every version but the active one, found by their keys (a version that holds anything has a checkpoint). */
const deleteOrphans = async (redis: Redis, model: EnvironmentReadModel, active: string): Promise<number> => {
  const versions = new Set<string>();
  for await (const keys of redis.scanStream({ match: `${globEscape(model.namespace)}v*:*checkpoint`, count: 1000 }) as AsyncIterable<string[]>) {
    for (const key of keys) versions.add(key.slice(model.namespace.length).split(':')[0]);
  }
  let deleted = 0;
  for (const version of versions) if (version !== active) deleted += await deleteVersion(redis, model.prefixOf(version));
  return deleted;
};

/**
 * Rebuilds the read model from scratch (DESIGN 5): every environment and workspace event of the
 * store and every message of CONNECTION_EVENTS into a new version; once it is at or past the live
 * version on both sources, the pointer switches atomically and the old version is deleted. Safe
 * while the service runs: its projections follow the switch.
 */
export const rebuildReadModel = async (store: EventStore, nc: NatsConnection, redis: Redis, prefix: string): Promise<RebuildResult> => {
  const started = performance.now();
  const model = new EnvironmentReadModel(redis, prefix);
  const lock = `${model.namespace}rebuilding`;
  const owner = `${process.pid}:${started}`;
  if ((await redis.set(lock, owner, 'EX', LOCK_SECONDS, 'NX')) !== 'OK') throw new Error('another rebuild is running');
  try {
    const orphanKeys = await deleteOrphans(redis, model, (await model.position()).version);
    const version = (await redis.eval(NEXT_VERSION, 0, model.namespace, model.initialVersion)) as string;
    const target: Record<Source, string> = {
      store: (await store.lastPosition?.(READ_MODEL_EVENTS)) ?? '',
      connections: positionOfSeq(await lastConnectionEventSeq(nc)),
    };
    const reached: Record<Source, string> = { store: '', connections: positionOfSeq(0) };
    const readers = { store: readStoreEvents(store), connections: readConnectionEvents(nc) };
    const batches = {
      store: batchesOf(readers.store, 500)[Symbol.asyncIterator](),
      connections: batchesOf(readers.connections, 500)[Symbol.asyncIterator](),
    };
    let events = 0;
    let previous: string | undefined;
    try {
      while (previous === undefined) {
        // Reading a source only while behind it: the readers never end, so reading at the head would wait.
        const behind = (['store', 'connections'] as const).find((source) => reached[source] < target[source]);
        if (!behind) {
          const outcome = await model.switchTo(version);
          if (outcome.switched) previous = outcome.previous;
          else Object.assign(target, { store: outcome.checkpoint, connections: outcome.connections || positionOfSeq(0) });
          continue;
        }
        const next = await batches[behind].next();
        if (next.done) throw new Error(`the ${behind} reader ended`);
        const applied = await model.apply(behind, next.value, version, 'rebuild');
        await redis.expire(lock, LOCK_SECONDS);
        if (applied === REFUSED) throw new Error(`read model version ${version} became active while it was being rebuilt`);
        events += applied;
        reached[behind] = next.value[next.value.length - 1].position;
      }
    } catch (error) {
      // A failed rebuild leaves nothing behind, unless a switch whose reply was lost made it active.
      const active = await redis.get(`${model.namespace}active`).catch(() => version);
      if (active !== version) await deleteVersion(redis, model.prefixOf(version)).catch(() => undefined);
      throw error;
    } finally {
      await Promise.all([readers.store.stop(), readers.connections.stop()]);
      await Promise.all([batches.store.return(undefined), batches.connections.return(undefined)]);
    }
    const deletedKeys = await deleteVersion(redis, model.prefixOf(previous));
    return { version, previous, events, deletedKeys, orphanKeys, seconds: (performance.now() - started) / 1000 };
  } finally {
    // Released only by its owner: an expired lock may belong to the next rebuild by now.
    await redis.eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, 1, lock, owner);
  }
};
