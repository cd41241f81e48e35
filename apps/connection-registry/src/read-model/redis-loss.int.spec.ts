import Redis from 'ioredis';
import { SUBJECTS, type Caller, type ConnectionPage, type ConnectionView, type Reply } from '@clp/contracts';
import { waitFor } from '@clp/testing';
import { result, startRegistryHarness, type RegistryHarness } from '../registry.fixtures';

const R = SUBJECTS.registry;
const admin: Caller = { organization_id: 'org-flush', user_id: 'ada', role: 'admin' };

// Redis is disposable: the read model is rebuilt from the event store by the running replicas,
// unattended, whether Redis was emptied while they were idle or just before more events came.
describe('the registry read model after Redis lost everything (FLUSHALL; two replicas, real NATS and Redis)', () => {
  let h: RegistryHarness;
  let redis: Redis;

  beforeAll(async () => {
    h = await startRegistryHarness({ replicas: 2 });
    redis = new Redis(h.redis.url);
  });

  afterAll(async () => {
    redis?.disconnect();
    await h?.stop();
  });

  const register = async (name: string) =>
    result(
      (await h.api.send(R.registerConnection, {
        caller: admin,
        kind: 'github',
        name,
        metadata: { url: `https://github.com/acme/${name}` },
        skip_connectivity_test: true,
      })) as Reply<ConnectionView>,
    );
  const page = async () => result((await h.api.send(R.listConnections, { caller: admin, pagesize: 100, order: 'name asc' })) as Reply<ConnectionPage>);
  const credentials = async () => result((await h.api.send(R.listCredentials, { caller: admin })) as Reply<{ total_count: number }>).total_count;

  it('comes back equal, idle or not, with nobody restarting anything', async () => {
    for (const name of ['a', 'b', 'c']) await register(name);
    await h.api.send(R.createCredential, { caller: admin, name: 'ci', kind: 'github', secret: { token: 'flush-test-token' } });
    await waitFor(async () => (await page()).total_count === 3 && (await credentials()) === 1, { message: 'the read model' });
    const before = await page();

    await redis.flushall();
    expect((await page()).total_count).toBe(0);
    await waitFor(async () => (await page()).total_count === 3, { timeoutMs: 30_000, message: 'rebuilt while idle' });
    expect(await page()).toEqual(before);
    expect(await credentials()).toBe(1);

    // Emptied just before an event: the event is not applied on nothing; all of it comes back.
    await redis.flushall();
    await register('d');
    await waitFor(async () => (await page()).total_count === 4, { timeoutMs: 30_000, message: 'rebuilt with the new one' });
    expect((await page()).connections.map((c) => c.name)).toEqual(['a', 'b', 'c', 'd']);
    expect((await page()).status_summary).toEqual({ registered: 4 });
  });
});
