import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { NatsConnection } from 'nats';
import type { ConnectionRegistered, ConnectionUpdated } from '@clp/contracts';
import { JetStreamEventStore, toEnvelopes } from '@clp/event-store';
import { connectNats } from '@clp/messaging';
import { waitFor } from '@clp/testing';
import { startGatewayHarness, type GatewayHarness } from '../gateway.fixtures';

const CONNECTIONS = '/api/integrations/connections';
const ORG = 'org-poison';

/** `{ a: { a: … } }`, `levels` deep: past the 1000 levels Redis's cjson decodes. */
const nested = (levels: number): Record<string, unknown> => {
  let value: Record<string, unknown> = {};
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

const registered = (id: string, name: string, metadata: Record<string, unknown>): ConnectionRegistered => ({
  type: 'ConnectionRegistered',
  data: {
    connection_id: id,
    organization_id: ORG,
    kind: 'prometheus',
    type: 'observability',
    sub_type: 'monitoring',
    name,
    fingerprint: `poison-${id}`,
    identity: { url: `http://${id}` },
    metadata,
    credential_id: null,
    status: 'registered',
  },
});

/**
 * Events forced into the store (the HTTP edge refuses them) that the registry's projection cannot
 * apply: each is a dead letter, skipped, and the connections registered after it still appear.
 */
describe('a projection skips what it cannot apply and readiness shows it (issue 13)', () => {
  let harness: GatewayHarness;
  let nc: NatsConnection;
  let store: JetStreamEventStore;
  let redis: Redis;
  let token: string;

  beforeAll(async () => {
    harness = await startGatewayHarness();
    nc = await connectNats({ servers: harness.nats.url, name: 'dead-letters-test' });
    store = await JetStreamEventStore.create(nc, { context: 'registry' });
    redis = new Redis(harness.redis.url);
    token = harness.token(ORG, 'alice', 'admin');
  });
  afterAll(async () => {
    redis?.disconnect();
    await store?.close();
    await nc?.close();
    await harness?.stop();
  });

  const force = async (stream: string, event: ConnectionRegistered | ConnectionUpdated, revision: 'no_stream' | 'stream_exists') => {
    const context = { command_id: randomUUID(), now: new Date().toISOString(), actor: { type: 'user' as const, id: 'alice' } };
    await store.appendToStream(stream, toEnvelopes([event], context), { expectedRevision: revision });
  };
  const names = async (): Promise<string[]> => {
    const page = await harness.request('GET', `${CONNECTIONS}?pagesize=100&order=name asc`, { token });
    return (page.body.connections as Array<{ name: string }>).map((c) => c.name);
  };

  it('dead-letters a too-deep event, a lone surrogate and a bad field type, leaves the document as it was, and lists what came after', async () => {
    const kept = randomUUID();
    await force(`connection-${kept}`, registered(kept, 'kept', { url: 'http://kept' }), 'no_stream');
    await waitFor(async () => (await names()).includes('kept'), { message: 'the first connection listed' });

    const deep = randomUUID();
    await force(`connection-${deep}`, registered(deep, 'deep', { url: 'http://deep', nested: nested(1200) }), 'no_stream');
    const lone = randomUUID();
    await force(`connection-${lone}`, registered(lone, 'lone \uD800', { url: 'http://lone' }), 'no_stream');
    // A name that is no string: the update cannot be applied, and the document keeps its name.
    await force(`connection-${kept}`, { type: 'ConnectionUpdated', data: { connection_id: kept, organization_id: ORG, kind: 'prometheus', changes: { name: { not: 'a name' } as never } } }, 'stream_exists');

    const created = await harness.request('POST', CONNECTIONS, { token, body: { kind: 'prometheus', name: 'after', metadata: { url: 'http://127.0.0.1:1' } } });
    expect(created.status).toBe(201);
    await waitFor(async () => (await names()).includes('after'), { message: 'a connection registered after the poison listed' });
    expect(await names()).toEqual(['after', 'kept']);
    const keptView = await harness.request('GET', `${CONNECTIONS}/${kept}`, { token });
    expect(keptView.body).toMatchObject({ name: 'kept', metadata: { url: 'http://kept' } });
    // The summary counts the two connections once each: the failed update removed no index.
    const summary = (await harness.request('GET', `${CONNECTIONS}/status`, { token })).body.connections_status as Array<{ count: number }>;
    expect(summary.reduce((sum, { count }) => sum + count, 0)).toBe(2);

    const letters = Object.values(await redis.hgetall('registry:v1:dead-letters')).map((raw) => JSON.parse(raw) as Record<string, string>);
    expect(letters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'ConnectionRegistered', stream: `connection-${deep}`, error: expect.stringMatching(/too many nested/) }),
        expect.objectContaining({ type: 'ConnectionRegistered', stream: `connection-${lone}`, error: expect.stringMatching(/invalid unicode escape/) }),
        expect.objectContaining({ type: 'ConnectionUpdated', stream: `connection-${kept}`, error: 'name is not a string' }),
      ]),
    );
    expect(letters).toHaveLength(3);
    expect(letters.every((letter) => /^\d+/.test(letter.position))).toBe(true);

    const ready = await harness.request('GET', '/health/ready');
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready', read_models: { registry: { dead_letters: 3 } } } });
  });
});
