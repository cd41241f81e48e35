import type Redis from 'ioredis';
import { batchesOf, type Checkpoint, type EventStore } from '@clp/event-store';
import { deleteOrphans, deleteVersion, nextVersion, withRebuildLock } from '@clp/read-model-versions';
import { READ_MODEL_EVENTS } from './connection-projection';
import { ConnectionReadModel, REFUSED, script } from './connection-read-model';

const SWITCH = script('switch-version.lua');
export interface RebuildResult {
  version: string;
  previous: string;
  /** Events applied to the new version. */
  events: number;
  /** Keys of the previous version deleted after the switch. */
  deletedKeys: number;
  /** Keys of versions an earlier, killed rebuild left behind, deleted before this one began. */
  orphanKeys: number;
  seconds: number;
}

export interface RebuildOptions {
  batchSize?: number;
  /** Keys per SCAN step and per UNLINK when deleting the previous version. */
  deleteBatch?: number;
}

/**
 * Rebuilds the read model from the event store from scratch (design.md §5): writes every connection
 * event into a new version, catches up with the head, switches the pointer, deletes the old version.
 *
 * Caught up means: past the store's last event when the rebuild began (`lastPosition`), and then
 * at or past the live version's checkpoint, which the switch checks atomically; events the live
 * projection applies meanwhile only move that target, and after the switch it continues on the
 * new version from there.
 */
export const rebuildReadModel = async (store: EventStore, redis: Redis, prefix: string, options: RebuildOptions = {}): Promise<RebuildResult> => {
  const started = performance.now();
  const model = new ConnectionReadModel(redis, prefix);
  return withRebuildLock(redis, model, (renewLock) => rebuildLocked(store, redis, model, renewLock, options, started));
};

const rebuildLocked = async (
  store: EventStore,
  redis: Redis,
  model: ConnectionReadModel,
  renewLock: () => Promise<unknown>,
  options: RebuildOptions,
  started: number,
): Promise<RebuildResult> => {
  // Holding the lock, every version but the active one is a killed rebuild's leftover.
  const orphanKeys = await deleteOrphans(redis, model, (await model.position()).version, options.deleteBatch);
  const version = await nextVersion(redis, model);
  // Without `lastPosition`, the live version's checkpoint is the only target the switch knows.
  let target: Checkpoint = (await store.lastPosition?.(READ_MODEL_EVENTS)) ?? '';
  let reached: Checkpoint = '';
  let events = 0;
  let previous: string | undefined;
  const subscription = store.subscribeToAll({ filter: READ_MODEL_EVENTS });
  const batches = batchesOf(subscription, options.batchSize ?? 500)[Symbol.asyncIterator]();
  try {
    while (previous === undefined) {
      // Reading further only when behind: the subscription never ends, so reading at the head would wait.
      if (reached >= target) {
        const [switched, value] = (await redis.eval(SWITCH, 0, model.namespace, model.initialVersion, version)) as [number, string];
        if (switched === 1) previous = value;
        else target = value;
        continue;
      }
      const next = await batches.next();
      if (next.done) throw new Error('the event store subscription ended');
      const applied = await model.apply(next.value, version, 'rebuild');
      await renewLock();
      if (applied === REFUSED) throw new Error(`read model version ${version} became active while it was being rebuilt`);
      events += applied;
      reached = next.value[next.value.length - 1].position;
    }
  } catch (error) {
    // A failed rebuild leaves nothing behind, unless a switch whose reply was lost made it active.
    const active = await redis.get(`${model.namespace}active`).catch(() => version);
    if (active !== version) await deleteVersion(redis, model.prefixOf(version), options.deleteBatch).catch(() => undefined);
    throw error;
  } finally {
    await subscription.stop();
    await batches.return(undefined);
  }
  const deletedKeys = await deleteVersion(redis, model.prefixOf(previous), options.deleteBatch);
  return { version, previous, events, deletedKeys, orphanKeys, seconds: (performance.now() - started) / 1000 };
};
