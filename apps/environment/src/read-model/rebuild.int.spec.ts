import type { INestMicroservice } from '@nestjs/common';
import Redis from 'ioredis';
import { connect, type NatsConnection } from 'nats';
import { INTEGRATION_STREAMS, SUBJECTS, type Caller } from '@clp/contracts';
import { JetStreamEventStore } from '@clp/event-store';
import { Requester } from '@clp/messaging';
import { startNats, startRedis, waitFor, type TestServer } from '@clp/testing';
import { CONNECTION_DELETED_CONSUMER } from '../environments/connection-deleted';
import { createEnvironmentService, listenUntilAnswering } from '../environment-service';
import { StreamCommands } from '../shell/stream-commands';
import { lastConnectionEventSeq, positionOfSeq } from './connection-events';
import { READ_MODEL_EVENTS } from './environment-projection';
import { EnvironmentReadModel } from './environment-read-model';
import { ORGANIZATIONS, RandomOperations } from './random-operations.fixtures';
import { rebuildReadModel } from './rebuild';

const SEED = Number(process.env.REBUILD_SEED ?? 20_261_121);
const OPERATIONS = 600;
const E = SUBJECTS.environment;

describe('rebuilding the environment read model (real NATS and Redis)', () => {
  let nats: TestServer;
  let redisServer: TestServer;
  let app: INestMicroservice;
  let nc: NatsConnection;
  let redis: Redis;
  let store: JetStreamEventStore;
  let api: Requester;
  let readModel: EnvironmentReadModel;
  let operations: RandomOperations;

  beforeAll(async () => {
    [nats, redisServer] = await Promise.all([startNats(), startRedis()]);
    const config = { natsUrl: nats.url, redisUrl: redisServer.url, instanceName: 'environment-rebuild-test', readModelPrefix: 'environment:v1:', registryTimeoutMs: 1000 };
    app = await createEnvironmentService(config, false);
    await listenUntilAnswering(app);
    nc = await connect({ servers: nats.url });
    api = new Requester(nc, { timeoutMs: 10_000 });
    store = await JetStreamEventStore.create(nc, { context: 'environment' });
    redis = new Redis(redisServer.url);
    readModel = app.get(EnvironmentReadModel);
    operations = new RandomOperations(app.get(StreamCommands), nc.jetstream(), SEED);
  }, 60_000);

  afterAll(async () => {
    redis?.disconnect();
    await store?.close();
    await nc?.close();
    await app?.close();
    await Promise.all([nats, redisServer].map((s) => s?.stop()));
  });

  const keysOf = async (prefix: string): Promise<string[]> => {
    const keys: string[] = [];
    for await (const page of redis.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<string[]>) keys.push(...page);
    return keys.sort();
  };

  /** Every key of a version with its value, by type (sets sorted); checkpoints aside. */
  const dump = async (prefix: string): Promise<Record<string, unknown>> => {
    const keys = (await keysOf(prefix)).filter((k) => !k.endsWith('checkpoint'));
    const types = (await redis.pipeline(keys.map((k) => ['type', k])).exec())!.map(([, t]) => t as string);
    const reads = keys.map((k, i) =>
      types[i] === 'hash' ? ['hgetall', k] : types[i] === 'zset' ? ['zrange', k, '0', '-1', 'WITHSCORES'] : types[i] === 'set' ? ['smembers', k] : ['get', k],
    );
    const values = (await redis.pipeline(reads).exec())!.map(([, v]) => v);
    return Object.fromEntries(keys.map((k, i) => [k.slice(prefix.length), { [types[i]]: types[i] === 'set' ? (values[i] as string[]).sort() : values[i] }]));
  };

  /** Both sources applied, and the reaction to deleted connections done (its appends applied too). */
  const settled = async () => {
    const jsm = await nc.jetstreamManager();
    await waitFor(async () => (await jsm.consumers.info(INTEGRATION_STREAMS.connections.name, CONNECTION_DELETED_CONSUMER).catch(() => undefined))?.num_pending === 0);
    await waitFor(async () => (await jsm.consumers.info(INTEGRATION_STREAMS.connections.name, CONNECTION_DELETED_CONSUMER)).num_ack_pending === 0);
    const [head, seq] = [await store.lastPosition(READ_MODEL_EVENTS), await lastConnectionEventSeq(nc)];
    await waitFor(async () => {
      const position = await readModel.position();
      return position.checkpoint === head && position.connections === positionOfSeq(seq);
    }, { timeoutMs: 30_000, message: 'the read model caught up' });
  };

  const pages = async () => {
    const caller = (organization_id: string): Caller => ({ organization_id, user_id: 'v', role: 'viewer' });
    return Promise.all(
      ORGANIZATIONS.flatMap((org) => [
        api.request(E.listEnvironments, { caller: caller(org), pagesize: 100 }),
        api.request(E.listEnvironments, { caller: caller(org), pagesize: 100, order: 'name asc', search: 'RENAMED' }),
        api.request(E.listWorkspaces, { caller: caller(org), pagesize: 100, order: 'created_at asc' }),
      ]),
    );
  };

  it(`after ${OPERATIONS} random operations, the rebuilt version equals the live one, key for key`, async () => {
    await operations.run(OPERATIONS);
    await settled();
    const { tally } = operations;
    expect(tally.changed).toBeGreaterThan(200);
    expect(tally.connectionEvents).toBeGreaterThan(100);
    expect(tally.refused + tally.unchanged).toBeGreaterThan(10);

    const live = await dump('environment:v1:');
    expect(Object.keys(live).some((k) => k.endsWith(':conns'))).toBe(true);
    expect(Object.keys(live).some((k) => k.startsWith('conn:'))).toBe(true);
    const livePages = await pages();
    const position = await readModel.position();

    const result = await rebuildReadModel(store, nc, redis, 'environment:v1:');
    expect(result).toMatchObject({ version: 'v2', previous: 'v1' });
    expect(await readModel.position()).toEqual({ ...position, version: 'v2' });
    expect(await dump('environment:v2:')).toEqual(live);
    expect(await pages()).toEqual(livePages);
    expect(await keysOf('environment:v1:')).toEqual([]);
    console.log(`${OPERATIONS} operations (${JSON.stringify(tally)}), ${Object.keys(live).length} keys, rebuild of ${result.events} events in ${result.seconds.toFixed(2)} s`);
  }, 120_000);

  it('the live projections follow the switch: new events of both sources reach the new version', async () => {
    await operations.run(100);
    // settled() reads the active version's checkpoints: v2 has reached both sources' heads.
    await settled();
    expect((await readModel.position()).version).toBe('v2');
    const live = await dump('environment:v2:');
    expect(await keysOf('environment:v1:')).toEqual([]);
    const again = await rebuildReadModel(store, nc, redis, 'environment:v1:');
    expect(again).toMatchObject({ version: 'v3', previous: 'v2' });
    expect(await dump('environment:v3:')).toEqual(live);
  }, 120_000);
});
