import type Redis from 'ioredis';

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

/** A version of a read model under `namespace` (`registry:`), with keys `<namespace><version>:…`. */
export interface VersionedModel {
  namespace: string;
  /** The version active while no pointer (`<namespace>active`) is set. */
  initialVersion: string;
}

const globEscape = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');

export const nextVersion = async (redis: Redis, model: VersionedModel): Promise<string> =>
  (await redis.eval(NEXT_VERSION, 0, model.namespace, model.initialVersion)) as string;

/** Deletes every key of one version, a SCAN page at a time: never one long blocking command. */
export const deleteVersion = async (redis: Redis, prefix: string, batch = 500): Promise<number> => {
  let deleted = 0;
  for await (const keys of redis.scanStream({ match: `${globEscape(prefix)}*`, count: batch }) as AsyncIterable<string[]>) {
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  }
  return deleted;
};

/**
 * Deletes every version but the active one, found by their checkpoint keys (every written version
 * has one, `…:checkpoint` or `…:<source>:checkpoint`): under the rebuild lock, those are what a
 * killed rebuild left behind.
 */
export const deleteOrphans = async (redis: Redis, model: VersionedModel, active: string, batch?: number): Promise<number> => {
  const versions = new Set<string>();
  for await (const keys of redis.scanStream({ match: `${globEscape(model.namespace)}v*:*checkpoint`, count: 1000 }) as AsyncIterable<string[]>) {
    for (const key of keys) versions.add(key.slice(model.namespace.length).split(':')[0]);
  }
  let deleted = 0;
  for (const version of versions) if (version !== active) deleted += await deleteVersion(redis, `${model.namespace}${version}:`, batch);
  return deleted;
};

/**
 * Runs a rebuild holding `<namespace>rebuilding`, which `renew` extends (call it per batch); a
 * second rebuild meanwhile fails at once.
 */
export const withRebuildLock = async <T>(redis: Redis, model: VersionedModel, rebuild: (renew: () => Promise<unknown>) => Promise<T>): Promise<T> => {
  const lock = `${model.namespace}rebuilding`;
  const owner = `${process.pid}:${performance.now()}`;
  if ((await redis.set(lock, owner, 'EX', LOCK_SECONDS, 'NX')) !== 'OK') throw new Error('another rebuild is running');
  try {
    return await rebuild(() => redis.expire(lock, LOCK_SECONDS));
  } finally {
    // Released only by its owner: an expired lock may belong to the next rebuild by now.
    await redis.eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, 1, lock, owner);
  }
};
