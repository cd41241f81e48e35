import { startPrometheus, waitFor, type TestServer } from '@clp/testing';
import { startKubernetesStandIn, type KubernetesStandIn } from '../../libs/connectivity/src/checks/kubernetes-api.fixtures';
import { makeTestCertificates } from '../../libs/connectivity/src/test-certificates.fixtures';
import { startSystem, type RunningSystem } from './system.fixtures';

// The seed documents' examples, over HTTP only, against the real services (registry and gateway
// processes, NATS, Redis, a real prometheus; a stand-in Kubernetes API, since none can run here).
const ORG = 'org-seed';
const operator = { organization_id: ORG, role: 'operator' as const };
const admin = { organization_id: ORG, role: 'admin' as const };
const viewer = { organization_id: ORG, role: 'viewer' as const };
const CLUSTER_TOKEN = `cluster-token-${Date.now().toString(36)}-do-not-show`;
const REGISTRY_PASSWORD = `registry-password-${Date.now().toString(36)}-do-not-show`;

const CONNECTIONS = '/api/integrations/connections';
const query = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;

describe('connections over HTTP (e2e: real services)', () => {
  let system: RunningSystem;
  let prometheus: TestServer;
  let cluster: KubernetesStandIn;
  let ca: string;

  beforeAll(async () => {
    const certificates = makeTestCertificates();
    ca = certificates.ca;
    [system, prometheus, cluster] = await Promise.all([startSystem(), startPrometheus(), startKubernetesStandIn(certificates, CLUSTER_TOKEN)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([system?.stop(), prometheus?.stop(), cluster?.close()]);
  });

  it('walks through the seed: create a prometheus connection, list connected clusters, update meshsync mode, delete', async () => {
    const created = await system.http('POST', CONNECTIONS, { as: operator, body: { kind: 'prometheus', name: 'prometheus', metadata: { url: prometheus.url } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'prometheus', type: 'observability', name: 'prometheus', status: 'registered', metadata: { url: prometheus.url } });
    const connected = await system.http('PUT', `${CONNECTIONS}/${created.body.id}`, { as: operator, body: { status: 'connected' } });
    expect(connected).toMatchObject({ status: 200, body: { status: 'connected' } });

    const clusterConnection = await system.http('POST', CONNECTIONS, {
      as: operator,
      body: { kind: 'kubernetes', name: 'cluster', metadata: { server: cluster.url }, credential_secret: { token: CLUSTER_TOKEN, certificate_authority: ca } },
    });
    expect(clusterConnection.status).toBe(201);
    const clusterId = clusterConnection.body.id;
    expect((await system.http('PUT', `${CONNECTIONS}/${clusterId}`, { as: operator, body: { status: 'connected' } })).body).toMatchObject({ status: 'connected' });
    // A registered cluster that is not connected must not be listed.
    const idle = await system.http('POST', CONNECTIONS, { as: operator, body: { kind: 'kubernetes', name: 'idle', metadata: { server: cluster.url, user: 'other' } } });
    expect(idle.status).toBe(201);

    const listPath = `${CONNECTIONS}${query({ status: '["connected"]', kind: '["kubernetes"]', pagesize: '25' })}`;
    await waitFor(async () => (await system.http('GET', listPath, { as: viewer })).body.total_count === 1, { timeoutMs: 10_000, message: 'the cluster in the list' });
    const listed = await system.http('GET', listPath, { as: viewer });
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ page: 0, page_size: 25, total_count: 1 });
    expect(listed.body.connections.map((c: { id: string }) => c.id)).toEqual([clusterId]);
    expect(listed.body.status_summary).toMatchObject({ connected: 2 });

    const updated = await system.http('PUT', `${CONNECTIONS}/${clusterId}`, { as: operator, body: { metadata: { meshsync_deployment_mode: 'edge' } } });
    expect(updated.status).toBe(200);
    expect(updated.body.metadata).toEqual({ server: cluster.url, meshsync_deployment_mode: 'edge' });
    expect((await system.http('GET', `${CONNECTIONS}/${clusterId}`, { as: viewer })).body.metadata).toMatchObject({ meshsync_deployment_mode: 'edge' });

    const deleted = await system.http('DELETE', `${CONNECTIONS}/${clusterId}`, { as: admin });
    expect(deleted.status).toBe(200);
    expect((await system.http('GET', `${CONNECTIONS}/${clusterId}`, { as: viewer })).status).toBe(404);
    await waitFor(async () => (await system.http('GET', listPath, { as: viewer })).body.total_count === 0, { timeoutMs: 10_000, message: 'the cluster gone from the list' });
    const history = await system.http('GET', `${CONNECTIONS}/${clusterId}/history`, { as: viewer });
    expect(history.status).toBe(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['ConnectionRegistered', 'StatusChanged', 'ConnectionUpdated', 'ConnectionDeleted']),
    );
  });

  it('registers in two steps: init answers a tracker id and the forms, register creates the connection once', async () => {
    const init = await system.http('POST', `${CONNECTIONS}/register`, { as: operator, body: { status: 'init', kind: 'prometheus' } });
    expect(init.status).toBe(201);
    expect(init.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(init.body.connection).toMatchObject({ type: 'object', required: ['url'] });
    expect(init.body.credential).toMatchObject({ type: 'object' });

    const registration = { id: init.body.id, status: 'register', kind: 'prometheus', name: 'prom-two-step', metadata: { url: `${prometheus.url}/two-step` } };
    const registered = await system.http('POST', `${CONNECTIONS}/register`, { as: operator, body: registration });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ name: 'prom-two-step', kind: 'prometheus' });
    const again = await system.http('POST', `${CONNECTIONS}/register`, { as: operator, body: registration });
    expect(again.body.id).toBe(registered.body.id);
    const byName = await system.http('GET', `${CONNECTIONS}${query({ name: 'two-step' })}`, { as: viewer });
    expect(byName.body.total_count).toBe(1);
  });

  it('keeps credential secrets out of every response', async () => {
    const created = await system.http('POST', '/api/integrations/credentials', {
      as: admin,
      body: { name: 'registry login', kind: 'container-registry', secret: { username: 'ci', password: REGISTRY_PASSWORD } },
    });
    expect(created.status).toBe(201);
    const id = created.body.credential_id;
    expect((await system.http('GET', `/api/integrations/credentials/${id}`, { as: viewer })).status).toBe(200);
    expect((await system.http('GET', '/api/integrations/credentials', { as: viewer })).body.total_count).toBeGreaterThanOrEqual(1);
    expect((await system.http('PUT', `/api/integrations/credentials/${id}`, { as: admin, body: { secret: { username: 'ci', password: `${REGISTRY_PASSWORD}-2` } } })).status).toBe(200);
    // A refused secret is not echoed in the error either.
    const refused = await system.http('POST', '/api/integrations/credentials', { as: admin, body: { name: 'bad', kind: 'container-registry', secret: { password: REGISTRY_PASSWORD } } });
    expect(refused.status).toBe(400);
    expect((await system.http('DELETE', `/api/integrations/credentials/${id}`, { as: admin })).status).toBe(200);

    // Every body this suite has seen, including the cluster's inline credential above.
    expect(system.bodies.length).toBeGreaterThan(10);
    for (const body of system.bodies) {
      expect(body).not.toContain(CLUSTER_TOKEN);
      expect(body).not.toContain(REGISTRY_PASSWORD);
    }
  });
});
