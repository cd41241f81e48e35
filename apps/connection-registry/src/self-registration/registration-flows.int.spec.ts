import { SUBJECTS, type Caller, type ConnectionPage, type ConnectionView, type InitRegistrationReply, type Reply } from '@clp/contracts';
import type { Requester } from '@clp/messaging';
import { startPrometheus, waitFor, type TestServer } from '@clp/testing';
import { result, startRegistryHarness, type RegistryHarness } from '../registry.fixtures';

const R = SUBJECTS.registry;
const operator: Caller = { organization_id: 'org-r', user_id: 'olivia', role: 'operator' };
const server = { organization_id: 'org-r', server_id: 'srv-1', server_version: '1.2.3', server_build_sha: 'abc123', server_location: 'http://localhost:8080' };


describe('self-registration and the two-step registration (real NATS, Redis and Prometheus)', () => {
  let h: RegistryHarness;
  let prometheus: TestServer;
  let api: Requester;

  beforeAll(async () => {
    [h, prometheus] = await Promise.all([startRegistryHarness({ instanceName: 'registry-flows', server }), startPrometheus()]);
    ({ api } = h);
  });

  afterAll(async () => {
    await Promise.all([h?.stop(), prometheus?.stop()]);
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
    await h.restart();
    const again = await servers();
    expect(again.total_count).toBe(1);
    expect(again.connections[0].id).toBe(page.connections[0].id);
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
    expect(result(await register()).id).toBe(first.id);

    expect(await api.send(R.completeRegistration, { caller: operator, id: init.id, kind: 'grafana', name: 'x', metadata: { url: prometheus.url } })).toMatchObject({
      error: { code: 'validation_failed', details: { fields: [{ field: 'kind' }] } },
    });
    const otherOrg = { ...operator, organization_id: 'org-other' };
    expect(await api.send(R.completeRegistration, { caller: otherOrg, id: init.id, kind: 'prometheus', name: 'x', metadata: { url: prometheus.url } })).toMatchObject({
      error: { code: 'not_found' },
    });
  });
});
