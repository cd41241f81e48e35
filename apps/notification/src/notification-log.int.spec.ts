import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import Redis from 'ioredis';
import { connect, headers as natsHeaders, nanos, type NatsConnection } from 'nats';
import { HEADERS, NOTIFICATION_LOG_STREAM, notificationLiveSubject, SUBJECTS, type Caller, type FeedEntry, type Reply } from '@clp/contracts';
import { Requester } from '@clp/messaging';
import { CONDITION_TIMEOUT_MS, SETUP_TIMEOUT_MS, startNats, startRedis, waitFor, type TestServer } from '@clp/testing';
import type { NotificationConfig } from './config';
import { notificationOf } from './notifications/notification-of';
import { createNotificationService, listenUntilAnswering } from './notification-service';
import { publishConnectionEvents, statusChangedEvent } from './notification.fixtures';

const N = SUBJECTS.notification;
const result = <T>(reply: Reply<T>): T => {
  if ('error' in reply) throw new Error(`unexpected error reply: ${JSON.stringify(reply.error)}`);
  return reply.result;
};
const TRANSITIONS = [
  ['registered', 'connected'],
  ['connected', 'disconnected'],
  ['disconnected', 'maintenance'],
  ['connected', 'not found'],
  ['connected', 'deleted'],
] as const;

