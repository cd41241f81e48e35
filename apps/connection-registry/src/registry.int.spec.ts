import type { NatsConnection } from 'nats';
import {
  INTEGRATION_STREAMS,
  parseConnectionEvent,
  SUBJECTS,
  type Caller,
  type ConnectionPage,
  type ConnectionView,
  type Reply,
} from '@clp/contracts';
import type { Requester } from '@clp/messaging';
import { freePort, startPrometheus, waitFor, type TestServer } from '@clp/testing';
import { result, startRegistryHarness, type RegistryHarness } from './registry.fixtures';

const R = SUBJECTS.registry;
const operator: Caller = { organization_id: 'org-a', user_id: 'olivia', role: 'operator' };
const admin: Caller = { ...operator, user_id: 'ada', role: 'admin' };
const viewer: Caller = { ...operator, user_id: 'vic', role: 'viewer' };
const stranger: Caller = { organization_id: 'org-b', user_id: 'sam', role: 'admin' };


describe('connection registry over its NATS API (real NATS, Redis and Prometheus)', () => {
  let h: RegistryHarness;
  let prometheus: TestServer;
  let nc: NatsConnection;
  let api: Requester;

  beforeAll(async () => {
    [h, prometheus] = await Promise.all([startRegistryHarness({ connectivityTimeoutMs: 1000 }), startPrometheus()]);
    ({ nc, api } = h);
  });

  afterAll(async () => {
    await Promise.all([h?.stop(), prometheus?.stop()]);
  });

  const list = async (caller: Caller, query: Record<string, unknown> = {}) =>
    result((await api.send(R.listConnections, { caller, ...query })) as Reply<ConnectionPage>);

  const registerPrometheus = async (url = prometheus.url, name = 'prom') =>
    (await api.send(R.registerConnection, { caller: operator, kind: 'prometheus', name, metadata: { url } })) as Reply<ConnectionView>;

  it('registers a real prometheus after its connectivity test, and serves it from the read model', async () => {
    const registered = result(await registerPrometheus());
    expect(registered).toMatchObject({ kind: 'prometheus', type: 'observability', status: 'registered', organization_id: 'org-a' });
    const page = await waitFor(async () => {
      const p = await list(viewer, { status: ['registered'], kind: ['prometheus'], pagesize: 25 });
      return p.total_count === 1 ? p : undefined;
    });
    // The read model shows exactly what the command answered: the same fields, nothing internal.
    expect(page.connections[0]).toEqual(registered);
    expect(page.status_summary).toEqual({ registered: 1 });
    expect(result(await api.send(R.getConnection, { caller: viewer, connection_id: registered.id }))).toEqual(registered);
    // The same resource again is the same connection: a conflict, not a second one.
    expect(await registerPrometheus(`${prometheus.url}/`)).toMatchObject({ error: { code: 'conflict' } });
  });

  it('a manual registration whose connectivity test fails creates the connection in not found', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    expect(result(await registerPrometheus(closed, 'gone'))).toMatchObject({ status: 'not found', name: 'gone' });
  });

  it('moves through allowed transitions, refuses the others naming the allowed targets, and publishes each change', async () => {
    const { id: connection_id } = result(await registerPrometheus('http://127.0.0.1:9/never', 'walker'));
    const to = (status: string, caller: Caller = operator, extra: Record<string, unknown> = {}) =>
      api.send(R.transition, { caller, connection_id, status, cause: 'user', reason: 'test', ...extra });

    // not found -> registered needs a passing test: the port is closed.
    expect(await to('registered')).toMatchObject({ error: { code: 'connectivity_failed', details: { probe: { ok: false } } } });
    expect(result(await to('registered', admin, { skip_connectivity_test: true }))).toMatchObject({ status: 'registered' });
    expect(await to('registered', operator, { skip_connectivity_test: true })).toMatchObject({ error: { code: 'forbidden' } });
    expect(result(await to('maintenance'))).toMatchObject({ status: 'maintenance' });
    expect(result(await to('disconnected'))).toMatchObject({ status: 'disconnected' });
    expect(await to('ignored')).toMatchObject({
      error: { code: 'invalid_transition', details: { from: 'disconnected', to: 'ignored', allowed: ['connected', 'deleted'] } },
    });
    expect(await to('maintenance')).toMatchObject({ error: { code: 'invalid_transition' } });
    expect(await to('connected', viewer)).toMatchObject({ error: { code: 'forbidden' } });
    expect(await to('connected', stranger)).toMatchObject({ error: { code: 'not_found' } });

    const consumer = await nc.jetstream().consumers.get(INTEGRATION_STREAMS.connections.name, {
      filterSubjects: 'connection.events.prometheus.StatusChanged',
    });
    const changes = await consumer.consume();
    const seen: string[] = [];
    for await (const m of changes) {
      const event = parseConnectionEvent(m.data);
      if (event.type === 'StatusChanged' && event.data.connection_id === connection_id) seen.push(`${event.data.from}->${event.data.to}`);
      if (seen.length === 3) break;
    }
    void changes.close();
    expect(seen).toEqual(['not found->registered', 'registered->maintenance', 'maintenance->disconnected']);
  });

  it('refuses bad input with validation_failed naming the field', async () => {
    const bad = async (subject: string, payload: Record<string, unknown>) =>
      ((await api.send(subject, payload)) as unknown as { error: { code: string; details: { fields: Array<{ field: string }> } } }).error;
    const unknownStatus = await bad(R.transition, { caller: operator, connection_id: '5b0f3c4e-8d2a-4f51-9a7e-0c1d2e3f4a5b', status: 'bogus', cause: 'user' });
    expect(unknownStatus.code).toBe('validation_failed');
    expect(unknownStatus.details.fields.map((f) => f.field)).toEqual(['status']);
    expect((await bad(R.getConnection, { caller: operator, connection_id: 'not-a-uuid' })).details.fields.map((f) => f.field)).toEqual(['connection_id']);
    expect((await bad(R.registerConnection, { caller: operator, kind: 'toaster', name: 'x' })).details.fields.map((f) => f.field)).toEqual(['kind']);
    const form = await bad(R.registerConnection, { caller: operator, kind: 'prometheus', name: 'x', metadata: { url: 'not a url' } });
    expect(form.details.fields.map((f) => f.field)).toEqual(['metadata.url']);
    expect((await bad(R.listConnections, { caller: operator, pagesize: 101 })).details.fields.map((f) => f.field)).toEqual(['pagesize']);
    expect((await bad(R.listConnections, { caller: { organization_id: 'o' } })).details.fields.map((f) => f.field).sort()).toEqual([
      'caller.role',
      'caller.user_id',
    ]);
    expect((await bad(R.updateConnection, { caller: operator, connection_id: '5b0f3c4e-8d2a-4f51-9a7e-0c1d2e3f4a5b', colour: 'red' })).details.fields.map((f) => f.field)).toEqual(['colour']);
    // A field is given a value or left out: null is refused by name, except where it means "none".
    const nulls = await bad(R.updateConnection, { caller: operator, connection_id: '5b0f3c4e-8d2a-4f51-9a7e-0c1d2e3f4a5b', name: null, metadata: null });
    expect(nulls.details.fields.map((f) => f.field).sort()).toEqual(['metadata', 'name']);
    expect((await bad(R.listConnections, { caller: operator, search: null, status: null })).details.fields.map((f) => f.field).sort()).toEqual(['search', 'status']);
    expect((await bad(R.listConnections, { caller: operator, pagesize: null })).details.fields.map((f) => f.field)).toEqual(['pagesize']);
    const noCredential = await api.send(R.updateConnection, { caller: operator, connection_id: '5b0f3c4e-8d2a-4f51-9a7e-0c1d2e3f4a5b', credential_id: null });
    expect(noCredential).toMatchObject({ error: { code: 'not_found' } });
  });

  it('updates name and merges metadata', async () => {
    const { id: connection_id } = result(await registerPrometheus('http://127.0.0.1:9/updated', 'before'));
    const updated = result(
      (await api.send(R.updateConnection, { caller: operator, connection_id, name: 'after', metadata: { team: 'sre' } })) as Reply<ConnectionView>,
    );
    expect(updated).toMatchObject({ name: 'after', metadata: { url: 'http://127.0.0.1:9/updated', team: 'sre' } });
    await waitFor(async () => (await list(viewer, { name: 'AFT' })).connections.some((c) => c.id === connection_id && c.metadata.team === 'sre'));
  });

  it('deleting removes a connection from every query; its history stays readable by id', async () => {
    const { id: connection_id } = result(await registerPrometheus('http://127.0.0.1:9/doomed', 'doomed'));
    await waitFor(async () => (await list(viewer, { search: 'doomed' })).total_count === 1);
    expect(await api.send(R.deleteConnection, { caller: operator, connection_id })).toMatchObject({ error: { code: 'forbidden' } });
    expect(result(await api.send(R.deleteConnection, { caller: admin, connection_id }))).toEqual({ id: connection_id });

    await waitFor(async () => (await list(viewer, { search: 'doomed' })).total_count === 0);
    expect(await api.send(R.getConnection, { caller: viewer, connection_id })).toMatchObject({ error: { code: 'not_found' } });
    const all = await list(viewer, { pagesize: 100 });
    expect(all.connections.map((c) => c.id)).not.toContain(connection_id);
    expect(await api.send(R.transition, { caller: admin, connection_id, status: 'registered', cause: 'user' })).toMatchObject({
      error: { code: 'not_found' },
    });
    expect(await api.send(R.deleteConnection, { caller: admin, connection_id })).toMatchObject({ error: { code: 'not_found' } });

    const history = result((await api.send(R.connectionHistory, { caller: viewer, connection_id })) as Reply<{ events: Array<{ type: string; data: { to?: string } }> }>);
    expect(history.events.map((e) => e.type)).toEqual(['ConnectionRegistered', 'StatusChanged', 'ConnectionDeleted']);
    expect(history.events[1].data.to).toBe('deleted');
    expect(await api.send(R.connectionHistory, { caller: stranger, connection_id })).toMatchObject({ error: { code: 'not_found' } });

    // The same resource can be registered again, as a new connection.
    const again = result(await registerPrometheus('http://127.0.0.1:9/doomed', 'reborn'));
    expect(again.id).not.toBe(connection_id);
  });

  it('tests connectivity ad hoc, for a stored connection or a form, changing nothing', async () => {
    const probe = result(await api.send(R.testConnection, { caller: operator, kind: 'prometheus', metadata: { url: prometheus.url } }));
    expect(probe).toMatchObject({ ok: true, details: { version: expect.any(String) } });
    const closed = `http://127.0.0.1:${await freePort()}`;
    expect(result(await api.send(R.testConnection, { caller: operator, kind: 'prometheus', metadata: { url: closed } }))).toMatchObject({ ok: false });
    const { id: connection_id } = result(await registerPrometheus(closed, 'probe-me'));
    expect(result(await api.send(R.testConnection, { caller: operator, connection_id }))).toMatchObject({ ok: false });
    expect(await api.send(R.testConnection, { caller: stranger, connection_id })).toMatchObject({ error: { code: 'not_found' } });
    expect(await api.send(R.testConnection, { caller: operator })).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('keeps organizations apart', async () => {
    const theirs = await list(stranger);
    expect(theirs.total_count).toBe(0);
    expect(theirs.status_summary).toEqual({});
  });
});
