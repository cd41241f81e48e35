import { randomUUID } from 'node:crypto';
import { createServer, connect as connectTcp, type Server, type Socket } from 'node:net';
import type { NatsConnection } from 'nats';
import { toEnvelopes, JetStreamEventStore, type ExpectedRevision } from '@clp/event-store';
import { connectNats } from '@clp/messaging';
import { startNats, waitFor, type TestServer } from '@clp/testing';

// Issue 13, item 1: a commit whose acknowledgement is lost is retried, and the retry must not
// store it twice (the commit id is the message's Nats-Msg-Id) nor report a conflict with itself
// (the store finds its own commit last). The fault is made by a TCP proxy between the store and
// nats-server that holds what the client sends until the client has sent its retry, then lets
// both through: the server sees the same commit twice, as after a lost ack.

interface HoldingProxy {
  url: string;
  /** From now on what the client sends is kept, not forwarded. */
  hold(): void;
  /** What was kept, as text (NATS's protocol is text, payloads included). */
  held(): string;
  /** Forwards what was kept, in order, and everything after it. */
  release(): void;
  stop(): Promise<void>;
}

const startHoldingProxy = async (target: { host: string; port: number }): Promise<HoldingProxy> => {
  let holding = false;
  const kept: Array<{ upstream: Socket; chunk: Buffer }> = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connectTcp(target);
    [client, upstream].forEach((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    client.on('data', (chunk) => (holding ? kept.push({ upstream, chunk }) : upstream.write(chunk)));
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `nats://127.0.0.1:${port}`,
    hold: () => (holding = true),
    held: () => Buffer.concat(kept.map(({ chunk }) => chunk)).toString('latin1'),
    release: () => {
      holding = false;
      kept.splice(0).forEach(({ upstream, chunk }) => upstream.write(chunk));
    },
    stop: async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
};

describe('a commit whose acknowledgement is lost (faults: a proxy holds the publish until it is retried)', () => {
  let nats: TestServer;
  let proxy: HoldingProxy;
  let direct: NatsConnection;
  let proxied: NatsConnection;
  let store: JetStreamEventStore;

  beforeAll(async () => {
    nats = await startNats();
    proxy = await startHoldingProxy({ host: '127.0.0.1', port: nats.port });
    direct = await connectNats({ servers: nats.url, name: 'lost-acks-reader' });
    proxied = await connectNats({ servers: proxy.url, name: 'lost-acks-writer' });
    // A short publish timeout: the retry comes soon after the hold starts.
    store = await JetStreamEventStore.create(proxied, { context: 'lostacks', publishTimeoutMs: 300, publishAttempts: 20 });
  });

  afterAll(async () => {
    await Promise.all([proxied?.close(), direct?.close()]);
    await proxy?.stop();
    await nats?.stop();
  });

  const decision = () => toEnvelopes([{ type: 'Happened', data: { n: 1 } }], { command_id: randomUUID(), now: new Date().toISOString(), actor: { type: 'system', id: 'faults' } });

  /** The commits stored on the stream's subject, as the server has them. */
  const storedCommits = async (stream: string): Promise<number> => {
    const jsm = await direct.jetstreamManager();
    const info = await jsm.streams.info(store.streamName, { subjects_filter: store.subjectOf(stream) });
    return info.state.subjects?.[store.subjectOf(stream)] ?? 0;
  };

  it.each<[string, ExpectedRevision]>([
    ['at an expected revision', 'no_stream'],
    ['with no expected revision', 'any'],
  ])('is stored once and answered as stored, %s', async (_, expectedRevision) => {
    const stream = `connection-${randomUUID()}`;
    const commitId = randomUUID();
    proxy.hold();
    const appended = store.appendToStream(stream, decision(), { expectedRevision, commitId });
    // The first publish went unanswered (the server has not seen it) and the store sent it again.
    await waitFor(() => proxy.held().split(`"commit_id":"${commitId}"`).length - 1 >= 2, { message: 'the commit published a second time' });
    proxy.release();

    const result = await appended;
    expect(result.nextExpectedRevision).toBeGreaterThan(0n);
    expect(await storedCommits(stream)).toBe(1);
    expect(await store.readStream(stream)).toHaveLength(1);
  });
});
