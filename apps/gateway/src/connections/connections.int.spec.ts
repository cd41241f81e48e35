import { freePort, startPrometheus, waitFor, type TestServer } from '@clp/testing';
import { startGatewayHarness, type GatewayHarness } from '../gateway.fixtures';

const CONNECTIONS = '/api/integrations/connections';
const SECRET = 'prometheus-bearer-4b7e1d';

describe('connections over HTTP (real NATS, Redis, registry and Prometheus)', () => {
  let h: GatewayHarness;
  let prometheus: TestServer;
  let operator: string;
  let admin: string;
  let viewer: string;
  const bodies: string[] = [];

  beforeAll(async () => {
    [h, prometheus] = await Promise.all([startGatewayHarness(), startPrometheus()]);
    operator = h.token('org-c', 'olivia', 'operator');
    admin = h.token('org-c', 'ada', 'admin');
    viewer = h.token('org-c', 'vic', 'viewer');
  });

  afterAll(async () => {
    await Promise.all([h?.stop(), prometheus?.stop()]);
  });

  /** Every answer is kept, to check that no secret ever comes back. */
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const answer = await h.request(method, path, { token, body });
    bodies.push(answer.text);
    return answer;
  };

  const listed = (query: string, count: number) =>
    waitFor(
      async () => {
        const page = (await call('GET', `${CONNECTIONS}?${query}`, viewer)).body;
        return page.total_count === count ? page : undefined;
      },
      { message: `${count} connections for ${query}` },
    );

  it('lists the connection definitions with their forms and allowed transitions', async () => {
    const answer = await call('GET', '/api/integrations/connection-definitions', viewer);
    expect(answer.status).toBe(200);
    const prom = answer.body.definitions.find((d: { kind: string }) => d.kind === 'prometheus');
    expect(prom).toMatchObject({ type: 'observability', connection_schema: { required: ['url'] }, auto_connect: false });
    expect(prom.allowed_transitions.registered.user).toEqual(expect.arrayContaining(['connected', 'maintenance', 'deleted']));
    expect(answer.body.definitions.map((d: { kind: string }) => d.kind)).toEqual(expect.arrayContaining(['kubernetes', 'grafana', 'meshery']));
  });

  it('registers, reads, lists, updates, transitions, tests and deletes a connection, keeping its history', async () => {
    const created = await call('POST', CONNECTIONS, operator, {
      kind: 'prometheus',
      name: 'metrics',
      metadata: { url: prometheus.url },
      credential_secret: { token: SECRET },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'prometheus', name: 'metrics', status: 'registered', organization_id: 'org-c' });
    expect(created.body.credential_id).toEqual(expect.any(String));
    const id = created.body.id;
    const path = `${CONNECTIONS}/${id}`;

    expect((await call('GET', path, viewer)).body).toMatchObject({ id, status: 'registered' });
    const page = await listed('status=["registered"]&kind=prometheus', 1);
    expect(page).toMatchObject({ page: 0, page_size: 10, connections: [{ id }], status_summary: { registered: 1 } });
    expect((await listed('status=connected', 0)).connections).toEqual([]);

    const renamed = await call('PUT', path, operator, { name: 'metrics (staging)', metadata: { environment: 'staging' } });
    expect(renamed).toMatchObject({ status: 200, body: { name: 'metrics (staging)', metadata: { url: prometheus.url, environment: 'staging' } } });

    // A person's connect runs the connectivity test against the real Prometheus first.
    const connected = await call('PUT', path, operator, { status: 'connected', reason: 'went live' });
    expect(connected).toMatchObject({ status: 200, body: { status: 'connected', name: 'metrics (staging)' } });

    const both = await call('PUT', path, operator, { name: 'metrics (maintenance)', status: 'maintenance' });
    expect(both).toMatchObject({ status: 200, body: { name: 'metrics (maintenance)', status: 'maintenance' } });

    const refused = await call('PUT', path, operator, { status: 'discovered' });
    expect(refused).toMatchObject({
      status: 409,
      body: { error: { code: 'invalid_transition', details: { from: 'maintenance', to: 'discovered', allowed: ['connected', 'disconnected', 'deleted'] } } },
    });

    const probe = await call('POST', `${path}/test`, operator);
    expect(probe).toMatchObject({ status: 200, body: { ok: true, check: expect.any(String) } });

    await listed('search=staging&order=name%20asc', 0);
    const byName = await listed('name=maintenance&order=created_at%20asc', 1);
    expect(byName.connections[0]).toMatchObject({ id, status: 'maintenance' });

    const deleted = await call('DELETE', path, admin);
    expect(deleted).toMatchObject({ status: 200, body: { id, status: 'deleted' } });
    expect(await call('GET', path, viewer)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    await listed('kind=prometheus', 0);

    const history = await call('GET', `${path}/history`, viewer);
    expect(history.status).toBe(200);
    const events = history.body.events as { type: string; data: { to?: string }; actor: string }[];
    expect(events.map((e) => [e.type, e.data.to])).toEqual([
      ['ConnectionRegistered', undefined],
      ['ConnectionUpdated', undefined],
      ['StatusChanged', 'connected'],
      ['ConnectionUpdated', undefined],
      ['StatusChanged', 'maintenance'],
      ['StatusChanged', 'deleted'],
      ['ConnectionDeleted', undefined],
    ]);
    expect(events[2].actor).toBe('olivia');
  });

  it('registers a resource whose test fails in not found, and refuses to register it until the test passes', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const created = await call('POST', CONNECTIONS, operator, { kind: 'prometheus', name: 'gone', metadata: { url: closed } });
    expect(created).toMatchObject({ status: 201, body: { status: 'not found' } });
    const path = `${CONNECTIONS}/${created.body.id}`;

    const refused = await call('PUT', path, operator, { status: 'registered' });
    expect(refused).toMatchObject({ status: 422, body: { error: { code: 'connectivity_failed', details: { probe: { ok: false } } } } });
    expect((await call('GET', path, viewer)).body.status).toBe('not found');

    const again = await call('POST', CONNECTIONS, operator, { kind: 'prometheus', name: 'gone again', metadata: { url: closed } });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'conflict', details: { connection_id: created.body.id } } } });

    // An admin may skip the test.
    const skipped = await call('PUT', path, admin, { status: 'registered', skip_connectivity_test: true });
    expect(skipped).toMatchObject({ status: 200, body: { status: 'registered' } });
  });

  it('tests a form without storing anything', async () => {
    const ok = await call('POST', `${CONNECTIONS}/test`, operator, { kind: 'prometheus', metadata: { url: prometheus.url }, credential_secret: { token: SECRET } });
    expect(ok).toMatchObject({ status: 200, body: { ok: true } });
    const closed = `http://127.0.0.1:${await freePort()}`;
    const failed = await call('POST', `${CONNECTIONS}/test`, operator, { kind: 'prometheus', metadata: { url: closed } });
    expect(failed).toMatchObject({ status: 200, body: { ok: false, error: expect.any(String) } });
    const forbidden = await call('POST', `${CONNECTIONS}/test`, viewer, { kind: 'prometheus', metadata: { url: closed } });
    expect(forbidden.status).toBe(403);
  });

  it('registers in two steps: init returns a tracker and the forms, register with it creates the connection once', async () => {
    const started = await call('POST', `${CONNECTIONS}/register`, operator, { status: 'init', kind: 'grafana' });
    expect(started).toMatchObject({ status: 201, body: { id: expect.any(String), connection: { required: ['url'] }, credential: { type: 'object' } } });

    const closed = `http://127.0.0.1:${await freePort()}`;
    const step = { id: started.body.id, status: 'register', kind: 'grafana', name: 'dashboards', metadata: { url: closed } };
    const registered = await call('POST', `${CONNECTIONS}/register`, operator, step);
    expect(registered).toMatchObject({ status: 201, body: { kind: 'grafana', name: 'dashboards', status: 'not found' } });
    const repeated = await call('POST', `${CONNECTIONS}/register`, operator, step);
    expect(repeated.body.id).toBe(registered.body.id);

    const otherKind = await call('POST', `${CONNECTIONS}/register`, operator, { ...step, kind: 'prometheus' });
    expect(otherKind).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', details: { fields: [{ field: 'kind' }] } } } });
  });

  it('never returned the inline secret', () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const body of bodies) expect(body).not.toContain(SECRET);
  });
});
