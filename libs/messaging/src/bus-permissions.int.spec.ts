import { AckPolicy, connect, StringCodec, type NatsConnection } from 'nats';
import { INTEGRATION_STREAMS, SUBJECTS } from '@clp/contracts';
import type { TestServer } from '@clp/testing';
import { EXTERNAL_SUBSCRIBER, natsUrlFor, redactUrl, type BusUser } from './bus-permissions';
import { startBus, type TestBus } from './bus.fixtures';
import { connectNats } from './connection';
import { ensureStream } from './streams';

const sc = StringCodec();
const PERMISSION = /Permissions Violation/;

describe('the bus with identities (nats-server run from natsServerConfig)', () => {
  let bus: TestBus;
  let nats: TestServer;
  let registry: NatsConnection;
  let external: NatsConnection;
  const opened: NatsConnection[] = [];
  const as = async (user: BusUser): Promise<NatsConnection> => {
    const nc = await connectNats({ servers: bus.urlFor(user), name: `${user}-test` });
    opened.push(nc);
    return nc;
  };

  beforeAll(async () => {
    bus = await startBus();
    nats = bus.server;
    registry = await as('connection-registry');
    await ensureStream(await registry.jetstreamManager(), INTEGRATION_STREAMS.connections);
    await ensureStream(await registry.jetstreamManager(), { name: 'ES_REGISTRY', subjects: ['es.registry.>'] });
    await registry.jetstream().publish('connection.events.postgres.ConnectionRegistered', sc.encode('{"n":1}'));
    await registry.jetstream().publish('es.registry.connection.1', sc.encode('{"secret":"event"}'));
    external = await connect({ servers: nats.url, user: 'external-subscriber', pass: bus.passwords['external-subscriber'], inboxPrefix: EXTERNAL_SUBSCRIBER.inboxPrefix });
    opened.push(external);
  });

  afterAll(async () => {
    await Promise.all(opened.map((nc) => nc.close().catch(() => undefined)));
    await nats?.stop();
  });

  it('refuses a connection without a known user and password', async () => {
    await expect(connect({ servers: nats.url })).rejects.toThrow(/Authorization Violation/);
    await expect(connect({ servers: nats.url, user: 'gateway', pass: 'wrong' })).rejects.toThrow(/Authorization Violation/);
  });

  it('lets the external subscriber create its durable consumer on CONNECTION_EVENTS and read an event', async () => {
    const jsm = await external.jetstreamManager({ checkAPI: false });
    await jsm.consumers.add(INTEGRATION_STREAMS.connections.name, { durable_name: EXTERNAL_SUBSCRIBER.durable, ack_policy: AckPolicy.Explicit });
    const consumer = await external.jetstream().consumers.get(INTEGRATION_STREAMS.connections.name, EXTERNAL_SUBSCRIBER.durable);
    const message = await consumer.next({ expires: 5000 });
    expect(message?.subject).toBe('connection.events.postgres.ConnectionRegistered');
    await message?.ackAck();
  });

  it('refuses the external subscriber publishing a registry command', async () => {
    await expect(external.request(SUBJECTS.registry.registerConnection, sc.encode('{}'), { timeout: 10_000 })).rejects.toThrow(
      /Permissions Violation for Publish to "registry.cmd.register-connection"/,
    );
  });

  it('refuses the external subscriber reading an event store stream', async () => {
    const jsm = await external.jetstreamManager({ checkAPI: false });
    await expect(jsm.consumers.add('ES_REGISTRY', { durable_name: EXTERNAL_SUBSCRIBER.durable, ack_policy: AckPolicy.None })).rejects.toThrow(
      /Permissions Violation for Publish to "\$JS.API.CONSUMER.CREATE.ES_REGISTRY/,
    );
    await expect(jsm.streams.getMessage('ES_REGISTRY', { seq: 1 })).rejects.toThrow(PERMISSION);
    await expect(external.jetstream().consumers.get('ES_REGISTRY').then((consumer) => consumer.next({ expires: 5000 }))).rejects.toThrow(PERMISSION);
  });

  it("refuses the external subscriber another service's durable consumer", async () => {
    const jsm = await external.jetstreamManager({ checkAPI: false });
    await expect(jsm.consumers.add(INTEGRATION_STREAMS.connections.name, { durable_name: 'notification-connections', ack_policy: AckPolicy.Explicit })).rejects.toThrow(PERMISSION);
  });

  it('refuses the external subscriber a subscription to registry commands', async () => {
    const violation = new Promise<string>((resolve) => external.subscribe('registry.cmd.>', { callback: (error) => error && resolve(error.message) }));
    await external.flush();
    await expect(violation).resolves.toMatch(/Permissions Violation for Subscription to "registry.cmd.>"/);
  });

  it('lets only discovery publish system transitions', async () => {
    const gateway = await as('gateway');
    await expect(gateway.request(SUBJECTS.registry.systemTransition, sc.encode('{}'), { timeout: 10_000 })).rejects.toThrow(
      /Permissions Violation for Publish to "registry.sys.transition"/,
    );
    const discovery = await as('discovery');
    // Allowed: nobody serves the subject here, so the server answers "no responders" instead.
    await expect(discovery.request(SUBJECTS.registry.systemTransition, sc.encode('{}'), { timeout: 10_000 })).rejects.toThrow(/503/);
    // Of the user subjects only the two a kubeconfig import uses, on the person's behalf.
    await expect(discovery.request(SUBJECTS.registry.transition, sc.encode('{}'), { timeout: 10_000 })).rejects.toThrow(/503/);
    await expect(discovery.request(SUBJECTS.registry.deleteConnection, sc.encode('{}'), { timeout: 10_000 })).rejects.toThrow(PERMISSION);
    await expect(discovery.request(SUBJECTS.environment.createEnvironment, sc.encode('{}'), { timeout: 10_000 })).rejects.toThrow(PERMISSION);
  });

  it('keeps passwords out of what is logged', () => {
    expect(redactUrl(natsUrlFor(nats.url, 'gateway', bus.passwords.gateway))).toBe(nats.url.replace('//', '//gateway:***@'));
  });
});
