import type { INestMicroservice } from '@nestjs/common';
import Redis from 'ioredis';
import { connect, type NatsConnection } from 'nats';
import { SUBJECTS, type Caller, type ConnectionPage, type ConnectionView, type Reply } from '@clp/contracts';
import { KIND_DEFINITIONS } from '@clp/connection-definitions';
import { batchesOf, JetStreamEventStore } from '@clp/event-store';
import { Requester } from '@clp/messaging';
import { startNats, startRedis, waitFor, type TestServer } from '@clp/testing';
import { configFromEnv } from '../config';
import { ConnectionCommands } from '../connections/connection-commands';
import { createRegistry, listenUntilAnswering } from '../registry';
import { READ_MODEL_EVENTS } from './connection-projection';
import { ConnectionReadModel } from './connection-read-model';
import { expectedSummaries, ORGANIZATIONS, RandomOperations } from './random-operations.fixtures';
import { rebuildReadModel } from './rebuild';

const SEED = Number(process.env.REBUILD_SEED ?? 20_260_101);
const WORKERS = 8;
const OPERATIONS = 10_000;

const sortKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(sortKeys)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sortKeys(v)]))
      : value;

describe('rebuilding the registry read model (real NATS and Redis)', () => {
  let nats: TestServer;
  let redisServer: TestServer;
  let app: INestMicroservice;
  let nc: NatsConnection;
  let redis: Redis;
  let store: JetStreamEventStore;
  let api: Requester;
  let readModel: ConnectionReadModel;
  let workers: RandomOperations[];

  beforeAll(async () => {
    [nats, redisServer] = await Promise.all([startNats(), startRedis()]);
    const config = { ...configFromEnv({}), natsUrl: nats.url, redisUrl: redisServer.url, instanceName: 'registry-rebuild-test', readModelPrefix: 'registry:v1:' };
    app = await createRegistry(config, false);
    await listenUntilAnswering(app);
    nc = await connect({ servers: nats.url });
    api = new Requester(nc, { timeoutMs: 10_000 });
    store = await JetStreamEventStore.create(nc, { context: 'registry' });
    redis = new Redis(redisServer.url);
    readModel = app.get(ConnectionReadModel);
    const commands = app.get(ConnectionCommands);
    workers = Array.from({ length: WORKERS }, (_, w) => new RandomOperations(commands, w, SEED));
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

  /** Every key of a version with its value, by type; JSON documents with their keys sorted. */
  const dump = async (prefix: string): Promise<Record<string, unknown>> => {
    const keys = (await keysOf(prefix)).filter((k) => k !== `${prefix}checkpoint` && !k.startsWith(`${prefix}tmp:`));
    const types = (await redis.pipeline(keys.map((k) => ['type', k])).exec())!.map(([, t]) => t as string);
    const reads = keys.map((k, i) =>
      types[i] === 'string' ? ['get', k] : types[i] === 'hash' ? ['hgetall', k] : types[i] === 'zset' ? ['zrange', k, '0', '-1', 'WITHSCORES'] : ['type', k],
    );
    const values = (await redis.pipeline(reads).exec())!.map(([, v]) => v);
    return Object.fromEntries(
      keys.map((k, i) => [k.slice(prefix.length), types[i] === 'string' ? sortKeys(JSON.parse(values[i] as string)) : { [types[i]]: values[i] }]),
    );
  };

  const caughtUp = async () => {
    const head = await store.lastPosition(READ_MODEL_EVENTS);
    await waitFor(async () => (await readModel.position()).checkpoint === head, { timeoutMs: 60_000, message: `read model at ${head}` });
  };

  const list = async (organization_id: string, query: Record<string, unknown>) => {
    const caller: Caller = { organization_id, user_id: 'viewer', role: 'viewer' };
    const reply = (await api.send(SUBJECTS.registry.listConnections, { caller, ...query })) as Reply<ConnectionPage>;
    if ('error' in reply) throw new Error(JSON.stringify(reply.error));
    return reply.result;
  };

  /** Pages served through the registry's API, with each kind of filter and order. */
  const pages = async () =>
    Promise.all(
      ORGANIZATIONS.flatMap((org) =>
        [
          { pagesize: 100 },
          { pagesize: 100, page: 1 },
          { pagesize: 50, order: 'name asc', status: ['connected', 'registered'] },
          { pagesize: 20, order: 'created_at asc', kind: ['prometheus', 'grafana'] },
          { pagesize: 20, type: ['observability'], search: 'w3-' },
          { pagesize: 10, name: 'PROMETHEUS-W1', order: 'updated_at asc' },
        ].map((query) => list(org, query)),
      ),
    );

  /**
   * Every page of filtered lists, walked to the end: the rows are the connections the commands
   * left with those statuses and kinds (one or several sets per filter), each once, in order.
   */
  const expectFiltersToMatchTheCommands = async () => {
    const filters = [
      { status: ['connected'] },
      { kind: ['prometheus', 'grafana'] },
      { status: ['connected', 'registered', 'not found'], kind: ['prometheus', 'kubernetes'] },
      { status: ['maintenance', 'ignored'], type: ['observability'] },
    ];
    for (const org of ORGANIZATIONS) {
      for (const filter of filters) {
        for (const order of ['updated_at', 'created_at asc']) {
          const kinds = (kind: string) =>
            (!filter.kind || filter.kind.includes(kind)) && (!filter.type || KIND_DEFINITIONS.find((d) => d.kind === kind)?.type === filter.type[0]);
          const expected = workers
            .flatMap((w) => [...w.known.entries()])
            .filter(([, c]) => c.organization_id === org && c.status !== 'none' && c.status !== 'deleted')
            .filter(([, c]) => (!filter.status || filter.status.includes(c.status)) && kinds(c.kind.kind))
            .map(([id]) => id)
            .sort();
          const rows: ConnectionView[] = [];
          for (let page = 0; ; page++) {
            const result = await list(org, { ...filter, order, page, pagesize: 7 });
            expect(result.total_count).toBe(expected.length);
            rows.push(...result.connections);
            if (result.connections.length < 7) break;
          }
          expect(rows.map((r) => r.id).sort()).toEqual(expected);
          const times = rows.map((r) => Date.parse(order === 'updated_at' ? r.updated_at : r.created_at));
          expect(times).toEqual([...times].sort((a, b) => (order === 'updated_at' ? b - a : a - b)));
        }
      }
    }
  };

  const runOperations = (total: number, stop?: () => boolean) => Promise.all(workers.map((w) => w.run(total / WORKERS, stop)));

  it(`after ${OPERATIONS.toLocaleString('en')} random operations, the rebuilt version equals the live one, key for key`, async () => {
    const started = Date.now();
    await runOperations(OPERATIONS);
    await caughtUp();
    const tally = workers.reduce(
      (t, w) => ({ changed: t.changed + w.tally.changed, unchanged: t.unchanged + w.tally.unchanged, refused: t.refused + w.tally.refused }),
      { changed: 0, unchanged: 0, refused: 0 },
    );
    expect(tally).toEqual({ changed: expect.any(Number), unchanged: expect.any(Number), refused: expect.any(Number) });
    expect(tally.changed).toBeGreaterThan(5000);
    expect(tally.refused).toBeGreaterThan(1000);
    expect(tally.unchanged).toBeGreaterThan(100);

    const live = await dump('registry:v1:');
    const livePages = await pages();
    // Both models come from the same script: check it against what the commands decided.
    const summaries = Object.fromEntries(ORGANIZATIONS.map((org, i) => [org, livePages[i * 6].status_summary]));
    expect(summaries).toEqual(expectedSummaries(workers));
    await expectFiltersToMatchTheCommands();
    const liveCheckpoint = (await readModel.position()).checkpoint;

    const result = await rebuildReadModel(store, redis, 'registry:v1:');
    expect(result).toMatchObject({ version: 'v2', previous: 'v1' });
    expect(result.events).toBeGreaterThanOrEqual(tally.changed);
    expect(await readModel.position()).toEqual({ version: 'v2', checkpoint: liveCheckpoint });
    expect(await dump('registry:v2:')).toEqual(live);
    expect(await pages()).toEqual(livePages);
    expect(await keysOf('registry:v1:')).toEqual([]);
    console.log(`${OPERATIONS} operations (${JSON.stringify(tally)}), ${Object.keys(live).length} keys, rebuild of ${result.events} events in ${result.seconds.toFixed(1)} s; ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
  }, 300_000);

  it('the live projection follows the switch: a new event reaches the new version', async () => {
    const worker = workers[0];
    const before = new Set(worker.known.keys());
    while ([...worker.known.keys()].every((id) => before.has(id))) await worker.run(1);
    const id = [...worker.known.keys()].find((k) => !before.has(k))!;
    await waitFor(async () => (await redis.exists(`registry:v2:conn:${id}`)) === 1, { message: 'the new connection in v2' });
    await caughtUp();
    expect(await keysOf('registry:v1:')).toEqual([]);
  });

  it('redelivering the whole history to the active version changes nothing', async () => {
    const before = await dump('registry:v2:');
    const head = await store.lastPosition(READ_MODEL_EVENTS);
    const subscription = store.subscribeToAll({ filter: READ_MODEL_EVENTS });
    let applied = 0;
    // Odd-sized batches, so that batch edges fall elsewhere than the projection's did.
    for await (const batch of batchesOf(subscription, 37)) {
      applied += await readModel.apply(batch, 'v2');
      if (batch.at(-1)!.position >= head!) break;
    }
    await subscription.stop();
    expect(applied).toBe(0);
    expect(await dump('registry:v2:')).toEqual(before);
  });

  it('a rebuild while commands keep coming loses nothing in the switch', async () => {
    let rebuilding = true;
    const operations = runOperations(40_000, () => !rebuilding);
    // Commands flow before, during and at the switch.
    await waitFor(() => workers.every((w) => w.tally.changed + w.tally.refused > 0));
    const result = await rebuildReadModel(store, redis, 'registry:v1:').finally(() => (rebuilding = false));
    await operations;
    expect(result).toMatchObject({ version: 'v3', previous: 'v2' });
    await caughtUp();
    const live = await dump('registry:v3:');
    const summaries = await Promise.all(ORGANIZATIONS.map(async (org) => [org, (await list(org, { pagesize: 1 })).status_summary]));
    expect(Object.fromEntries(summaries)).toEqual(expectedSummaries(workers));

    // And from scratch once more, with nothing moving: the same model.
    const again = await rebuildReadModel(store, redis, 'registry:v1:');
    expect(again).toMatchObject({ version: 'v4', previous: 'v3' });
    expect(await dump('registry:v4:')).toEqual(live);
    expect(await keysOf('registry:v2:')).toEqual([]);
    expect(await keysOf('registry:v3:')).toEqual([]);
  }, 300_000);

  it('one rebuild at a time; the next removes what a killed one left behind', async () => {
    // What a rebuild killed mid-way leaves: a version that never became active.
    const [first] = await store.readStream((await keysOf('registry:v4:conn:'))[0].replace('registry:v4:conn:', 'connection-'));
    expect(await readModel.apply([first], 'v9', 'rebuild')).toBe(1);
    expect((await keysOf('registry:v9:')).length).toBeGreaterThan(0);

    await redis.set('registry:rebuilding', 'someone else', 'EX', 60);
    await expect(rebuildReadModel(store, redis, 'registry:v1:')).rejects.toThrow('another rebuild is running');
    expect(await redis.get('registry:rebuilding')).toBe('someone else');
    await redis.del('registry:rebuilding');

    const result = await rebuildReadModel(store, redis, 'registry:v1:');
    expect(result.previous).toBe('v4');
    expect(result.orphanKeys).toBeGreaterThan(0);
    expect(await keysOf('registry:v9:')).toEqual([]);
    expect(await redis.exists('registry:rebuilding')).toBe(0);
  });
});
