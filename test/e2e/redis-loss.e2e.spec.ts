import Redis from 'ioredis';
import { SETUP_TIMEOUT_MS, waitFor } from '@clp/testing';
import { startSystem, type RunningSystem } from './system.fixtures';

// Issue 13, item 3: Redis is disposable. With every service running, FLUSHALL wipes every read
// model and the notification center at once; each comes back by itself (no command, no restart),
// equal to what it was: connections, summaries, environments and their members, workspaces,
// credentials, notifications with their seqs and read state.
const ORG = 'org-redis-loss';
const admin = { organization_id: ORG, role: 'admin' as const };
const viewer = { organization_id: ORG, role: 'viewer' as const };
const CONNECTIONS = '/api/integrations/connections';
const CREDENTIALS = '/api/integrations/credentials';
const ENVIRONMENTS = '/api/environments';
const WORKSPACES = '/api/workspaces';
const EVENTS = '/api/system/events';
/** How long the system may take to rebuild everything after the wipe. */
const REBUILD_TIMEOUT_MS = 90_000;

describe('FLUSHALL with every service running (real processes, NATS, Redis)', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem();
  }, SETUP_TIMEOUT_MS);

  afterAll(() => system?.stop());

  const ok = async (method: string, path: string, body?: unknown) => {
    const reply = await system.http(method, path, { as: admin, body });
    if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${reply.text}`);
    return reply.body;
  };
  const get = async (path: string) => {
    const reply = await system.http('GET', path, { as: viewer });
    return { status: reply.status, body: reply.body };
  };

  /** Everything a person can read of the organization, each list whole and in a fixed order. */
  const snapshot = async (ids: { connections: string[]; environments: string[]; workspaces: string[] }) => ({
    connections: await get(`${CONNECTIONS}?pagesize=100&order=name%20asc`),
    summary: await get(`${CONNECTIONS}/status`),
    each: await Promise.all(ids.connections.map((id) => get(`${CONNECTIONS}/${id}`))),
    credentials: await get(`${CREDENTIALS}?pagesize=100`),
    environments: await get(`${ENVIRONMENTS}?pagesize=100&order=name%20asc`),
    members: await Promise.all(ids.environments.map((id) => get(`${ENVIRONMENTS}/${id}/connections?pagesize=100&order=name%20asc`))),
    workspaces: await get(`${WORKSPACES}?pagesize=100&order=name%20asc`),
    linked: await Promise.all(ids.workspaces.map((id) => get(`${WORKSPACES}/${id}/environments?pagesize=100&order=name%20asc`))),
    notifications: await get(`${EVENTS}?pagesize=100`),
    unread: await get(`${EVENTS}?pagesize=100&status=unread`),
  });

  it('comes back equal by itself: lists, summaries, members, workspaces, credentials, notifications and their read state', async () => {
    const connections: string[] = [];
    for (const name of ['alpha', 'beta', 'gamma']) {
      connections.push((await ok('POST', CONNECTIONS, { kind: 'github', name, skip_connectivity_test: true, metadata: { url: 'https://github.com', owner: 'clp', repository: name } })).id);
    }
    await ok('PUT', `${CONNECTIONS}/${connections[1]}`, { status: 'ignored' });
    await ok('PUT', `${CONNECTIONS}/${connections[2]}`, { status: 'maintenance', skip_connectivity_test: true });
    await ok('POST', CREDENTIALS, { name: 'ci token', kind: 'github', secret: { token: 'ghp-redis-loss-secret' } });
    const environments = [(await ok('POST', ENVIRONMENTS, { name: 'production' })).id, (await ok('POST', ENVIRONMENTS, { name: 'staging' })).id];
    await ok('POST', `${ENVIRONMENTS}/${environments[0]}/connections/${connections[0]}`);
    await ok('POST', `${ENVIRONMENTS}/${environments[0]}/connections/${connections[1]}`);
    await ok('POST', `${ENVIRONMENTS}/${environments[1]}/connections/${connections[2]}`);
    await ok('PUT', `${ENVIRONMENTS}/${environments[1]}`, { status: 'archived' });
    const workspaces = [(await ok('POST', WORKSPACES, { name: 'platform' })).id];
    await ok('POST', `${WORKSPACES}/${workspaces[0]}/environments/${environments[0]}`);

    // Every change is a notification; some read, one deleted.
    const notified = await waitFor(
      async () => {
        const page = (await get(`${EVENTS}?pagesize=100`)).body;
        return page?.total_count >= 12 ? page.events : undefined;
      },
      { message: 'the notifications of the changes' },
    );
    const [read, alsoRead, deleted] = notified.map((n: { id: string }) => n.id);
    await ok('PUT', `${EVENTS}/status/bulk`, { ids: [read, alsoRead], status: 'read' });
    await ok('DELETE', `${EVENTS}/${deleted}`);

    const ids = { connections, environments, workspaces };
    // Quiet first: two snapshots a moment apart agree (every projection has caught up).
    const before = await waitFor(
      async () => {
        const [first, second] = [await snapshot(ids), await snapshot(ids)];
        return JSON.stringify(first) === JSON.stringify(second) && first.connections.body?.total_count === 3 ? first : undefined;
      },
      { message: 'the read models settled' },
    );
    expect(before.notifications.body.events.find((n: { id: string }) => n.id === read)).toMatchObject({ status: 'read' });
    expect(before.notifications.body.events.some((n: { id: string }) => n.id === deleted)).toBe(false);

    const redis = new Redis(system.redis.url);
    try {
      await redis.flushall();
    } finally {
      redis.disconnect();
    }

    let after: Awaited<ReturnType<typeof snapshot>> | undefined;
    await waitFor(
      async () => {
        after = await snapshot(ids);
        return JSON.stringify(after) === JSON.stringify(before);
      },
      { timeoutMs: REBUILD_TIMEOUT_MS, intervalMs: 500, message: 'everything back as it was' },
    ).catch(() => undefined);
    expect(after).toEqual(before);
  }, SETUP_TIMEOUT_MS + REBUILD_TIMEOUT_MS);
});
