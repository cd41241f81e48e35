import type Redis from 'ioredis';
import type { NatsConnection } from 'nats';
import { batchesOf, type EventStore } from '@clp/event-store';
import { deleteOrphans, deleteVersion, nextVersion, withRebuildLock } from '@clp/read-model-versions';
import { lastConnectionEventSeq, positionOfSeq, readConnectionEvents } from './connection-events';
import { READ_MODEL_EVENTS, readStoreEvents } from './environment-projection';
import { EnvironmentReadModel, REFUSED, type Source } from './environment-read-model';

export interface RebuildResult {
  version: string;
  previous: string;
  /** Events applied to the new version, from the store and from CONNECTION_EVENTS. */
  events: number;
  deletedKeys: number;
  orphanKeys: number;
  seconds: number;
}

/**
 * Rebuilds the read model from scratch (design.md §5): every environment and workspace event of the
 * store and every message of CONNECTION_EVENTS into a new version; once it is at or past the live
 * version on both sources, the pointer switches atomically and the old version is deleted. Safe
 * while the service runs: its projections follow the switch.
 */
export const rebuildReadModel = async (store: EventStore, nc: NatsConnection, redis: Redis, prefix: string): Promise<RebuildResult> => {
  const started = performance.now();
  const model = new EnvironmentReadModel(redis, prefix);
  return withRebuildLock(redis, model, async (renewLock) => {
    const orphanKeys = await deleteOrphans(redis, model, (await model.position()).version);
    const version = await nextVersion(redis, model);
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
        await renewLock();
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
  });
};
