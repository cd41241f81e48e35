import Redis from 'ioredis';
import { JSONCodec, headers, type NatsConnection } from 'nats';
import { environmentEventSubject, INTEGRATION_STREAMS, SUBJECTS, type Caller, type ConnectionPage, type ConnectionView, type Reply } from '@clp/contracts';
import { ensureStream, type Requester } from '@clp/messaging';
import { waitFor } from '@clp/testing';
import { result, startRegistryHarness, type RegistryHarness } from '../registry.fixtures';

const R = SUBJECTS.registry;
const admin: Caller = { organization_id: 'org-m', user_id: 'ada', role: 'admin' };
const codec = JSONCodec();

// The environment service's events, published on ENVIRONMENT_EVENTS as its relay does (the
// environment service itself is not needed to show what the registry makes of them).
describe("a connection's environments, from ENVIRONMENT_EVENTS (real NATS and Redis, two registry replicas)", () => {
  let h: RegistryHarness;
  let nc: NatsConnection;
  let api: Requester;
  let seq = 0;

  beforeAll(async () => {
    h = await startRegistryHarness({ replicas: 2 });
    ({ nc, api } = h);
    await ensureStream(await nc.jetstreamManager(), INTEGRATION_STREAMS.environments);
  });

  afterAll(async () => {
    await h?.stop();
  });

  const publish = async (type: string, data: Record<string, unknown>) => {
    const h2 = headers();
    h2.set('Nats-Msg-Id', `test-${++seq}`);
    await nc.jetstream().publish(environmentEventSubject(type), codec.encode({ type, data: { organization_id: admin.organization_id, ...data } }), { headers: h2 });
  };

  const register = async (name: string) =>
    result(
      (await api.send(R.registerConnection, {
        caller: admin,
        kind: 'github',
        name,
        metadata: { url: `https://github.com/acme/${name}` },
        skip_connectivity_test: true,
      })) as Reply<ConnectionView>,
    );

  const get = async (id: string) => result((await api.send(R.getConnection, { caller: admin, connection_id: id })) as Reply<ConnectionView>);
  const listed = async () => result((await api.send(R.listConnections, { caller: admin, pagesize: 100 })) as Reply<ConnectionPage>).connections;

  it('shows each assignment on the connection, follows renames, unassignments and deletions, and skips what is not an event', async () => {
    const [a, b] = [await register('a'), await register('b')];
    expect(a.environments).toEqual([]);
    await publish('EnvironmentCreated', { environment_id: 'env-1', name: 'production' });
    await publish('EnvironmentCreated', { environment_id: 'env-2', name: 'development' });
    await nc.jetstream().publish(environmentEventSubject('Garbage'), new TextEncoder().encode('not json {'));
    await publish('ConnectionAssigned', { environment_id: 'env-1', connection_id: a.id });
    await publish('ConnectionAssigned', { environment_id: 'env-2', connection_id: a.id });
    await publish('ConnectionAssigned', { environment_id: 'env-1', connection_id: b.id });
    await waitFor(async () => (await get(a.id)).environments.length === 2 && (await get(b.id)).environments.length === 1, { message: 'the assignments' });
    // Ordered by name; the list shows the same as the document.
    expect((await get(a.id)).environments).toEqual([
      { id: 'env-2', name: 'development' },
      { id: 'env-1', name: 'production' },
    ]);
    expect((await listed()).find((c) => c.id === a.id)?.environments).toEqual((await get(a.id)).environments);

    await publish('EnvironmentUpdated', { environment_id: 'env-1', changes: { name: 'prod' } });
    await waitFor(async () => (await get(b.id)).environments[0]?.name === 'prod', { message: 'the rename' });
    expect((await get(a.id)).environments).toEqual([
      { id: 'env-2', name: 'development' },
      { id: 'env-1', name: 'prod' },
    ]);

    await publish('ConnectionUnassigned', { environment_id: 'env-2', connection_id: a.id, reason: 'removed' });
    await publish('EnvironmentDeleted', { environment_id: 'env-1' });
    await waitFor(async () => (await get(a.id)).environments.length === 0 && (await get(b.id)).environments.length === 0, { message: 'the deletion' });

    // Both replicas applied every message; the checkpoint made the second application a no-op.
    await publish('ConnectionAssigned', { environment_id: 'env-2', connection_id: b.id });
    await waitFor(async () => (await get(b.id)).environments.length === 1, { message: 'a later assignment' });
    expect((await get(b.id)).environments).toEqual([{ id: 'env-2', name: 'development' }]);
  });

  it('skips a message it cannot apply or decode as a dead letter, and a deep one passes as the fields it reads', async () => {
    const [f, g] = [await register('f'), await register('g')];
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 1200; i++) deep = { a: deep };
    await publish('EnvironmentCreated', { environment_id: 'env-bad', name: { not: 'a name' } });
    await publish('EnvironmentCreated', { environment_id: 'env-lone', name: 'lone \uD800' });
    await publish('EnvironmentCreated', { environment_id: 'env-deep', name: 'deep', metadata: deep });
    await publish('ConnectionAssigned', { environment_id: 'env-deep', connection_id: f.id });
    await publish('ConnectionAssigned', { environment_id: 'env-2', connection_id: g.id });
    await waitFor(async () => (await get(f.id)).environments.length === 1 && (await get(g.id)).environments.length === 1, { message: 'the assignments after' });
    expect((await get(f.id)).environments).toEqual([{ id: 'env-deep', name: 'deep' }]);
    const redis = new Redis(h.redis.url);
    const letters = Object.values(await redis.hgetall('registry:environments:dead-letters')).map((raw) => JSON.parse(raw) as Record<string, unknown>);
    redis.disconnect();
    expect(letters).toEqual([
      expect.objectContaining({ type: 'EnvironmentCreated', error: 'name is not a string' }),
      expect.objectContaining({ type: 'EnvironmentCreated', error: expect.stringMatching(/invalid unicode escape/) }),
    ]);
    expect(await api.send(SUBJECTS.registry.readModelHealth, {})).toEqual({ result: { dead_letters: 2 } });
  });

  it('rebuilds them by itself from the stream when Redis lost them, idle or not', async () => {
    const [c, d, e] = [await register('c'), await register('d'), await register('e')];
    await publish('ConnectionAssigned', { environment_id: 'env-2', connection_id: c.id });
    await waitFor(async () => (await get(c.id)).environments.length === 1, { message: 'the assignment' });
    const redis = new Redis(h.redis.url);
    const wipe = async () => {
      const keys = await redis.keys('registry:environments:*');
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
    };

    // Idle readers notice on their own; nobody restarts anything.
    await wipe();
    expect((await get(c.id)).environments).toEqual([]);
    await waitFor(async () => (await get(c.id)).environments.length === 1, { timeoutMs: 30_000, message: 'the assignment rebuilt' });
    expect((await get(c.id)).environments).toEqual([{ id: 'env-2', name: 'development' }]);

    // A message arriving right after the loss is not applied on what is left: everything comes back.
    await wipe();
    await publish('ConnectionAssigned', { environment_id: 'env-2', connection_id: d.id });
    await waitFor(async () => (await get(c.id)).environments.length === 1 && (await get(d.id)).environments.length === 1, {
      timeoutMs: 30_000,
      message: 'the old and the new assignment',
    });
    expect((await get(e.id)).environments).toEqual([]);
    redis.disconnect();
  });
});
