import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import type { Cause, Status } from '@clp/contracts';
import type { ConnectionCommand } from '@clp/connection-lifecycle';
import { JetStreamEventStore } from '@clp/event-store';
import { startNats, type TestServer } from '@clp/testing';
import { ConnectionCommands } from './connection-commands';

const metadata = (cause: Cause = 'user') => ({ command_id: randomUUID(), now: new Date().toISOString(), actor: { type: cause, id: 'tester' } });

const discover = (connection_id: string): ConnectionCommand => ({
  type: 'DiscoverConnection',
  data: {
    connection_id,
    organization_id: 'org-c',
    kind: 'http',
    type: 'platform',
    sub_type: 'http',
    name: 'svc',
    fingerprint: connection_id,
    identity: { url: 'http://svc' },
    metadata: { url: 'http://svc' },
    credential_id: null,
    source: 'test',
  },
  metadata: metadata('system'),
});

const transition = (to: Status): ConnectionCommand => ({
  type: 'RequestTransition',
  data: { to, reason: '', auto_connect: false, skip_connectivity_test: true },
  metadata: metadata(),
});

describe('connection commands on two replicas (real NATS)', () => {
  let nats: TestServer;
  let nc: NatsConnection;
  let store: JetStreamEventStore;

  beforeAll(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url });
    store = await JetStreamEventStore.create(nc, { context: 'registry' });
  });

  afterAll(async () => {
    await store?.close();
    await nc?.close();
    await nats?.stop();
  });

  it('a replica that remembers a connection still sees what another replica changed, and decides on it', async () => {
    const [a, b] = [new ConnectionCommands(store), new ConnectionCommands(store)];
    const id = randomUUID();
    await a.execute(id, discover(id));
    expect((await a.load(id)).state.status).toBe('discovered');

    await b.execute(id, transition('ignored'));
    const seenByA = await a.load(id);
    expect(seenByA.state.status).toBe('ignored');
    expect(seenByA.revision).toEqual((await b.load(id)).revision);

    // A holds the connection as ignored, from which maintenance is refused; B has registered it
    // meanwhile, from which maintenance is allowed: A must not refuse on what it held.
    const stale = await a.load(id);
    await b.execute(id, transition('registered'));
    const result = await a.execute(id, transition('maintenance'), {}, stale);
    expect(result.state.status).toBe('maintenance');
    expect((await b.load(id)).state.status).toBe('maintenance');
  });

  it('six simultaneous updates on two replicas: each stored once on its own revision, none a failure', async () => {
    const replicas = [new ConnectionCommands(store), new ConnectionCommands(store)];
    const id = randomUUID();
    await replicas[0].execute(id, discover(id));
    const update = (n: number): ConnectionCommand => ({ type: 'UpdateConnection', data: { name: `svc-${n}` }, metadata: metadata() });
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, n) => replicas[n % 2].execute(id, update(n))));
    expect(outcomes.every((o) => o.status === 'fulfilled' || (o.reason as { code?: string }).code === 'conflict')).toBe(true);
    const stored = (await store.readStream(`connection-${id}`)).filter((e) => e.type === 'ConnectionUpdated');
    expect(stored).toHaveLength(outcomes.filter((o) => o.status === 'fulfilled' && o.value.changed).length);
    expect(stored.length).toBeGreaterThan(0);
  });
});
