import { createServer, type Server, type Socket } from 'node:net';
import { connect, type NatsConnection } from 'nats';
import { SUBJECTS, type Caller } from '@clp/contracts';
import { Requester } from '@clp/messaging';
import { freePort, startNats, startRedis, startService, waitFor, type RunningService, type TestServer } from '@clp/testing';

const operator: Caller = { organization_id: 'org-stop', user_id: 'olivia', role: 'operator' };

// A request a replica has taken when it is told to stop (SIGTERM) is answered before it exits;
// requests sent meanwhile go to the other replica, none waits for its timeout.
describe('a registry replica stopping gracefully (real processes, NATS and Redis)', () => {
  let nats: TestServer;
  let redis: TestServer;
  let nc: NatsConnection;
  let hanging: Server;
  let hangingUrl: string;
  const sockets: Socket[] = [];
  const replicas: RunningService[] = [];

  // The held request's connectivity test lasts its whole timeout: long enough to start another replica meanwhile.
  const startReplica = (name: string) =>
    startService({
      name,
      entry: 'apps/connection-registry/src/main.ts',
      env: { NATS_URL: nats.url, REDIS_URL: redis.url, INSTANCE_NAME: name, CONNECTIVITY_TIMEOUT_MS: '12000' },
      ready: new RegExp(`${name} listening`),
    });

  beforeAll(async () => {
    [nats, redis] = await Promise.all([startNats(), startRedis()]);
    nc = await connect({ servers: nats.url });
    // A Prometheus that accepts the connection and never answers: the connectivity test waits for its timeout.
    hanging = createServer((socket) => sockets.push(socket));
    const port = await freePort();
    await new Promise<void>((resolve) => hanging.listen(port, '127.0.0.1', resolve));
    hangingUrl = `http://127.0.0.1:${port}`;
    replicas.push(await startReplica('registry-stopping'));
  }, 60_000);

  afterAll(async () => {
    sockets.forEach((socket) => socket.destroy());
    hanging?.close();
    await Promise.all(replicas.map((replica) => replica.kill()));
    await nc?.close();
    await Promise.all([nats, redis].map((server) => server?.stop()));
  });

  it('answers the request it holds, then exits; the other replica takes the new ones', async () => {
    const api = new Requester(nc, { timeoutMs: 30_000 });
    const held = api.send(SUBJECTS.registry.testConnection, { caller: operator, kind: 'prometheus', metadata: { url: hangingUrl } });
    await waitFor(async () => sockets.length > 0, { message: 'the connectivity test under way' });
    // The second replica, then the first told to stop while it holds the request.
    replicas.push(await startReplica('registry-staying'));
    const stopping = replicas[0].stop();
    const meanwhile = await api.send(SUBJECTS.registry.listConnections, { caller: { ...operator, role: 'viewer' } });
    expect(meanwhile).toMatchObject({ result: { total_count: expect.any(Number) } });
    expect(await held).toMatchObject({ result: { ok: false } });
    await stopping;
  }, 60_000);
});
