import { JSONCodec, type JetStreamClient, type NatsConnection } from 'nats';
import { ReplyError } from '@clp/contracts';
import { startNats, waitFor, type TestServer } from '@clp/testing';
import { connectNats } from './connection';
import { consumeDurable, type Delivery, type RunningConsumer } from './durable-consumer';
import { ensureStream } from './streams';

const codec = JSONCodec<{ n: number }>();
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('durable JetStream consumer on a real nats-server', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let stream = 0;

  beforeAll(async () => {
    server = await startNats();
    nc = await connectNats({ servers: server.url, name: 'consumer-test' });
    js = nc.jetstream();
  });

  afterAll(async () => {
    await nc.close();
    await server.stop();
  });

  /** A stream of its own per test. */
  const newStream = async () => {
    const name = `WORK${++stream}`;
    await ensureStream(await nc.jetstreamManager(), { name, subjects: [`work${stream}.>`] });
    return { name, subject: `work${stream}.items` };
  };

  const publish = async (subject: string, from: number, to: number) => {
    for (let n = from; n < to; n++) await js.publish(subject, codec.encode({ n }), { msgID: `${subject}-${n}`, timeout: 1000 });
  };

  it('acks only after the handler succeeded: a failed message comes back and is handled once', async () => {
    const { name, subject } = await newStream();
    await publish(subject, 0, 20);
    const handled: number[] = [];
    const attempts = new Map<number, number>();
    const consumer = await consumeDurable<{ n: number }>(nc, {
      stream: name,
      durable: 'worker',
      retryDelayMs: 10,
      logger: quiet,
      handle: async ({ n }) => {
        attempts.set(n, (attempts.get(n) ?? 0) + 1);
        if (n === 5 && attempts.get(n) === 1) throw new Error('transient');
        handled.push(n);
      },
    });
    await waitFor(() => handled.length === 20, { message: 'all handled' });
    await consumer.stop();
    expect([...handled].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(attempts.get(5)).toBe(2);
    // Acks are asynchronous: the server counts them as it receives them.
    const info = await waitFor(async () => {
      const current = await (await nc.jetstreamManager()).consumers.info(name, 'worker');
      return current.num_ack_pending === 0 ? current : undefined;
    });
    expect(info.num_pending).toBe(0);
  });

  it('refuses a message it can never handle without blocking the others', async () => {
    const { name, subject } = await newStream();
    await js.publish(subject, new TextEncoder().encode('not json'));
    await js.publish(subject, codec.encode({ n: -1 }));
    await publish(subject, 0, 3);
    const handled: number[] = [];
    const consumer = await consumeDurable<{ n: number }>(nc, {
      stream: name,
      durable: 'worker',
      logger: quiet,
      decode: (data) => {
        const value = codec.decode(data);
        if (value.n < 0) throw new ReplyError('validation_failed', 'n must not be negative');
        return value;
      },
      handle: async ({ n }) => {
        handled.push(n);
      },
    });
    await waitFor(() => handled.length === 3, { message: 'valid ones handled' });
    await consumer.stop();
    expect(handled).toEqual([0, 1, 2]);
    await waitFor(async () => (await (await nc.jetstreamManager()).consumers.info(name, 'worker')).num_ack_pending === 0, {
      message: 'the refused ones terminated, not left pending',
    });
  });

  it('a restarted consumer resumes after the last acked message: nothing lost, nothing twice', async () => {
    const { name, subject } = await newStream();
    const handled: number[] = [];
    const start = () =>
      consumeDurable<{ n: number }>(nc, { stream: name, durable: 'worker', logger: quiet, handle: async ({ n }) => void handled.push(n) });
    let consumer: RunningConsumer = await start();
    await publish(subject, 0, 10);
    await waitFor(() => handled.length === 10, { message: 'first half' });
    await consumer.stop();
    await publish(subject, 10, 20);
    consumer = await start();
    await waitFor(() => handled.length === 20, { message: 'second half' });
    await consumer.stop();
    expect(handled).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('carries on across a restart of the NATS server', async () => {
    const { name, subject } = await newStream();
    const handled: Array<{ n: number; delivery: Delivery }> = [];
    const consumer = await consumeDurable<{ n: number }>(nc, {
      stream: name,
      durable: 'worker',
      logger: quiet,
      handle: async ({ n }, delivery) => void handled.push({ n, delivery }),
    });
    await publish(subject, 0, 5);
    await waitFor(() => handled.length === 5, { message: 'before restart' });

    await server.stopProcess();
    await server.start();
    // The client reconnects by itself; publishing succeeds again once it has.
    await waitFor(async () => {
      try {
        await publish(subject, 5, 10);
        return true;
      } catch {
        return false;
      }
    }, { message: 'publish after restart' });
    await waitFor(() => new Set(handled.map((h) => h.n)).size === 10, { timeoutMs: 20_000, message: 'after restart' });
    await consumer.stop();
    expect([...new Set(handled.map((h) => h.n))].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(handled[0].delivery).toMatchObject({ subject, deliveryCount: 1 });
  });
});
