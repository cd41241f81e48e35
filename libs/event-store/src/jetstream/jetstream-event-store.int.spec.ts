import { randomUUID } from 'node:crypto';
import { connect, nanos, type NatsConnection } from 'nats';
import { startNats, waitFor, type TestServer } from '@clp/testing';
import { toEnvelopes } from '../commit';
import { ExpectedRevisionConflict } from '../port';
import { JetStreamEventStore } from './jetstream-event-store';

// What only the JetStream adapter has to get right: the commit envelope on NATS 2.9.
describe('JetStream adapter specifics, on a real nats-server', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let store: JetStreamEventStore;

  beforeAll(async () => {
    server = await startNats();
    nc = await connect({ servers: server.url });
    store = await JetStreamEventStore.create(nc, { context: 'specifics' });
  });

  afterAll(async () => {
    await nc.close();
    await server.stop();
  });

  const decision = (label: string) =>
    toEnvelopes([{ type: 'Happened', data: { label } }], { command_id: randomUUID(), now: new Date().toISOString(), actor: { type: 'system', id: 't' } });

  it('stores a decision as one message on the stream subject, with the commit id as Nats-Msg-Id', async () => {
    const stream = `connection-${randomUUID()}`;
    const events = [...decision('a'), ...decision('b')];
    const { nextExpectedRevision } = await store.appendToStream(stream, events, { expectedRevision: 'no_stream', commitId: 'commit-1' });
    const stored = await (await nc.jetstreamManager()).streams.getMessage(store.streamName, { seq: Number(nextExpectedRevision) });
    expect(stored.subject).toBe(store.subjectOf(stream));
    expect(stored.header.get('Nats-Msg-Id')).toBe('commit-1');
    expect(stored.json<{ events: unknown[] }>().events).toHaveLength(2);
  });

  it('a retry past the duplicate window finds its own commit instead of reporting a conflict', async () => {
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(store.streamName);
    await jsm.streams.update(store.streamName, { ...info.config, duplicate_window: nanos(100) });
    try {
      const stream = `connection-${randomUUID()}`;
      const events = decision('once');
      const first = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
      const storedAt = Date.now();
      // The window is the scenario: the server no longer remembers the message id.
      await waitFor(() => Date.now() - storedAt > 300, { intervalMs: 50, message: 'duplicate window passed' });
      const retry = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
      expect(retry.nextExpectedRevision).toBe(first.nextExpectedRevision);
      expect(await store.readStream(stream)).toHaveLength(1);
      // Someone else's commit at the same revision is still a conflict.
      await expect(store.appendToStream(stream, decision('other'), { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
        ExpectedRevisionConflict,
      );
    } finally {
      await jsm.streams.update(store.streamName, info.config);
    }
  });

  it('refuses stream names that cannot be subjects', async () => {
    await expect(store.appendToStream('connection-a.b', decision('x'), { expectedRevision: 'any' })).rejects.toThrow('invalid stream name');
    await expect(store.readStream('no category')).rejects.toThrow('invalid stream name');
  });
});
