import { JSONCodec, type NatsConnection } from 'nats';
import { discoveryEventSubject, INTEGRATION_STREAMS, SUBJECTS, type Caller, type ConnectionPage, type Reply, } from '@clp/contracts';
import { ensureStream, type Requester } from '@clp/messaging';
import { waitFor } from '@clp/testing';
import { startRegistryHarness, type RegistryHarness } from '../registry.fixtures';
import { report } from './discovery-reports.fixtures';

const codec = JSONCodec();
const viewer: Caller = { organization_id: 'org-d', user_id: 'vic', role: 'viewer' };
const admin: Caller = { ...viewer, user_id: 'ada', role: 'admin' };

describe('discovery intake (real NATS and Redis)', () => {
  let h: RegistryHarness;
  let nc: NatsConnection;
  let api: Requester;

  beforeAll(async () => {
    h = await startRegistryHarness({ instanceName: 'registry', replicas: 2, connectivityTimeoutMs: 500, intakeConcurrency: 16 });
    ({ nc, api } = h);
    await ensureStream(await nc.jetstreamManager(), INTEGRATION_STREAMS.discovery);
  });

  afterAll(async () => {
    await h?.stop();
  });

  const publish = async (reports: Array<ReturnType<typeof report>>) => {
    const js = nc.jetstream();
    await Promise.all(reports.map((r) => js.publish(discoveryEventSubject(r.data.kind), codec.encode(r), { msgID: r.metadata.event_id })));
  };

  const page = async (query: Record<string, unknown> = {}) =>
    ((await api.send(SUBJECTS.registry.listConnections, { caller: viewer, pagesize: 100, ...query })) as { result: ConnectionPage }).result;

  const drained = async () => {
    const info = await (await nc.jetstreamManager()).consumers.info(INTEGRATION_STREAMS.discovery.name, 'connection-registry-intake');
    return info.num_pending === 0 && info.num_ack_pending === 0;
  };

  it('2 registry replicas consuming 1,000 discoveries, each sent twice, yield 1,000 connections', async () => {
    const first = Array.from({ length: 1000 }, (_, i) => report(i));
    const second = Array.from({ length: 1000 }, (_, i) => report(i));
    await publish(first.flatMap((r, i) => [r, second[i]]));

    await waitFor(drained, { timeoutMs: 60_000, message: 'intake drained' });
    await waitFor(async () => (await page()).status_summary.discovered === 1000, { timeoutMs: 30_000, message: 'read model' });
    const all = await page();
    expect(all.total_count).toBe(1000);
    expect(all.status_summary).toEqual({ discovered: 1000 });

    // One ConnectionDiscovered per resource reached the bus, though both replicas relay.
    const relayed = async () => (await (await nc.jetstreamManager()).streams.info(INTEGRATION_STREAMS.connections.name)).state.messages;
    await waitFor(async () => (await relayed()) >= 1000, { message: 'relayed' });
    expect(await relayed()).toBe(1000);
  });

  it('an ignored resource stays ignored when discovered again; a deleted one comes back as a new connection', async () => {
    const [ignored, removed] = (await page({ name: 'prom-7', order: 'name asc' })).connections.filter((c) => ['prom-7', 'prom-70'].includes(c.name));
    const send = (subject: string, payload: Record<string, unknown>) => api.send(subject, { caller: admin, ...payload }) as Promise<Reply<unknown>>;
    await send(SUBJECTS.registry.transition, { connection_id: ignored.id, status: 'ignored', cause: 'user' });
    await send(SUBJECTS.registry.deleteConnection, { connection_id: removed.id });
    await waitFor(async () => (await page()).total_count === 999);

    await publish([report(7), report(70)]);
    await waitFor(drained, { message: 'intake drained' });
    // `name` matches substrings (prom-700 too): pick the exact one.
    const again = await waitFor(async () => (await page({ name: 'prom-70' })).connections.find((c) => c.name === 'prom-70'));
    expect(again.id).not.toBe(removed.id);
    expect(again.status).toBe('discovered');
    const stillIgnored = (await page({ status: ['ignored'] })).connections;
    expect(stillIgnored.map((c) => c.id)).toEqual([ignored.id]);
    expect((await page()).total_count).toBe(1000);
  });

  it('refuses a report that can never become a connection, and carries on', async () => {
    const bad = { ...report(5000), data: { ...report(5000).data, kind: 'toaster' } };
    await publish([bad as ReturnType<typeof report>, report(5001)]);
    await waitFor(drained, { message: 'intake drained' });
    await waitFor(async () => (await page({ name: 'prom-5001' })).total_count === 1);
    expect((await page({ name: 'prom-5000' })).total_count).toBe(0);
    expect((await page()).total_count).toBe(1001);
  });
});
