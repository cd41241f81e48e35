import { AckPolicy, connect, JSONCodec, nanos, type NatsConnection } from 'nats';
import { discoveryEventSubject, INTEGRATION_STREAMS, SUBJECTS, type ConnectionPage } from '@clp/contracts';
import { ensureStream, Requester } from '@clp/messaging';
import { startNats, startRedis, startService, waitFor, type RunningService, type TestServer } from '@clp/testing';
import { report } from './discovery-reports.fixtures';

const codec = JSONCodec();

/** The registry as its own process, as it runs in production, so that it can be killed. */
const startRegistry = (nats: TestServer, redis: TestServer, name: string): Promise<RunningService> =>
  startService({
    name,
    entry: 'apps/connection-registry/src/main.ts',
    env: { NATS_URL: nats.url, REDIS_URL: redis.url, INSTANCE_NAME: name, INTAKE_CONCURRENCY: '16' },
    ready: new RegExp(`${name} listening`),
  });

describe('a registry killed mid-intake and restarted (real processes, NATS and Redis)', () => {
  let nats: TestServer;
  let redis: TestServer;
  let nc: NatsConnection;
  let registry: RunningService | undefined;

  beforeAll(async () => {
    [nats, redis] = await Promise.all([startNats(), startRedis()]);
    nc = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await registry?.kill();
    await nc?.close();
    await Promise.all([nats, redis].map((s) => s?.stop()));
  });

  it('loses no discovery and duplicates none', async () => {
    const jsm = await nc.jetstreamManager();
    await ensureStream(jsm, INTEGRATION_STREAMS.discovery);
    const api = new Requester(nc, { timeoutMs: 10_000 });
    const total = async () =>
      ((await api.send(SUBJECTS.registry.listConnections, { caller: { organization_id: 'org-d', user_id: 'v', role: 'viewer' } })) as { result?: ConnectionPage })
        .result?.total_count ?? 0;

    registry = await startRegistry(nats, redis, 'registry-first');
    const js = nc.jetstream();
    const reports = Array.from({ length: 1000 }, (_, i) => [report(i), report(i)]).flat();
    await Promise.all(reports.map((r) => js.publish(discoveryEventSubject('prometheus'), codec.encode(r), { msgID: r.metadata.event_id })));

    await waitFor(async () => (await total()) >= 100, { timeoutMs: 30_000, message: 'intake under way' });
    await registry.kill();
    const atKill = await total();
    expect(atKill).toBeLessThan(1000);

    registry = await startRegistry(nats, redis, 'registry-second');
    await waitFor(async () => {
      const info = await jsm.consumers.info(INTEGRATION_STREAMS.discovery.name, 'connection-registry-intake');
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, { timeoutMs: 60_000, message: 'intake drained' });
    await waitFor(async () => (await total()) === 1000, { timeoutMs: 30_000, message: 'all 1,000 in the read model' });

    // Exactly one ConnectionDiscovered per resource was stored and relayed (the server's own
    // meshery connection, registered at start, has events of its own on other subjects).
    const relayed = async () => {
      const { num_pending } = await jsm.consumers.add(INTEGRATION_STREAMS.connections.name, {
        filter_subject: 'connection.events.prometheus.ConnectionDiscovered',
        ack_policy: AckPolicy.None,
        mem_storage: true,
        inactive_threshold: nanos(10_000),
      });
      return num_pending;
    };
    await waitFor(async () => (await relayed()) >= 1000, { timeoutMs: 30_000, message: 'relayed' });
    expect(await relayed()).toBe(1000);
    expect(await total()).toBe(1000);
  }, 180_000);
});
