import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import Redis from 'ioredis';
import { connect, type NatsConnection } from 'nats';
import { notificationLiveSubject, SUBJECTS, type Caller, type FeedEntry, type Reply } from '@clp/contracts';
import { Requester } from '@clp/messaging';
import { startNats, startRedis, waitFor, type TestServer } from '@clp/testing';
import type { NotificationConfig } from './config';
import { createNotificationService, listenUntilAnswering } from './notification-service';
import { publishConnectionEvents, statusChangedEvent } from './notification.fixtures';
import { NotificationStore } from './store/notification-store';

const N = SUBJECTS.notification;
const result = <T>(reply: Reply<T>): T => {
  if ('error' in reply) throw new Error(`unexpected error reply: ${JSON.stringify(reply.error)}`);
  return reply.result;
};

describe('the notification service (real NATS and Redis)', () => {
  let nats: TestServer;
  let redis: TestServer;
  let app: INestMicroservice;
  let nc: NatsConnection;
  let api: Requester;
  let config: NotificationConfig;

  const viewer = (org: string): Caller => ({ organization_id: org, user_id: 'vic', role: 'viewer' });
  const admin = (org: string): Caller => ({ organization_id: org, user_id: 'ada', role: 'admin' });
  const list = async (caller: Caller, query: Record<string, unknown> = {}) => result(await api.request(N.listEvents, { caller, pagesize: 100, ...query }));

  const start = async () => {
    app = await createNotificationService(config, false);
    await listenUntilAnswering(app);
  };

  beforeAll(async () => {
    [nats, redis] = await Promise.all([startNats(), startRedis()]);
    config = { natsUrl: nats.url, redisUrl: redis.url, instanceName: 'notification-test', keyPrefix: 'notification:', retentionMs: 60 * 60 * 1000, trimIntervalMs: 60_000 };
    await start();
    nc = await connect({ servers: nats.url });
    api = new Requester(nc, { timeoutMs: 5000 });
  });

  afterAll(async () => {
    await nc?.close();
    await app?.close();
    await Promise.all([nats?.stop(), redis?.stop()]);
  });

  it('makes one notification per status change, however often the event arrives, and publishes it live', async () => {
    const org = 'org-once';
    const live: FeedEntry[] = [];
    nc.subscribe(notificationLiveSubject(org), { callback: (_e, m) => live.push(JSON.parse(new TextDecoder().decode(m.data)) as FeedEntry) });
    const connectionId = randomUUID();
    const event = statusChangedEvent(org, connectionId, 'connected', 'disconnected');
    // The same event three times on the stream, as redelivery and a re-publish past the duplicate window would do.
    await publishConnectionEvents(nc, [event, event, event], () => randomUUID());
    await waitFor(async () => (await list(viewer(org))).total_count === 1, { message: 'the notification' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const page = await list(viewer(org));
    expect(page).toMatchObject({ total_count: 1, page: 0, page_size: 100, count_by_severity_level: [{ severity: 'error', count: 1 }] });
    expect(page.events[0]).toMatchObject({
      id: event.metadata.event_id,
      organization_id: org,
      category: 'connection',
      action: 'status_changed',
      severity: 'error',
      acted_upon: connectionId,
      status: 'unread',
      metadata: { from: 'connected', to: 'disconnected', cause: 'system' },
    });
    expect(live.length).toBeGreaterThanOrEqual(1);
    expect(new Set(live.map((e) => e.seq))).toEqual(new Set([1]));
  });

  it('filters, pages, marks and deletes within the organization only', async () => {
    const org = 'org-filters';
    const other = 'org-other';
    const connectionId = randomUUID();
    const events = [
      statusChangedEvent(org, connectionId, 'registered', 'connected'),
      statusChangedEvent(org, connectionId, 'connected', 'disconnected'),
      statusChangedEvent(org, connectionId, 'disconnected', 'maintenance', { cause: 'user' }),
      statusChangedEvent(org, randomUUID(), 'connected', 'deleted', { cause: 'user' }),
    ];
    const foreign = statusChangedEvent(other, randomUUID(), 'connected', 'disconnected');
    await publishConnectionEvents(nc, [...events, foreign]);
    await waitFor(async () => (await list(viewer(org))).total_count === 4 && (await list(viewer(other))).total_count === 1);

    const all = await list(viewer(org));
    expect(all.events.map((e) => e.id)).toEqual(events.map((e) => e.metadata.event_id).reverse());
    // Meshery's array, in the order of SEVERITIES.
    expect(all.count_by_severity_level).toEqual([
      { severity: 'error', count: 1 },
      { severity: 'informational', count: 2 },
      { severity: 'success', count: 1 },
    ]);
    expect((await list(viewer(org), { severity: ['error', 'success'] })).events.map((e) => e.severity).sort()).toEqual(['error', 'success']);
    expect((await list(viewer(org), { action: ['deleted'] })).total_count).toBe(1);
    expect((await list(viewer(org), { acted_upon: [connectionId] })).total_count).toBe(3);
    expect((await list(viewer(org), { acted_upon: [connectionId, events[3].data.connection_id] })).total_count).toBe(4);
    expect((await list(viewer(org), { search: 'TO MAINTENANCE' })).total_count).toBe(1);
    expect((await list(viewer(org), { search: 'to', action: ['deleted'] })).events.map((e) => e.id)).toEqual([events[3].metadata.event_id]);
    expect((await list(viewer(org), { severity: ['informational', 'error'], acted_upon: [connectionId], status: 'unread' })).events.map((e) => e.id)).toEqual(
      [events[2], events[1]].map((e) => e.metadata.event_id),
    );
    expect((await list(viewer(org), { category: ['environment'] })).total_count).toBe(0);
    expect(await list(viewer(org), { page: 1, pagesize: 3 })).toMatchObject({ total_count: 4, page: 1, page_size: 3, events: [{ id: events[0].metadata.event_id }] });

    const [first, second] = events.map((e) => e.metadata.event_id);
    const foreignId = foreign.metadata.event_id;
    expect(result(await api.request(N.markEvents, { caller: viewer(org), ids: [first, second, foreignId], status: 'read' }))).toEqual({ updated: 2 });
    expect((await list(viewer(org), { status: 'unread' })).total_count).toBe(2);
    expect((await list(viewer(org), { status: 'read', acted_upon: [connectionId] })).events.map((e) => e.id)).toEqual([second, first]);
    expect((await list(viewer(org))).count_by_severity_level).toEqual([{ severity: 'informational', count: 2 }]);
    expect((await list(viewer(other), { status: 'unread' })).total_count).toBe(1);
    expect(result(await api.request(N.markEvents, { caller: viewer(org), ids: [first], status: 'unread' }))).toEqual({ updated: 1 });
    expect((await list(viewer(org))).count_by_severity_level).toEqual([
      { severity: 'informational', count: 2 },
      { severity: 'success', count: 1 },
    ]);

    expect(await api.request(N.deleteEvents, { caller: viewer(org), ids: [first] })).toMatchObject({ error: { code: 'forbidden' } });
    expect(result(await api.request(N.deleteEvents, { caller: admin(org), ids: [first, foreignId] }))).toEqual({ deleted: 1 });
    expect((await list(viewer(org))).total_count).toBe(3);
    expect((await list(viewer(other))).total_count).toBe(1);
    expect(await api.request(N.listEvents, { caller: viewer(org), severity: ['loud'] as never })).toMatchObject({ error: { code: 'validation_failed' } });

    // A deleted notification stays deleted when its event is delivered again.
    await publishConnectionEvents(nc, [events[0]], () => randomUUID());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await list(viewer(org))).total_count).toBe(3);
  });

  it('orders by created_at from its index, either way, with and without filters, and by the feed without sort', async () => {
    const org = 'org-sort';
    const connectionId = randomUUID();
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    const at = (event: ReturnType<typeof statusChangedEvent>, m: number) => ({ ...event, metadata: { ...event.metadata, occurred_at: minutesAgo(m) } });
    // Stored a, b, c (seq 1, 2, 3); happened b, c, a.
    const [a, b, c] = [at(statusChangedEvent(org, connectionId, 'registered', 'connected'), 10), at(statusChangedEvent(org, connectionId, 'connected', 'disconnected'), 30), at(statusChangedEvent(org, randomUUID(), 'disconnected', 'connected'), 20)];
    for (const [i, event] of [a, b, c].entries()) {
      await publishConnectionEvents(nc, [event]);
      await waitFor(async () => (await list(viewer(org))).total_count === i + 1);
    }
    const ids = async (query: Record<string, unknown>) => (await list(viewer(org), query)).events.map((e) => e.id);
    const [ia, ib, ic] = [a, b, c].map((e) => e.metadata.event_id);
    expect(await ids({})).toEqual([ic, ib, ia]);
    expect(await ids({ order: 'asc' })).toEqual([ia, ib, ic]);
    expect(await ids({ sort: 'created_at' })).toEqual([ia, ic, ib]);
    expect(await ids({ sort: 'created_at', order: 'desc' })).toEqual([ia, ic, ib]);
    expect(await ids({ sort: 'created_at', order: 'asc' })).toEqual([ib, ic, ia]);
    expect(await ids({ sort: 'created_at', order: 'asc', page: 1, pagesize: 2 })).toEqual([ia]);
    expect(await ids({ sort: 'created_at', order: 'asc', severity: ['success'] })).toEqual([ic, ia]);
    expect(await ids({ sort: 'created_at', order: 'desc', acted_upon: [connectionId], pagesize: 1 })).toEqual([ia]);
    for (const bad of [{ sort: 'severity' }, { order: 'up' }, { acted_upon: 'not-a-list' }]) {
      expect(await api.request(N.listEvents, { caller: viewer(org), ...(bad as object) })).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });

  it("keeps the organization's distinct categories and actions as notifications come and go", async () => {
    const org = 'org-types';
    const connectionId = randomUUID();
    const [changed, deleted] = [statusChangedEvent(org, connectionId, 'registered', 'connected'), statusChangedEvent(org, connectionId, 'connected', 'deleted', { cause: 'user' })];
    const again = statusChangedEvent(org, connectionId, 'connected', 'disconnected');
    await publishConnectionEvents(nc, [changed, deleted, again, statusChangedEvent('org-types-other', randomUUID(), 'connected', 'maintenance')]);
    await waitFor(async () => (await list(viewer(org))).total_count === 3 && (await list(viewer('org-types-other'))).total_count === 1);
    const types = async () => result(await api.request(N.eventTypes, { caller: viewer(org) }));
    expect(await types()).toEqual({ category: ['connection'], action: ['deleted', 'status_changed'] });

    // One stored before the types were counted (no 'indexed' field): removing it uncounts nothing.
    const old = randomUUID();
    const r = new Redis(redis.url);
    try {
      await r.hset(`notification:n:${old}`, { org, seq: 0, severity: 'error', category: 'connection', action: 'status_changed', status: 'read', doc: '{}' });
      await r.zadd(`notification:org:${org}:all`, 0, old);
    } finally {
      r.disconnect();
    }
    expect(result(await api.request(N.deleteEvents, { caller: admin(org), ids: [old] }))).toEqual({ deleted: 1 });
    expect(await types()).toEqual({ category: ['connection'], action: ['deleted', 'status_changed'] });

    // Deleting the only "deleted" one removes that action; one of two "status_changed" keeps it.
    expect(result(await api.request(N.deleteEvents, { caller: admin(org), ids: [deleted.metadata.event_id, changed.metadata.event_id] }))).toEqual({ deleted: 2 });
    expect(await types()).toEqual({ category: ['connection'], action: ['status_changed'] });
    expect(result(await api.request(N.deleteEvents, { caller: admin(org), ids: [again.metadata.event_id] }))).toEqual({ deleted: 1 });
    expect(await types()).toEqual({ category: [], action: [] });
    expect(result(await api.request(N.eventTypes, { caller: viewer('org-types-other') }))).toEqual({ category: ['connection'], action: ['status_changed'] });
  });

  it('answers the feed after a seq, oldest first, with the head', async () => {
    const org = 'org-feed';
    const connectionId = randomUUID();
    const events = Array.from({ length: 5 }, (_, i) => statusChangedEvent(org, connectionId, i % 2 ? 'connected' : 'disconnected', i % 2 ? 'disconnected' : 'connected', { revision: i + 1 }));
    for (const event of events) await publishConnectionEvents(nc, [event]);
    await waitFor(async () => (await list(viewer(org))).total_count === 5);
    const feed = result(await api.request(N.eventsSince, { caller: viewer(org), after: 2, limit: 2 }));
    expect(feed.head).toBe(5);
    expect(feed.events.map((e) => [e.seq, e.notification.id])).toEqual([
      [3, events[2].metadata.event_id],
      [4, events[3].metadata.event_id],
    ]);
  });

  it('puts notifications stored before the filter indexes existed into them, once', async () => {
    const store = app.get(NotificationStore);
    const org = 'org-backfill';
    const old = randomUUID();
    const doc = { id: old, organization_id: org, category: 'connection', action: 'discovered', severity: 'informational', description: 'old', acted_upon: 'c-old', metadata: {}, created_at: new Date().toISOString() };
    const r = new Redis(redis.url);
    try {
      // As the store script wrote it before: no 'indexed' field, no by:* sets, no type counts.
      await r.hset(`notification:n:${old}`, { org, seq: 1, severity: 'informational', category: 'connection', action: 'discovered', acted_upon: 'c-old', status: 'unread', created: Date.now(), text: 'old', doc: JSON.stringify(doc) });
      await r.zadd(`notification:org:${org}:all`, 1, old);
      await r.incr(`notification:org:${org}:seq`);
      await r.sadd('notification:orgs', org);
      expect((await list(viewer(org), { acted_upon: ['c-old'] })).total_count).toBe(0);

      // Done once already (this Redis's first pass marked it): nothing is looked at again.
      await r.set('notification:indexed:v1', '1');
      await store.backfill();
      expect((await list(viewer(org), { acted_upon: ['c-old'] })).total_count).toBe(0);
      await r.del('notification:indexed:v1');
      await store.backfill();
      await store.backfill();
      expect((await list(viewer(org), { acted_upon: ['c-old'], action: ['discovered'], status: 'unread' })).events.map((e) => e.id)).toEqual([old]);
      expect(result(await api.request(N.eventTypes, { caller: viewer(org) }))).toEqual({ category: ['connection'], action: ['discovered'] });
      expect(await r.hget(`notification:org:${org}:actions`, 'discovered')).toBe('1');
    } finally {
      r.disconnect();
    }
    expect(result(await api.request(N.deleteEvents, { caller: admin(org), ids: [old] }))).toEqual({ deleted: 1 });
    expect(result(await api.request(N.eventTypes, { caller: viewer(org) }))).toEqual({ category: [], action: [] });
  });

  it('drops notifications past the retention, indexes and counts with them', async () => {
    const store = app.get(NotificationStore);
    const org = 'org-retention';
    await publishConnectionEvents(nc, [statusChangedEvent(org, randomUUID(), 'connected', 'disconnected')]);
    await waitFor(async () => (await list(viewer(org))).total_count === 1);
    await store.trim(Date.now() + config.retentionMs + 1000);
    expect(await list(viewer(org))).toMatchObject({ total_count: 0, count_by_severity_level: [], events: [] });
    expect(result(await api.request(N.eventTypes, { caller: viewer(org) }))).toEqual({ category: [], action: [] });
    const r = new Redis(redis.url);
    try {
      expect(await r.zcard(`notification:org:${org}:time`)).toBe(0);
      // The filters' indexes go with them, and a list leaves no scratch key behind.
      expect(await r.keys(`notification:org:${org}:by:*`)).toEqual([]);
      expect(await r.keys('notification:tmp:*')).toEqual([]);
    } finally {
      r.disconnect();
    }
  });
});
