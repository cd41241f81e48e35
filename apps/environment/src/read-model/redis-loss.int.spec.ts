import Redis from 'ioredis';
import { SUBJECTS, type Caller } from '@clp/contracts';
import { waitFor } from '@clp/testing';
import { result, startEnvironmentHarness, type EnvironmentHarness } from '../environment.fixtures';

const E = SUBJECTS.environment;
const operator: Caller = { organization_id: 'org-flush', user_id: 'olivia', role: 'operator' };

// Redis is disposable: both sources of the read model (the store, CONNECTION_EVENTS) are read
// again from their start by the running service, unattended, idle or not.
describe('the environment read model after Redis lost everything (FLUSHALL; real NATS, Redis and registry)', () => {
  let h: EnvironmentHarness;
  let redis: Redis;

  beforeAll(async () => {
    h = await startEnvironmentHarness();
    redis = new Redis(h.redis.url);
  });

  afterAll(async () => {
    redis?.disconnect();
    await h?.stop();
  });

  const environments = async () => result(await h.api.request(E.listEnvironments, { caller: operator, pagesize: 100, order: 'name asc' }));
  const workspaces = async () => result(await h.api.request(E.listWorkspaces, { caller: operator, pagesize: 100 }));
  const connectionsOf = async (id: string) => result(await h.api.request(E.environmentConnections, { caller: operator, environment_id: id, pagesize: 100 }));

  it('comes back equal, idle or not, with nobody restarting anything', async () => {
    const [prod] = [
      result(await h.api.request(E.createEnvironment, { caller: operator, name: 'prod', tags: ['a'] })),
      result(await h.api.request(E.createEnvironment, { caller: operator, name: 'dev' })),
    ];
    const ws = result(await h.api.request(E.createWorkspace, { caller: operator, name: 'team' }));
    result(await h.api.request(E.linkEnvironment, { caller: operator, workspace_id: ws.id, environment_id: prod.id }));
    const connection = await h.connection(operator, 'repo');
    result(await h.api.request(E.assignConnection, { caller: operator, environment_id: prod.id, connection_id: connection.id }));
    await waitFor(async () => (await connectionsOf(prod.id)).total_count === 1, { message: 'the read model' });
    const before = { environments: await environments(), workspaces: await workspaces(), connections: await connectionsOf(prod.id) };
    // Redis's own redis-server is shared with the registry here: it rebuilds too.

    await redis.flushall();
    expect((await environments()).total_count).toBe(0);
    await waitFor(async () => (await connectionsOf(prod.id)).total_count === 1 && (await environments()).total_count === 2, {
      timeoutMs: 30_000,
      message: 'rebuilt while idle',
    });
    expect({ environments: await environments(), workspaces: await workspaces(), connections: await connectionsOf(prod.id) }).toEqual(before);

    // Emptied just before an event: the event is not applied on nothing; all of it comes back.
    await redis.flushall();
    result(await h.api.request(E.createEnvironment, { caller: operator, name: 'staging' }));
    await waitFor(async () => (await environments()).total_count === 3, { timeoutMs: 30_000, message: 'rebuilt with the new one' });
    expect((await environments()).environments.map((e: { name: string }) => e.name)).toEqual(['dev', 'prod', 'staging']);
    await waitFor(async () => (await connectionsOf(prod.id)).total_count === 1, { timeoutMs: 30_000, message: 'the connection back' });
  });
});
