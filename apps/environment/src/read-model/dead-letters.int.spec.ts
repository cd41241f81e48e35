import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import Redis from 'ioredis';
import { connect, type NatsConnection } from 'nats';
import { SUBJECTS, type Caller, type DomainEvent } from '@clp/contracts';
import { JetStreamEventStore, toEnvelopes } from '@clp/event-store';
import { Requester } from '@clp/messaging';
import { startNats, startRedis, waitFor, type TestServer } from '@clp/testing';
import { createEnvironmentService, listenUntilAnswering } from '../environment-service';

const E = SUBJECTS.environment;
const ORG = 'org-poison';

/**
 * Events forced into the store that the environment read model cannot apply: each is a dead
 * letter, skipped, and what comes after it is listed; the service reports the count.
 */
describe('the environment projection skips what it cannot apply (issue 13)', () => {
  let nats: TestServer;
  let redisServer: TestServer;
  let app: INestMicroservice;
  let nc: NatsConnection;
  let redis: Redis;
  let store: JetStreamEventStore;
  let api: Requester;
  const caller: Caller = { organization_id: ORG, user_id: 'alice', role: 'admin' };

  beforeAll(async () => {
    [nats, redisServer] = await Promise.all([startNats(), startRedis()]);
    const config = { natsUrl: nats.url, redisUrl: redisServer.url, instanceName: 'environment-poison-test', readModelPrefix: 'environment:v1:', registryTimeoutMs: 1000 };
    app = await createEnvironmentService(config, false);
    await listenUntilAnswering(app);
    nc = await connect({ servers: nats.url });
    api = new Requester(nc, { timeoutMs: 10_000 });
    store = await JetStreamEventStore.create(nc, { context: 'environment' });
    redis = new Redis(redisServer.url);
  }, 60_000);

  afterAll(async () => {
    redis?.disconnect();
    await store?.close();
    await nc?.close();
    await app?.close();
    await Promise.all([nats, redisServer].map((s) => s?.stop()));
  });

  const force = async (id: string, event: DomainEvent) => {
    const context = { command_id: randomUUID(), now: new Date().toISOString(), actor: { type: 'user' as const, id: 'alice' } };
    await store.appendToStream(`environment-${id}`, toEnvelopes([event], context), { expectedRevision: 'any' });
  };
  const names = async (): Promise<string[]> => {
    const page = (await api.request(E.listEnvironments, { caller, pagesize: 100, order: 'name asc' })) as { result: { environments: Array<{ name: string }> } };
    return page.result.environments.map((environment) => environment.name);
  };

  it('dead-letters an event with an id of the wrong type, one it cannot encode and one cjson cannot decode, and lists what came after', async () => {
    const bad = randomUUID();
    await force(bad, { type: 'EnvironmentCreated', data: { environment_id: bad, organization_id: 42, name: 'bad' } } as never);
    // No changes: encode-events.ts cannot encode it.
    await force(bad, { type: 'EnvironmentUpdated', data: { environment_id: bad, organization_id: ORG } } as never);
    // A lone surrogate: Redis's cjson cannot decode the event.
    const lone = randomUUID();
    await force(lone, { type: 'EnvironmentCreated', data: { environment_id: lone, organization_id: ORG, name: 'lone \uD800' } } as never);

    const created = await api.request(E.createEnvironment, { caller, name: 'after' });
    expect(created).toMatchObject({ result: { name: 'after' } });
    await waitFor(async () => (await names()).includes('after'), { message: 'an environment created after the poison listed' });
    expect(await names()).toEqual(['after']);

    const letters = Object.values(await redis.hgetall('environment:v1:dead-letters')).map((raw) => JSON.parse(raw) as Record<string, string>);
    letters.sort((a, b) => (a.position < b.position ? -1 : 1));
    expect(letters).toEqual([
      expect.objectContaining({ source: 'store', type: 'EnvironmentCreated', error: 'org is not a string' }),
      expect.objectContaining({ source: 'store', type: 'EnvironmentUpdated', error: expect.stringMatching(/^cannot be encoded: /) }),
      expect.objectContaining({ source: 'store', type: 'EnvironmentCreated', error: expect.stringMatching(/invalid unicode escape/) }),
    ]);
    expect(await api.send(E.readModelHealth, {})).toEqual({ result: { dead_letters: 3 } });
  });
});