describe('the notification center is a projection of the NOTIFICATIONS stream (real NATS and Redis, two replicas)', () => {
  let nats: TestServer;
  let redisServer: TestServer;
  let replicas: INestMicroservice[] = [];
  let nc: NatsConnection;
  let redis: Redis;
  let api: Requester;
  let config: (name: string) => NotificationConfig;

  const viewer = (org: string): Caller => ({ organization_id: org, user_id: 'vic', role: 'viewer' });
  const admin = (org: string): Caller => ({ organization_id: org, user_id: 'ada', role: 'admin' });
  const list = async (caller: Caller, query: Record<string, unknown> = {}) => result(await api.request(N.listEvents, { caller, pagesize: 100, ...query }));
  const liveOf = (org: string): FeedEntry[] => {
    const live: FeedEntry[] = [];
    nc.subscribe(notificationLiveSubject(org), { callback: (_e, m) => live.push(JSON.parse(new TextDecoder().decode(m.data)) as FeedEntry) });
    return live;
  };
  /** A log record as another writer (or an intake past the duplicate window) would append it. */
  const appendRaw = async (subject: string, payload: string, messageId: string = randomUUID()) => {
    const h = natsHeaders();
    h.set(HEADERS.messageId, messageId);
    return (await nc.jetstream().publish(subject, payload, { headers: h })).seq;
  };
  const deadLetters = async () => (result(await api.send(N.readModelHealth, {})) as { dead_letters: number }).dead_letters;

  beforeAll(async () => {
    [nats, redisServer] = await Promise.all([startNats(), startRedis()]);
    config = (name: string): NotificationConfig => ({ natsUrl: nats.url, redisUrl: redisServer.url, instanceName: name, keyPrefix: 'notification:', retentionMs: 60 * 60 * 1000, trimIntervalMs: 60_000 });
    for (const name of ['notification-a', 'notification-b']) {
      const app = await createNotificationService(config(name), false);
      await listenUntilAnswering(app);
      replicas.push(app);
    }
    nc = await connect({ servers: nats.url });
    redis = new Redis(redisServer.url);
    api = new Requester(nc, { timeoutMs: 15_000 });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    redis?.disconnect();
    await nc?.close();
    await Promise.all(replicas.map((app) => app.close()));
    replicas = [];
    await Promise.all([nats?.stop(), redisServer?.stop()]);
  }, SETUP_TIMEOUT_MS);

  it('makes one notification of a redelivered or re-published event, and of a second "stored" record past the duplicate window', async () => {
    const org = 'org-dup';
    const live = liveOf(org);
    await nc.flush();
    const event = statusChangedEvent(org, randomUUID(), 'connected', 'disconnected');
    const notification = notificationOf(event);
    // An intake that appended the notification and died before acking its event: the event comes again.
    await appendRaw(`notification.log.${org}.stored`, JSON.stringify({ type: 'stored', seq: 1, notification }), event.metadata.event_id);
    await publishConnectionEvents(nc, [event, event], () => randomUUID());
    await waitFor(async () => (await list(viewer(org))).total_count === 1, { timeoutMs: CONDITION_TIMEOUT_MS, message: 'the notification' });
    const subjects = async () => (await (await nc.jetstreamManager()).streams.info(NOTIFICATION_LOG_STREAM.name, { subjects_filter: `notification.log.${org}.>` })).state.subjects;
    // The intake's two appends (Nats-Msg-Id = the event id) were dropped by the server as duplicates.
    await waitFor(
      async () => {
        const consumer = await (await nc.jetstreamManager()).consumers.info('CONNECTION_EVENTS', 'notification-connection-events');
        return consumer.num_pending === 0 && consumer.num_ack_pending === 0;
      },
      { timeoutMs: CONDITION_TIMEOUT_MS, message: 'both deliveries of the event handled' },
    );
    expect(await subjects()).toEqual({ [`notification.log.${org}.stored`]: 1 });

    // Past the duplicate window the server takes it: the projection's "seen" guard drops it.
    const again = await appendRaw(`notification.log.${org}.stored`, JSON.stringify({ type: 'stored', seq: 2, notification }));
    await waitFor(async () => Number(await redis.get('notification:checkpoint')) >= again, { timeoutMs: CONDITION_TIMEOUT_MS, message: 'the second record applied' });
    expect(await subjects()).toEqual({ [`notification.log.${org}.stored`]: 2 });
    const page = await list(viewer(org));
    expect(page.events.map((e) => e.id)).toEqual([event.metadata.event_id]);

    const next = statusChangedEvent(org, randomUUID(), 'disconnected', 'connected');
    await publishConnectionEvents(nc, [next]);
    await waitFor(() => live.length >= 2, { timeoutMs: CONDITION_TIMEOUT_MS, message: 'the next one live' });
    await nc.flush();
    // The dropped record had taken seq 2: the feed goes on after it (a gap, as a deletion leaves).
    expect(live.map((e) => [e.seq, e.notification.id])).toEqual([
      [1, event.metadata.event_id],
      [3, next.metadata.event_id],
    ]);
  }, SETUP_TIMEOUT_MS);

  it('dead-letters what it cannot apply, shows it, and applies what comes after', async () => {
    const org = 'org-poison';
    const before = await deadLetters();
    // The last one on the organization's "stored" subject is not JSON: the intake numbers on anyway.
    const poison = [
      await appendRaw('notification.log.org-poison.stored', JSON.stringify({ type: 'exploded', organization_id: org })),
      await appendRaw('notification.log.org-poison.marked', JSON.stringify({ type: 'marked', organization_id: org, ids: 'all of them', status: 'read' })),
      await appendRaw('notification.log.org-poison.stored', JSON.stringify({ type: 'stored', seq: 1, notification: { id: randomUUID(), organization_id: org } })),
      await appendRaw('notification.log.org-poison.stored', 'not json {'),
    ];
    const event = statusChangedEvent(org, randomUUID(), 'registered', 'connected');
    await publishConnectionEvents(nc, [event]);
    await waitFor(async () => (await list(viewer(org))).total_count === 1, { timeoutMs: CONDITION_TIMEOUT_MS, message: 'the notification after the poison' });
    expect(await deadLetters()).toBe(before + poison.length);
    const recorded = await redis.hgetall('notification:dead-letters');
    for (const seq of poison) expect(JSON.parse(recorded[String(seq)])).toMatchObject({ seq, error: expect.any(String) });
    expect(JSON.parse(recorded[String(poison[0])])).toMatchObject({ type: 'exploded', error: expect.stringContaining('exploded') });
    // A mark after the poison is applied too.
    expect(result(await api.request(N.markEvents, { caller: viewer(org), ids: [event.metadata.event_id], status: 'read' }))).toEqual({ updated: 1 });
    expect((await list(viewer(org), { status: 'read' })).total_count).toBe(1);
  }, SETUP_TIMEOUT_MS);

  it('applies nothing on a checkpoint gone or behind the reader (another replica began the rebuild), and nothing twice', async () => {
    const r = new Redis(redisServer.url);
    try {
      r.defineCommand('applyLog', { numberOfKeys: 0, lua: readFileSync(join(__dirname, 'store', 'apply-log.lua'), 'utf8') });
      const apply = (seen: number, ...messages: object[]) => (r as unknown as { applyLog: (...args: Array<string | number>) => Promise<unknown> }).applyLog('script-test:', seen, 60_000, ...messages.map((m) => JSON.stringify(m)));
      const doc = { seq: 1, type: 'stored', feed_seq: '1', id: 'n1', org: 'o', severity: 'error', category: 'connection', action: 'status_changed', acted_upon: 'c', created: String(Date.now()), text: 't', doc: '{}' };
      expect(await apply(0, doc)).toEqual([1, [1, 1], []]);
      // The same batch again (a second replica): nothing changes, nothing is new.
      expect(await apply(0, doc)).toEqual([0, [], []]);
      expect(await r.get('script-test:org:o:seq')).toBe('1');
      await r.set('script-test:checkpoint', '0');
      expect(await apply(1, { ...doc, seq: 2, feed_seq: '2', id: 'n2' })).toBe(-1);
      await r.del('script-test:checkpoint');
      expect(await apply(1, { ...doc, seq: 2, feed_seq: '2', id: 'n2' })).toBe(-1);
      expect(await r.exists('script-test:n:n2')).toBe(0);
    } finally {
      r.disconnect();
    }
  }, SETUP_TIMEOUT_MS);

  it('comes back by itself after FLUSHALL, equal: lists, seqs, read state, deletions, types and counts; old ones are not sent live again', async () => {
    const orgs = ['org-wipe-a', 'org-wipe-b'];
    const live = orgs.map(liveOf);
    const made = new Map<string, string[]>();
    for (const [o, org] of orgs.entries()) {
      const events = Array.from({ length: 30 }, (_, i) => {
        const [from, to] = TRANSITIONS[(i + o) % TRANSITIONS.length];
        return statusChangedEvent(org, randomUUID(), from, to, { cause: i % 3 ? 'system' : 'user', revision: i + 1 });
      });
      // Half in one burst (replicas interleave), half one by one.
      await publishConnectionEvents(nc, events.slice(0, 15));
      for (const event of events.slice(15)) await publishConnectionEvents(nc, [event]);
      made.set(org, events.map((e) => e.metadata.event_id));
    }
    await waitFor(async () => (await Promise.all(orgs.map(async (org) => (await list(viewer(org))).total_count === 30))).every(Boolean), { timeoutMs: CONDITION_TIMEOUT_MS, message: 'every notification' });

    for (const org of orgs) {
      const ids = made.get(org) ?? [];
      expect(result(await api.request(N.markEvents, { caller: viewer(org), ids: ids.slice(0, 12), status: 'read' }))).toEqual({ updated: 12 });
      expect(result(await api.request(N.markEvents, { caller: viewer(org), ids: ids.slice(4, 7), status: 'unread' }))).toEqual({ updated: 3 });
      expect(result(await api.request(N.deleteEvents, { caller: admin(org), ids: [ids[0], ids[5], ids[20], ids[29]] }))).toEqual({ deleted: 4 });
    }
    // A deleted one appended again past the duplicate window stays deleted, before and after.
    const deleted = made.get(orgs[0])?.[0] as string;
    const doc = { id: deleted, organization_id: orgs[0], category: 'connection', action: 'status_changed', severity: 'success', description: 'again', acted_upon: 'c', metadata: {}, created_at: new Date().toISOString() };
    const last = await appendRaw(`notification.log.${orgs[0]}.stored`, JSON.stringify({ type: 'stored', seq: 31, notification: doc }));
    await waitFor(async () => Number(await redis.get('notification:checkpoint')) >= last, { timeoutMs: CONDITION_TIMEOUT_MS });

    const snapshot = async () => ({
      orgs: await Promise.all(
        orgs.map(async (org) => ({
          list: await list(viewer(org)),
          ascending: (await list(viewer(org), { order: 'asc', pagesize: 7, page: 2 })).events.map((e) => e.id),
          byTime: (await list(viewer(org), { sort: 'created_at' })).events.map((e) => e.id),
          unread: (await list(viewer(org), { status: 'unread' })).events.map((e) => e.id),
          errors: (await list(viewer(org), { severity: ['error'], status: 'read' })).events.map((e) => e.id),
          feed: result(await api.request(N.eventsSince, { caller: viewer(org), after: 0, limit: 1000 })),
          types: result(await api.request(N.eventTypes, { caller: viewer(org) })),
        })),
      ),
      // Every key but the backfill's "done" mark (set again by the next retention pass).
      keys: (await redis.keys('notification:*')).filter((key) => key !== 'notification:indexed:v1').sort(),
      checkpoint: await redis.get('notification:checkpoint'),
      deadLetters: await redis.hgetall('notification:dead-letters'),
    });
    const before = await snapshot();
    expect(before.orgs.map((o) => o.list.total_count)).toEqual([26, 26]);
    expect(before.orgs[0].list.events.map((e) => e.id)).not.toContain(deleted);
    expect(before.orgs.map((o) => o.unread.length)).toEqual([18, 18]);
    expect(before.orgs.map((o) => o.feed.head)).toEqual([30, 30]);
    await nc.flush();
    const liveBefore = live.map((entries) => entries.length);
    expect(liveBefore).toEqual([30, 30]);
    // Two replicas numbering one organization's burst: every seq once, none skipped.
    for (const entries of live) expect(entries.map((e) => e.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));

    // Nothing is published meanwhile: the idle replicas notice the wipe by themselves.
    await redis.flushall();
    await waitFor(async () => JSON.stringify(await snapshot()) === JSON.stringify(before), { timeoutMs: CONDITION_TIMEOUT_MS, message: 'the notification center rebuilt' });
    expect(await snapshot()).toEqual(before);

    // New ones after the rebuild: live once each, numbered on; the rebuilt ones were not sent again.
    const fresh = statusChangedEvent(orgs[1], randomUUID(), 'connected', 'disconnected');
    await publishConnectionEvents(nc, [fresh]);
    await waitFor(() => live[1].length > liveBefore[1], { timeoutMs: CONDITION_TIMEOUT_MS, message: 'the new one live' });
    await nc.flush();
    expect(live.map((entries) => entries.length)).toEqual([30, 31]);
    expect(live[1].at(-1)).toMatchObject({ seq: 31, notification: { id: fresh.metadata.event_id, status: 'unread' } });
  }, SETUP_TIMEOUT_MS);

  it('keeps the stream as long as the retention, and follows a changed retention', async () => {
    const jsm = await nc.jetstreamManager();
    const limits = async () => {
      const { config } = await jsm.streams.info(NOTIFICATION_LOG_STREAM.name);
      return [config.max_age, config.duplicate_window];
    };
    expect(await limits()).toEqual([nanos(60 * 60 * 1000), nanos(2 * 60_000)]);
    const shorter = await createNotificationService({ ...config('notification-c'), retentionMs: 30 * 60 * 1000 }, false);
    try {
      await listenUntilAnswering(shorter);
      expect(await limits()).toEqual([nanos(30 * 60 * 1000), nanos(2 * 60_000)]);
    } finally {
      await shorter.close();
    }
    await jsm.streams.update(NOTIFICATION_LOG_STREAM.name, { max_age: nanos(60 * 60 * 1000) });
  }, SETUP_TIMEOUT_MS);

  it('gives the same seqs after a rebuild when the stream has dropped the older records (max_age)', async () => {
    const org = 'org-aged';
    const events = Array.from({ length: 6 }, (_, i) => statusChangedEvent(org, randomUUID(), 'connected', 'disconnected', { revision: i + 1 }));
    for (const event of events) await publishConnectionEvents(nc, [event]);
    await waitFor(async () => (await list(viewer(org))).total_count === 6, { timeoutMs: CONDITION_TIMEOUT_MS });
    const feed = async () => result(await api.request(N.eventsSince, { caller: viewer(org), after: 0, limit: 1000 }));
    // Two replicas take the events: the seqs follow the order they were appended in, not published in.
    const all = (await feed()).events.map((e) => [e.seq, e.notification.id] as const);
    expect(all.map(([seq]) => seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all.map(([, id]) => id).sort()).toEqual(events.map((e) => e.metadata.event_id).sort());
    // What the retention and max_age do to the three oldest: gone from Redis and from the stream.
    expect(result(await api.request(N.deleteEvents, { caller: admin(org), ids: all.slice(0, 3).map(([, id]) => id) }))).toEqual({ deleted: 3 });
    await (await nc.jetstreamManager()).streams.purge(NOTIFICATION_LOG_STREAM.name, { filter: `notification.log.${org}.stored`, keep: 3 });
    const before = await feed();
    expect(before.events.map((e) => [e.seq, e.notification.id])).toEqual(all.slice(3));

    await redis.flushall();
    await waitFor(async () => JSON.stringify(await feed()) === JSON.stringify(before), { timeoutMs: CONDITION_TIMEOUT_MS, message: 'the feed rebuilt with its seqs' });
    const next = statusChangedEvent(org, randomUUID(), 'disconnected', 'connected');
    await publishConnectionEvents(nc, [next]);
    await waitFor(async () => (await feed()).head === 7, { timeoutMs: CONDITION_TIMEOUT_MS, message: 'the next one numbered on' });
    expect((await feed()).events.at(-1)?.notification.id).toBe(next.metadata.event_id);
  }, SETUP_TIMEOUT_MS);

  it('answers a mark or a delete only once the list shows it, even behind a backlog (read-your-writes)', async () => {
    const org = 'org-ryw';
    const events = Array.from({ length: 4 }, (_, i) => statusChangedEvent(org, randomUUID(), 'registered', 'connected', { revision: i + 1 }));
    await publishConnectionEvents(nc, events);
    await waitFor(async () => (await list(viewer(org))).total_count === events.length, { timeoutMs: CONDITION_TIMEOUT_MS });
    // A backlog ahead of each change: the projection is still applying it when the change is appended.
    let backlogSeq = 0;
    const backlog = async () => {
      const js = nc.jetstream();
      const sent = Array.from({ length: 3000 }, () => {
        const notification = notificationOf(statusChangedEvent('org-backlog', randomUUID(), 'connected', 'disconnected'));
        return js.publish('notification.log.org-backlog.stored', JSON.stringify({ type: 'stored', seq: ++backlogSeq, notification }));
      });
      await nc.flush();
      return sent;
    };
    for (const [i, event] of events.entries()) {
      const id = event.metadata.event_id;
      let sent = await backlog();
      expect(result(await api.request(N.markEvents, { caller: viewer(org), ids: [id], status: 'read' }))).toEqual({ updated: 1 });
      expect((await list(viewer(org), { status: 'read' })).events.map((e) => e.id)).toContain(id);
      await Promise.all(sent);
      sent = await backlog();
      expect(result(await api.request(N.deleteEvents, { caller: admin(org), ids: [id] }))).toEqual({ deleted: 1 });
      expect((await list(viewer(org))).total_count).toBe(events.length - i - 1);
      await Promise.all(sent);
    }
  }, SETUP_TIMEOUT_MS);
});
