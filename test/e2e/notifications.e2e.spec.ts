import { randomUUID } from 'node:crypto';
import type { NatsConnection } from 'nats';
import type { Caller } from '@clp/contracts';
import { connectNats } from '@clp/messaging';
import { waitFor } from '@clp/testing';
import { publishConnectionEvents, statusChangedEvent } from '../../apps/notification/src/notification.fixtures';
import { openSse, type SseClient } from './sse.fixtures';
import { startSystem, type RunningSystem } from './system.fixtures';

const CONNECTIONS = '/api/integrations/connections';
const EVENTS = '/api/system/events';

describe('the notification center over HTTP: list, mark, delete, and live delivery by server-sent events', () => {
  let system: RunningSystem;
  let nc: NatsConnection;
  const clients: SseClient[] = [];

  const caller = (org: string, role: Caller['role'] = 'admin') => ({ organization_id: org, role });
  const subscribe = async (org: string, lastEventId?: string) => {
    const client = await openSse(`${system.url}${EVENTS}/subscribe`, system.token(caller(org, 'viewer')), lastEventId);
    clients.push(client);
    return client;
  };
  const kubernetes = async (org: string, name: string): Promise<string> => {
    const { status, body } = await system.http('POST', CONNECTIONS, {
      as: caller(org),
      body: { kind: 'kubernetes', name, skip_connectivity_test: true, metadata: { server: `https://${name}.example:6443` } },
    });
    expect(status).toBe(201);
    return body.id;
  };
  const transition = async (org: string, id: string, to: string) => {
    const { status, body } = await system.http('PUT', `${CONNECTIONS}/${id}`, { as: caller(org), body: { status: to, skip_connectivity_test: true } });
    expect({ status, body }).toMatchObject({ status: 200, body: { status: to } });
  };
  const list = async (org: string, query = '') => (await system.http('GET', `${EVENTS}?pagesize=100${query}`, { as: caller(org, 'viewer') })).body;
  const notifications = (client: SseClient) => client.events.map((e) => ({ seq: Number(e.id), ...JSON.parse(e.data) }));

  beforeAll(async () => {
    system = await startSystem({ gatewayEnv: { SSE_KEEPALIVE_MS: '200' }, validateResponses: true });
    nc = await connectNats({ servers: system.nats.url, name: 'notifications-e2e' });
  }, 120_000);

  afterEach(() => {
    clients.splice(0).forEach((client) => client.close());
  });

  afterAll(async () => {
    await nc?.close();
    await system?.stop();
  });

  it('delivers the one notification of a transition to its organization\'s subscriber and to no other organization\'s', async () => {
    const [mine, theirs] = await Promise.all([subscribe('org-live'), subscribe('org-elsewhere')]);
    expect(mine.status).toBe(200);
    const id = await kubernetes('org-live', 'live-cluster');
    await transition('org-live', id, 'connected');

    await waitFor(() => notifications(mine).some((n) => n.action === 'status_changed'), { message: 'the live notification' });
    const changes = notifications(mine).filter((n) => n.acted_upon === id && n.action === 'status_changed');
    expect(changes).toHaveLength(1);
    // The live payload is the notification as the list answers it: its identifier is `id`.
    expect(changes[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(changes[0]).not.toHaveProperty('notification_id');
    expect(changes[0]).toMatchObject({
      organization_id: 'org-live',
      category: 'connection',
      severity: 'success',
      status: 'unread',
      metadata: { from: 'registered', to: 'connected', cause: 'user', kind: 'kubernetes', name: 'live-cluster', event_type: 'StatusChanged' },
    });
    // Keep-alives reach both; the other organization's subscriber got no notification.
    await waitFor(() => theirs.comments.includes('keep-alive') && mine.comments.includes('keep-alive'), { message: 'keep-alive comments' });
    expect(theirs.events).toEqual([]);

    const page = await list('org-live', `&acted_upon=${id}&action=status_changed`);
    expect(page).toMatchObject({ total_count: 1, events: [{ id: changes[0].id, severity: 'success' }] });
    expect((await list('org-elsewhere')).total_count).toBe(0);
  });

  it("takes the live stream's token as access_token, as a browser's EventSource must send it, and no other route's", async () => {
    const org = 'org-browser';
    const token = system.token(caller(org, 'viewer'));
    const stream = `${system.url}${EVENTS}/subscribe`;
    const browser = await openSse(stream, token, undefined, { tokenIn: 'query' });
    clients.push(browser);
    expect(browser.status).toBe(200);
    const id = await kubernetes(org, 'browser-cluster');
    await transition(org, id, 'connected');
    await waitFor(() => notifications(browser).some((n) => n.acted_upon === id && n.action === 'status_changed'), { message: 'the live notification' });
    expect(notifications(browser).every((n) => n.organization_id === org)).toBe(true);

    const forged = await openSse(stream, `${token}x`, undefined, { tokenIn: 'query' });
    expect({ status: forged.status, body: JSON.parse(forged.body ?? '{}') }).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect((await fetch(`${system.url}${EVENTS}?access_token=${encodeURIComponent(token)}`)).status).toBe(401);
  });

  it('marks and deletes one or in bulk, only the caller organization\'s, and refuses what is not allowed', async () => {
    const a = await kubernetes('org-marks', 'marks-a');
    await transition('org-marks', a, 'connected');
    await transition('org-marks', a, 'maintenance');
    await waitFor(async () => (await list('org-marks')).total_count === 3, { message: 'three notifications' });
    const other = await kubernetes('org-marks-other', 'marks-b');
    await waitFor(async () => (await list('org-marks-other')).total_count === 1);
    const [foreign] = (await list('org-marks-other')).events;
    const ids: string[] = (await list('org-marks')).events.map((e: { id: string }) => e.id);
    expect(other).toBeTruthy();

    const viewer = caller('org-marks', 'viewer');
    expect(await system.http('PUT', `${EVENTS}/status/${ids[0]}`, { as: viewer, body: { status: 'read' } })).toMatchObject({ status: 200, body: { id: ids[0], status: 'read' } });
    expect((await system.http('PUT', `${EVENTS}/status/${foreign.id}`, { as: viewer, body: { status: 'read' } })).status).toBe(404);
    expect(await system.http('PUT', `${EVENTS}/status/bulk`, { as: viewer, body: { ids: [...ids, foreign.id], status: 'read' } })).toMatchObject({ status: 200, body: { updated: 3 } });
    expect((await list('org-marks', '&status=unread')).total_count).toBe(0);
    expect((await list('org-marks')).count_by_severity_level).toEqual([]);
    expect((await list('org-marks-other', '&status=unread')).total_count).toBe(1);

    expect((await system.http('DELETE', `${EVENTS}/${ids[0]}`, { as: viewer })).status).toBe(403);
    expect(await system.http('DELETE', `${EVENTS}/${ids[0]}`, { as: caller('org-marks') })).toMatchObject({ status: 200, body: { id: ids[0] } });
    expect((await system.http('DELETE', `${EVENTS}/${ids[0]}`, { as: caller('org-marks') })).status).toBe(404);
    expect(await system.http('DELETE', `${EVENTS}/bulk`, { as: caller('org-marks'), body: { ids: [ids[1], foreign.id] } })).toMatchObject({ status: 200, body: { deleted: 1 } });
    expect((await list('org-marks')).events.map((e: { id: string }) => e.id)).toEqual([ids[2]]);
    expect((await list('org-marks-other')).total_count).toBe(1);

    expect((await system.http('GET', `${EVENTS}?severity=loud`, { as: viewer })).status).toBe(400);
    expect((await system.http('PUT', `${EVENTS}/status/bulk`, { as: viewer, body: { ids: ['nope'], status: 'read' } })).status).toBe(400);
    expect((await system.http('GET', `${EVENTS}/subscribe`, { as: viewer, headers: { 'last-event-id': 'abc' } })).status).toBe(400);
    expect((await system.http('GET', EVENTS)).status).toBe(401);
  });

  it("answers Meshery's notification center queries: JSON-array filters, sort and order, page_size, the event types; bad ones are a 400 naming the field", async () => {
    const org = 'org-meshery-ui';
    const viewer = caller(org, 'viewer');
    const get = (query: string) => system.http('GET', `${EVENTS}${query}`, { as: viewer });
    const a = await kubernetes(org, 'ui-a');
    await transition(org, a, 'connected');
    await transition(org, a, 'maintenance');
    const b = await kubernetes(org, 'ui-b');
    await waitFor(async () => (await list(org)).total_count === 4, { message: 'two registrations and two status changes' });
    await kubernetes('org-meshery-ui-other', 'ui-c');

    type Event = { id: string; acted_upon: string; action: string; severity: string; created_at: string };
    const events = async (query: string): Promise<Event[]> => {
      const reply = await get(query);
      expect({ query, status: reply.status, error: reply.body?.error }).toEqual({ query, status: 200, error: undefined });
      return reply.body.events;
    };
    const count = async (query: string) => (await events(`?pagesize=100&${query}`)).length;
    expect(await count('category=["connection"]&action=["status_changed"]')).toBe(2);
    expect(await count('action=["registered","status_changed"]')).toBe(4);
    expect(await count('severity=["informational"]')).toBe(1);
    expect(await count('severity=informational&severity=success')).toBe(4);
    expect(await count(`acted_upon=["${a}","${b}"]`)).toBe(4);
    expect(await count(`actedUpon=["${b}"]`)).toBe(1);
    expect(await count(`acted_upon=${a}&acted_upon=${b}`)).toBe(4);
    expect(await count(`actedUpon=${a}&status=unread&search=maintenance`)).toBe(1);

    // Meshery's array of unread counts, the severities the organization has.
    expect((await get('')).body.count_by_severity_level).toEqual([
      { severity: 'informational', count: 1 },
      { severity: 'success', count: 3 },
    ]);

    const times = (page: Event[]) => page.map((e) => Date.parse(e.created_at));
    const ascending = await events('?sort=created_at&order=asc');
    expect(ascending).toHaveLength(4);
    expect(times(ascending)).toEqual([...times(ascending)].sort((x, y) => x - y));
    expect(ascending[0]).toMatchObject({ acted_upon: a, action: 'registered' });
    const descending = await events('?sort=created_at&order=desc');
    expect(times(descending)).toEqual([...times(ascending)].reverse());
    const firstPage = await get('?page_size=2&sort=created_at&order=asc');
    expect(firstPage.body).toMatchObject({ page: 0, page_size: 2, total_count: 4 });
    expect(firstPage.body.events.map((e: Event) => e.id)).toEqual(ascending.slice(0, 2).map((e) => e.id));
    expect((await get('?page_size=2&pagesize=2&page=1')).body).toMatchObject({ page: 1, page_size: 2, total_count: 4 });

    // The distinct categories and actions, of this organization only.
    expect(await system.http('GET', `${EVENTS}/types`, { as: viewer })).toMatchObject({ status: 200, body: { category: ['connection'], action: ['registered', 'status_changed'] } });
    expect((await system.http('GET', `${EVENTS}/types`, { as: caller('org-meshery-ui-other', 'viewer') })).body).toEqual({ category: ['connection'], action: ['registered'] });
    expect((await system.http('GET', `${EVENTS}/types`)).status).toBe(401);

    for (const [query, field] of [
      ['?sort=severity', 'sort'],
      ['?order=up', 'order'],
      ['?category=["connection"', 'category'],
      ['?severity=["error",', 'severity'],
      ['?acted_upon=[1]', 'acted_upon'],
      ['?page_size=2&pagesize=3', 'pagesize'],
      [`?actedUpon=["${a}"]&acted_upon=["${b}"]`, 'acted_upon'],
    ]) {
      const reply = await get(query);
      const fields = reply.body?.error?.details?.fields?.map((f: { field: string }) => f.field);
      expect({ query, status: reply.status, code: reply.body?.error?.code, fields }).toEqual({ query, status: 400, code: 'validation_failed', fields: [field] });
    }
  });

  it('gives a client that reconnects with Last-Event-ID the 100 changes it missed, in order, once, then live ones', async () => {
    const org = 'org-resume';
    const id = await kubernetes(org, 'resume-cluster');
    const first = await subscribe(org);
    await transition(org, id, 'connected');
    // The registration's notification may come live too (on a busy machine it is stored after the
    // subscription opened): the last one seen is the change to connected.
    await waitFor(() => notifications(first).some((n) => n.metadata?.to === 'connected'), { message: 'the change to connected, live' });
    const lastSeen = first.events[first.events.length - 1].id;
    first.close();

    for (let i = 0; i < 100; i++) await transition(org, id, i % 2 === 0 ? 'maintenance' : 'connected');
    await waitFor(async () => (await list(org, '&action=status_changed')).total_count === 101, { timeoutMs: 30_000, message: '101 status changes stored' });

    const again = await subscribe(org, lastSeen);
    await again.waitForEvents(100);
    await transition(org, id, 'maintenance');
    await again.waitForEvents(101);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const got = notifications(again);
    // Seq and target together first: a failure shows which one is extra or missing.
    expect(got.map((n) => `${n.seq} ${n.metadata.to} ${n.metadata.event_id}`)).toEqual(
      Array.from({ length: 101 }, (_, i) => `${Number(lastSeen) + 1 + i} ${i % 2 === 0 ? 'maintenance' : 'connected'} ${got[i]?.metadata.event_id}`),
    );
    expect(got).toHaveLength(101);
    expect(got.map((n) => n.seq)).toEqual(Array.from({ length: 101 }, (_, i) => Number(lastSeen) + 1 + i));
    expect(got.slice(0, 100).map((n) => n.metadata.to)).toEqual(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 'maintenance' : 'connected')));
    expect(new Set(got.map((n) => n.id)).size).toBe(101);
  }, 90_000);

  it('makes exactly one notification of every change when the notification service is killed and restarted meanwhile', async () => {
    const org = 'org-crash';
    const id = await kubernetes(org, 'crash-cluster');
    const changes = (async () => {
      for (let i = 0; i < 60; i++) await transition(org, id, i % 2 === 0 ? 'connected' : 'maintenance');
    })();
    const beforeCrash = await waitFor(async () => {
      const n = (await list(org)).total_count as number;
      return n >= 10 && n;
    }, { message: 'some notifications before the crash' });
    await system.notification.kill();
    expect(beforeCrash).toBeLessThan(61);
    await changes;
    await system.startNotification();

    type Entry = { type: string; data: { to?: string; status?: string } };
    const history = (await system.http('GET', `${CONNECTIONS}/${id}/history`, { as: caller(org, 'viewer') })).body.events as Entry[];
    const expected = history.filter((e) => e.type === 'StatusChanged' || e.type === 'ConnectionRegistered').map((e) => `${e.type}:${e.data.to ?? e.data.status}`);
    expect(expected).toHaveLength(61);
    await waitFor(async () => (await list(org)).total_count >= 61, { timeoutMs: 30_000, message: 'every change notified' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const got: Array<{ id: string; metadata: { event_type: string; to: string } }> = [];
    for (let page = 0; ; page++) {
      const body = await list(org, `&page=${page}`);
      got.push(...body.events);
      if (body.events.length < 100) break;
    }
    // Exactly one each: as many as the changes, no id twice, the same changes (a crash may reorder them).
    expect(got).toHaveLength(61);
    expect(new Set(got.map((n) => n.id)).size).toBe(61);
    expect(got.map((n) => `${n.metadata.event_type}:${n.metadata.to}`).sort()).toEqual([...expected].sort());
  }, 120_000);

  it('delivers a burst of 1,000 changes to each of 200 subscribers', async () => {
    const org = 'org-burst';
    const subscribers = await Promise.all(Array.from({ length: 200 }, () => subscribe(org)));
    expect(subscribers.every((s) => s.status === 200)).toBe(true);
    // 1,000 StatusChanged events straight onto CONNECTION_EVENTS, as the registry's relay would
    // publish them: the notification service consumes the stream, and going through the
    // registry's API would make this a test of the registry's speed.
    const connectionId = randomUUID();
    const events = Array.from({ length: 1000 }, (_, i) =>
      statusChangedEvent(org, connectionId, i % 2 ? 'disconnected' : 'connected', i % 2 ? 'connected' : 'disconnected', { revision: i + 1 }),
    );
    await publishConnectionEvents(nc, events);
    await waitFor(() => subscribers.every((s) => s.events.length >= 1000), {
      timeoutMs: 90_000,
      intervalMs: 200,
      message: `every subscriber has 1000 (fewest: ${Math.min(...subscribers.map((s) => s.events.length))})`,
    });
    const expectedIds = new Set(events.map((e) => e.metadata.event_id));
    for (const subscriber of subscribers) {
      expect(subscriber.events).toHaveLength(1000);
      const seqs = subscriber.events.map((e) => Number(e.id));
      expect(seqs).toEqual(Array.from({ length: 1000 }, (_, i) => seqs[0] + i));
      expect(subscriber.ended).toBe(false);
    }
    for (const subscriber of subscribers.slice(0, 5)) expect(new Set(subscriber.events.map((e) => JSON.parse(e.data).id))).toEqual(expectedIds);
  }, 150_000);

  it('answered every request above as the OpenAPI document says (the validating proxy saw no response violation)', () => {
    expect(system.bodies.length).toBeGreaterThan(10);
    expect(system.responseViolations).toEqual([]);
  });
});
