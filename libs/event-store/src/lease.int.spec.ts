import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { connectionEventSubject, INTEGRATION_STREAMS } from '@clp/contracts';
import { startNats, waitFor, type TestServer } from '@clp/testing';
import { NatsKvCheckpointStore } from './checkpoint-store';
import { toEnvelopes } from './commit';
import { JetStreamEventStore } from './jetstream/jetstream-event-store';
import { Lease } from './lease';
import { Relay } from './relay';

describe('relay replicas with a lease, on a real nats-server', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let store: JetStreamEventStore;

  beforeAll(async () => {
    server = await startNats();
    nc = await connect({ servers: server.url });
    store = await JetStreamEventStore.create(nc, { context: 'leased' });
  });

  afterAll(async () => {
    await nc.close();
    await server.stop();
  });

  const replica = async () =>
    new Relay({
      name: 'leased-relay',
      store,
      nc,
      checkpoints: await NatsKvCheckpointStore.create(nc),
      target: INTEGRATION_STREAMS.connections,
      filter: { streamPrefixes: ['connection-'] },
      subjectFor: (event) => connectionEventSubject((event.data as { kind: string }).kind, event.type),
      lease: { lease: await Lease.create(nc, 'leased-relay', { ttlMs: 5000 }), renewEveryMs: 100 },
      logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
    });

  const write = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      const events = toEnvelopes([{ type: 'StatusChanged', data: { connection_id: id, kind: 'grafana', from: 'discovered', to: 'registered' } }], {
        command_id: randomUUID(),
        now: new Date().toISOString(),
        actor: { type: 'system', id: 'test' },
      });
      await store.appendToStream(`connection-${id}`, events, { expectedRevision: 'no_stream' });
    }
  };

  const relayed = async () => (await (await nc.jetstreamManager()).streams.info(INTEGRATION_STREAMS.connections.name)).state.messages;

  it('keeps a held lease when renewals overlap (one is slow), and refuses it to another holder', async () => {
    const [mine, theirs] = [await Lease.create(nc, 'overlapping', { ttlMs: 5000 }), await Lease.create(nc, 'overlapping', { ttlMs: 5000 })];
    expect(await mine.acquire()).toBe(true);
    expect(await Promise.all(Array.from({ length: 10 }, () => mine.renew()))).toEqual(Array(10).fill(true));
    expect(await mine.renew()).toBe(true);
    expect(await theirs.acquire()).toBe(false);
    await mine.release();
    expect(await theirs.acquire()).toBe(true);
    await theirs.release();
  });

  it('only the holder publishes; when it stops, a standby takes over from its checkpoint', async () => {
    const replicas = [await replica(), await replica()];
    await Promise.all(replicas.map((r) => r.start()));
    await write(100);
    await waitFor(async () => (await relayed()) === 100, { message: 'first 100' });
    const [active, standby] = replicas[0].published > 0 ? replicas : [replicas[1], replicas[0]];
    expect(active.published).toBe(100);
    expect(standby.published + standby.duplicates + active.duplicates).toBe(0);

    // A stop releases the lease at once: the standby does not wait for its expiry.
    await active.stop();
    await write(50);
    await waitFor(async () => (await relayed()) === 150, { timeoutMs: 4000, message: 'taken over before the lease would expire' });
    expect(standby.published).toBe(50);
    expect(standby.duplicates).toBe(0);
    await standby.stop();
  });
});
