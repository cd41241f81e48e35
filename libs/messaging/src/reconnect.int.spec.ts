import 'reflect-metadata';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { connect, Events, JSONCodec, type NatsConnection } from 'nats';
import { CONDITION_TIMEOUT_MS, startNats, waitFor, type TestServer } from '@clp/testing';
import { connectNats, natsConnectionOptions } from './connection';
import { consumeDurable, type RunningConsumer } from './durable-consumer';
import { natsMicroserviceOptions, ReplyExceptionFilter } from './nest-replies';
import { ReplyInbox } from './reply-inbox';
import { Requester } from './requester';
import { ensureStream } from './streams';

/** Long enough that a request left waiting for its timeout cannot pass for one that was answered. */
const LONG_TIMEOUT_MS = 60_000;
const codec = JSONCodec<unknown>();
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

@Controller()
class EchoController {
  @MessagePattern('test.cmd.echo')
  echo(@Payload() request: { n: number }) {
    return { n: request.n };
  }
}
@Module({ controllers: [EchoController] })
class EchoModule {}

/** Resolves on the client's next status event of `type`. */
const nextStatus = async (nc: NatsConnection, type: Events): Promise<void> => {
  for await (const status of nc.status()) if (status.type === type) return;
};

describe('requests across a restart of the nats-server (same port, same store)', () => {
  let server: TestServer;
  let service: INestMicroservice;
  let lateResponder: NatsConnection;
  let nc: NatsConnection;
  let requester: Requester;
  let consumer: RunningConsumer;
  const consumed: number[] = [];

  beforeAll(async () => {
    server = await startNats();
    service = await NestFactory.createMicroservice(EchoModule, { ...natsMicroserviceOptions({ servers: server.url, name: 'echo' }, 'echo'), logger: false });
    service.useGlobalFilters(new ReplyExceptionFilter());
    await service.listen();
    // A service that comes back seconds after the caller: until it re-subscribes the server has no responder.
    lateResponder = await connect({ ...natsConnectionOptions({ servers: server.url, name: 'late' }), reconnectTimeWait: 2000, reconnectJitter: 0 });
    lateResponder.subscribe('test.cmd.late', {
      queue: 'late',
      callback: (_, msg) => {
        const { id, data } = codec.decode(msg.data) as { id: string; data: { n: number } };
        msg.respond(codec.encode({ id, response: { result: { late: data.n } }, isDisposed: true }));
      },
    });
    await lateResponder.flush();
    nc = await connectNats({ servers: server.url, name: 'caller' });
    requester = new Requester(nc, { timeoutMs: LONG_TIMEOUT_MS });
    await ensureStream(await nc.jetstreamManager(), { name: 'RESTART', subjects: ['restart.>'] });
    consumer = await consumeDurable<{ n: number }>(nc, { stream: 'RESTART', durable: 'restart', logger: quiet, handle: async ({ n }) => void consumed.push(n) });
  });

  afterAll(async () => {
    await consumer.stop();
    await nc.close();
    await lateResponder.close();
    await service.close();
    await server.stop();
  });

  it('answers a request sent during the outage and every request sent as soon as the client is back, none at its timeout', async () => {
    expect(await requester.send('test.cmd.echo', { n: 0 })).toEqual({ result: { n: 0 } });
    expect(await requester.send('test.cmd.late', { n: 0 })).toEqual({ result: { late: 0 } });

    const disconnected = nextStatus(nc, Events.Disconnect);
    await server.stopProcess();
    await disconnected;
    // nats.js drops what is published while disconnected: this one is held until the bus is back.
    const duringOutage = requester.send('test.cmd.echo', { n: 1 });

    const reconnected = nextStatus(nc, Events.Reconnect);
    await server.start();
    await reconnected;
    const inbox = new ReplyInbox(nc);
    const [echoes, lates, ack] = await Promise.all([
      Promise.all(Array.from({ length: 20 }, (_, i) => requester.send('test.cmd.echo', { n: 10 + i }))),
      Promise.all(Array.from({ length: 5 }, (_, i) => requester.send('test.cmd.late', { n: 10 + i }))),
      // JetStream loads its streams after the server listens: an append right away finds no stream yet.
      inbox.request('restart.items', codec.encode({ n: 7 }), { timeoutMs: LONG_TIMEOUT_MS }),
    ]);
    inbox.close();

    expect(await duringOutage).toEqual({ result: { n: 1 } });
    expect(echoes).toEqual(Array.from({ length: 20 }, (_, i) => ({ result: { n: 10 + i } })));
    expect(lates).toEqual(Array.from({ length: 5 }, (_, i) => ({ result: { late: 10 + i } })));
    expect(codec.decode(ack.data)).toMatchObject({ stream: 'RESTART', seq: 1 });
    // The durable consumer carries on with what was appended after the restart.
    await waitFor(() => consumed.includes(7), { timeoutMs: CONDITION_TIMEOUT_MS, message: 'the durable consumer got the message appended after the restart' });
  });

  it('answers a request held through an outage longer than its timeout as the bus being unreachable', async () => {
    const disconnected = nextStatus(nc, Events.Disconnect);
    await server.stopProcess();
    await disconnected;
    const reply = await requester.send('test.cmd.echo', { n: 2 }, { timeoutMs: 300 });
    const reconnected = nextStatus(nc, Events.Reconnect);
    await server.start();
    await reconnected;
    expect(reply).toEqual({ error: { code: 'unavailable', message: 'the message bus is not reachable', details: { subject: 'test.cmd.echo' } } });
    expect(await requester.send('test.cmd.echo', { n: 3 })).toEqual({ result: { n: 3 } });
  });

  it('still answers a subject nobody serves as unavailable once the services had time to re-subscribe', async () => {
    expect(await requester.send('test.cmd.nobody', {}, { timeoutMs: LONG_TIMEOUT_MS })).toMatchObject({
      error: { code: 'unavailable', message: 'no service answers test.cmd.nobody' },
    });
  });
});
