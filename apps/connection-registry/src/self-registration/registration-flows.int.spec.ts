import type { INestMicroservice } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import { SUBJECTS, type Caller, type ConnectionPage, type ConnectionView, type InitRegistrationReply, type Reply } from '@clp/contracts';
import { Requester } from '@clp/messaging';
import { startNats, startPrometheus, startRedis, waitFor, type TestServer } from '@clp/testing';
import type { RegistryConfig } from '../config';
import { createRegistry } from '../registry';

const R = SUBJECTS.registry;
const operator: Caller = { organization_id: 'org-r', user_id: 'olivia', role: 'operator' };
const server = { organization_id: 'org-r', server_id: 'srv-1', server_version: '1.2.3', server_build_sha: 'abc123', server_location: 'http://localhost:8080' };

const result = <T>(reply: Reply<T>): T => {
  if ('error' in reply) throw new Error(`unexpected error reply: ${JSON.stringify(reply.error)}`);
  return reply.result;
};

describe('self-registration and the two-step registration (real NATS, Redis and Prometheus)', () => {
  let nats: TestServer;
  let redis: TestServer;
  let prometheus: TestServer;
  let app: INestMicroservice;
  let nc: NatsConnection;
  let api: Requester;
  let config: RegistryConfig;

  beforeAll(async () => {
    [nats, redis, prometheus] = await Promise.all([startNats(), startRedis(), startPrometheus()]);
    config = { natsUrl: nats.url, redisUrl: redis.url, instanceName: 'registry-flows', readModelPrefix: 'registry:v1:', connectivityTimeoutMs: 2000, intakeConcurrency: 4, server };
    app = await createRegistry(config, false);
    await app.listen();
    nc = await connect({ servers: nats.url });
    api = new Requester(nc, { timeoutMs: 10_000 });
  });

  afterAll(async () => {
    await nc?.close();
    await app?.close();
    await Promise.all([nats, redis, prometheus].map((s) => s?.stop()));
  });

  const servers = async () =>
    result((await api.send(R.listConnections, { caller: operator, kind: ['meshery'] })) as Reply<ConnectionPage>);

  it('the server registers itself as a connected meshery connection, once across restarts', async () => {
    const page = await waitFor(async () => ((await servers()).total_count === 1 ? servers() : undefined));
    expect(page.connections[0]).toMatchObject({
      kind: 'meshery',
      type: 'platform',
      sub_type: 'management',
      status: 'connected',
      metadata: { server_id: 'srv-1', server_version: '1.2.3', server_build_sha: 'abc123', server_location: 'http://localhost:8080' },
    });
    await app.close();
    app = await createRegistry(config, false);
    await app.listen();
    const again = await servers();
    expect(again.total_count).toBe(1);
    expect(again.connections[0].connection_id).toBe(page.connections[0].connection_id);
  });

  it('init returns a tracker id and the forms; register with it registers once', async () => {
    const init = result((await api.send(R.initRegistration, { caller: operator, kind: 'prometheus' })) as Reply<InitRegistrationReply>);
    expect(init.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(init.connection).toMatchObject({ required: ['url'] });
    expect(init.credential).toMatchObject({ type: 'object' });

    const register = () =>
      api.send(R.completeRegistration, { caller: operator, id: init.id, kind: 'prometheus', name: 'two-step', metadata: { url: prometheus.url } }) as Promise<
        Reply<ConnectionView>
      >;
    const first = result(await register());
    expect(first).toMatchObject({ name: 'two-step', status: 'registered' });
    expect(result(await register()).connection_id).toBe(first.connection_id);

    expect(await api.send(R.completeRegistration, { caller: operator, id: init.id, kind: 'grafana', name: 'x', metadata: { url: prometheus.url } })).toMatchObject({
      error: { code: 'validation_failed', details: { fields: [{ field: 'kind' }] } },
    });
    const otherOrg = { ...operator, organization_id: 'org-other' };
    expect(await api.send(R.completeRegistration, { caller: otherOrg, id: init.id, kind: 'prometheus', name: 'x', metadata: { url: prometheus.url } })).toMatchObject({
      error: { code: 'not_found' },
    });
  });
});
