import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import Redis from 'ioredis';
import type { NatsConnection } from 'nats';
import { notificationLiveSubject, SUBJECTS, type Caller, type FeedEntry, type Reply } from '@clp/contracts';
import { BUS_USERS, connectNats, natsServerConfig, natsUrlFor, Requester, type BusUser } from '@clp/messaging';
import { CONDITION_TIMEOUT_MS, SETUP_TIMEOUT_MS, startNats, startRedis, waitFor, type TestServer } from '@clp/testing';
import { createNotificationService, listenUntilAnswering } from './notification-service';
import { publishConnectionEvents, statusChangedEvent } from './notification.fixtures';

const N = SUBJECTS.notification;
const passwords = Object.fromEntries(BUS_USERS.map((user) => [user, randomUUID()])) as Record<BusUser, string>;
const result = <T>(reply: Reply<T>): T => {
  if ('error' in reply) throw new Error(`unexpected error reply: ${JSON.stringify(reply.error)}`);
  return reply.result;
};

describe('the notification log on the bus with identities (nats-server run from natsServerConfig)', () => {
  let nats: TestServer;
  let redisServer: TestServer;
  let app: INestMicroservice;
  const opened: NatsConnection[] = [];
  const as = async (user: BusUser): Promise<NatsConnection> => {
    const nc = await connectNats({ servers: natsUrlFor(nats.url, user, passwords[user]), name: `${user}-test` });
    opened.push(nc);
    return nc;
  };

  beforeAll(async () => {
    nats = await startNats({ config: ({ port, storeDir }) => natsServerConfig({ port, storeDir, passwords }) });
    redisServer = await startRedis();
    app = await createNotificationService(
      { natsUrl: natsUrlFor(nats.url, 'notification', passwords.notification), redisUrl: redisServer.url, instanceName: 'notification-identity', keyPrefix: 'notification:', retentionMs: 60 * 60 * 1000, trimIntervalMs: 60_000 },
      false,
    );
    await listenUntilAnswering(app);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await app?.close();
    await Promise.all(opened.map((nc) => nc.close().catch(() => undefined)));
    await Promise.all([nats?.stop(), redisServer?.stop()]);
  }, SETUP_TIMEOUT_MS);

  it("appends, projects, marks, reports and rebuilds with only the notification user's permissions", async () => {
    const gateway = await as('gateway');
    const api = new Requester(gateway, { timeoutMs: 15_000 });
    const org = 'org-identity';
    const caller: Caller = { organization_id: org, user_id: 'vic', role: 'viewer' };
    const live: FeedEntry[] = [];
    gateway.subscribe(notificationLiveSubject(org), { callback: (_e, m) => live.push(JSON.parse(new TextDecoder().decode(m.data)) as FeedEntry) });
    await gateway.flush();

    // The relay's part, as the operator: the events on CONNECTION_EVENTS.
    const events = [statusChangedEvent(org, randomUUID(), 'registered', 'connected'), statusChangedEvent(org, randomUUID(), 'connected', 'disconnected')];
    await publishConnectionEvents(await as('admin'), events);
    const list = async () => result(await api.request(N.listEvents, { caller, pagesize: 100 }));
    await waitFor(async () => (await list()).total_count === 2, { timeoutMs: CONDITION_TIMEOUT_MS, message: 'both notifications' });
    await waitFor(() => live.length === 2, { timeoutMs: CONDITION_TIMEOUT_MS, message: 'both live' });

    expect(result(await api.request(N.markEvents, { caller, ids: [events[0].metadata.event_id], status: 'read' }))).toEqual({ updated: 1 });
    const before = await list();
    expect(before.events.map((e) => [e.id, e.status])).toEqual([
      [events[1].metadata.event_id, 'unread'],
      [events[0].metadata.event_id, 'read'],
    ]);
    expect(result(await api.send(N.readModelHealth, {}))).toEqual({ dead_letters: 0 });

    const redis = new Redis(redisServer.url);
    try {
      await redis.flushall();
    } finally {
      redis.disconnect();
    }
    await waitFor(async () => JSON.stringify(await list()) === JSON.stringify(before), { timeoutMs: CONDITION_TIMEOUT_MS, message: 'rebuilt from the stream' });
  }, SETUP_TIMEOUT_MS);
});
