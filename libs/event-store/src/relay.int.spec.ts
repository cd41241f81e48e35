import { randomUUID } from 'node:crypto';
import { AckPolicy, connect, type NatsConnection } from 'nats';
import {
  connectionEventSubject,
  INTEGRATION_STREAMS,
  parseConnectionEvent,
  type ConnectionEvent,
  type IntegrationEvent,
} from '@clp/contracts';
import { startNats, waitFor, type TestServer } from '@clp/testing';
import { NatsKvCheckpointStore, type CheckpointStore } from './checkpoint-store';
import { toEnvelopes } from './commit';
import { JetStreamEventStore } from './jetstream/jetstream-event-store';
import { Relay } from './relay';

const STREAM = INTEGRATION_STREAMS.connections.name;

describe('relay from the event store to the integration stream, on a real nats-server', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let store: JetStreamEventStore;
  let checkpoints: NatsKvCheckpointStore;

  beforeAll(async () => {
    server = await startNats();
    nc = await connect({ servers: server.url });
    store = await JetStreamEventStore.create(nc, { context: 'registry' });
    checkpoints = await NatsKvCheckpointStore.create(nc);
  });

  afterAll(async () => {
    await nc.close();
    await server.stop();
  });

  const newRelay = (name = 'registry-connections', checkpointStore: CheckpointStore = checkpoints) =>
    new Relay({
      name,
      store,
      nc,
      checkpoints: checkpointStore,
      target: INTEGRATION_STREAMS.connections,
      filter: { streamPrefixes: ['connection-'] },
      subjectFor: (event) => connectionEventSubject((event.data as { kind: string }).kind, event.type),
      logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
    });

  /** One connection: discovered, then registered; two commits, two events. */
  const writeConnection = async (kind: string): Promise<string[]> => {
    const id = randomUUID();
    const stream = `connection-${id}`;
    const base = { connection_id: id, organization_id: 'org-1', kind, name: `${kind}-${id.slice(0, 6)}` };
    const meta = () => ({ command_id: randomUUID(), now: new Date().toISOString(), actor: { type: 'system' as const, id: 'test' } });
    const discovered = toEnvelopes<ConnectionEvent>(
      [
        {
          type: 'ConnectionDiscovered',
          data: { ...base, type: 'observability', sub_type: 'monitoring', fingerprint: id, identity: { url: 'http://x' }, metadata: {}, credential_id: null, source: 'test' },
        },
      ],
      meta(),
    );
    const changed = toEnvelopes<ConnectionEvent>(
      [{ type: 'StatusChanged', data: { ...base, from: 'discovered', to: 'registered', cause: 'system', actor: 'test', reason: 'reachable' } }],
      meta(),
    );
    const { nextExpectedRevision } = await store.appendToStream(stream, discovered, { expectedRevision: 'no_stream' });
    await store.appendToStream(stream, changed, { expectedRevision: nextExpectedRevision });
    return [...discovered, ...changed].map((e) => e.metadata.event_id);
  };

  const messageCount = async () => (await (await nc.jetstreamManager()).streams.info(STREAM)).state.messages;

  const readIntegrationStream = async (count: number): Promise<IntegrationEvent<ConnectionEvent>[]> => {
    const consumer = await nc.jetstream().consumers.get(STREAM);
    const messages = await consumer.consume();
    const events: IntegrationEvent<ConnectionEvent>[] = [];
    for await (const m of messages) {
      events.push(parseConnectionEvent(m.data));
      if (events.length === count) break;
    }
    void messages.close();
    return events;
  };

  it('stopped while 1,000 events are appended and restarted, publishes all of them and none twice', async () => {
    const written: string[] = [];
    const relay = newRelay();
    await relay.start();
    for (let i = 0; i < 50; i++) written.push(...(await writeConnection('prometheus')));
    await waitFor(async () => (await messageCount()) === 100, { message: 'first 100 relayed' });

    // 1,000 more events (500 connections); the relay stops after the first 100 of them.
    let stopped: Promise<void> | undefined;
    for (let i = 0; i < 500; i++) {
      written.push(...(await writeConnection(i % 2 ? 'grafana' : 'kubernetes')));
      if (i === 50) stopped = relay.stop();
    }
    await stopped;
    const publishedBeforeRestart = await messageCount();
    expect(publishedBeforeRestart).toBeLessThan(1100);

    const restarted = newRelay();
    await restarted.start();
    await waitFor(async () => (await messageCount()) >= 1100, { timeoutMs: 20_000, message: 'all 1,100 relayed' });
    await restarted.stop();

    // Resumed from the checkpoint: nothing re-sent that the stream had to drop as a duplicate.
    expect(restarted.duplicates).toBe(0);
    expect(restarted.published).toBe(1100 - publishedBeforeRestart);
    expect(await messageCount()).toBe(1100);

    const relayed = await readIntegrationStream(1100);
    const ids = relayed.map((e) => e.metadata.event_id);
    expect(new Set(ids).size).toBe(1100);
    expect(ids).toEqual(written);
  });

  it('after a crash between publishing and checkpointing, re-publishes nothing twice', async () => {
    const before = await messageCount();
    // A relay whose checkpoint writes are lost: as if it crashed after each publish, before the save.
    const lagging = newRelay('crashing', { load: (name) => checkpoints.load(name), save: async () => undefined });
    await checkpoints.save('crashing', (await checkpoints.load('registry-connections'))!);
    await lagging.start();
    const written: string[] = [];
    for (let i = 0; i < 20; i++) written.push(...(await writeConnection('istio')));
    await waitFor(async () => (await messageCount()) === before + 40, { message: '40 relayed' });
    await lagging.stop();

    const recovered = newRelay('crashing');
    await recovered.start();
    await waitFor(() => recovered.duplicates === 40, { message: 'the 40 re-published' });
    await recovered.stop();
    expect(recovered.published).toBe(0);
    expect(await messageCount()).toBe(before + 40);
  });

  it('keeps each stream in order, with revisions, on subjects that filter without decoding', async () => {
    const relayed = await readIntegrationStream(await messageCount());
    const lastRevision = new Map<string, bigint>();
    for (const event of relayed) {
      const revision = BigInt(event.revision);
      expect(revision > (lastRevision.get(event.stream) ?? 0n)).toBe(true);
      lastRevision.set(event.stream, revision);
    }

    // A subscriber outside this repository: nats and @clp/contracts, nothing else.
    const jsm = await nc.jetstreamManager();
    await jsm.consumers.add(STREAM, {
      durable_name: 'outside-grafana-status',
      ack_policy: AckPolicy.Explicit,
      filter_subject: connectionEventSubject('grafana', 'StatusChanged'),
    });
    const consumer = await nc.jetstream().consumers.get(STREAM, 'outside-grafana-status');
    const messages = await consumer.consume();
    const seen: IntegrationEvent<ConnectionEvent>[] = [];
    for await (const m of messages) {
      seen.push(parseConnectionEvent(m.data));
      m.ack();
      if (seen.length === 250) break;
    }
    void messages.close();
    expect(seen.every((e) => e.type === 'StatusChanged' && e.data.kind === 'grafana')).toBe(true);
    const first = seen[0];
    if (first.type !== 'StatusChanged') throw new Error('expected a status change');
    expect(first.data).toMatchObject({ from: 'discovered', to: 'registered', cause: 'system' });
    expect((await jsm.consumers.info(STREAM, 'outside-grafana-status')).num_pending).toBe(0);
  });
});
