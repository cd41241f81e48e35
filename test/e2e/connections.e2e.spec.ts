import { startPrometheus, waitFor, type TestServer } from '@clp/testing';
import { GIT_VERSION, KUBE_SYSTEM_UID, startKubernetesStandIn, type KubernetesStandIn } from '../../libs/connectivity/src/checks/kubernetes-api.fixtures';
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
    [system, prometheus, cluster] = await Promise.all([startSystem({ validateResponses: true }), startPrometheus(), startKubernetesStandIn(certificates, CLUSTER_TOKEN)]);
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
    // The connectivity test of the transition learned the cluster's version and identity.
    const clusterMetadata = { server: cluster.url, version: GIT_VERSION, server_id: KUBE_SYSTEM_UID };
    expect((await system.http('PUT', `${CONNECTIONS}/${clusterId}`, { as: operator, body: { status: 'connected' } })).body).toMatchObject({
      status: 'connected',
      metadata: clusterMetadata,
    });
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
    expect(updated.body.metadata).toEqual({ ...clusterMetadata, meshsync_deployment_mode: 'edge' });
    expect((await system.http('GET', `${CONNECTIONS}/${clusterId}`, { as: viewer })).body.metadata).toMatchObject({ meshsync_deployment_mode: 'edge' });
    // The mode change is an event of its own, and the notification center says so.
    const modeChanges = async () =>
      (await system.http('GET', `/api/system/events?pagesize=100`, { as: viewer })).body.events.filter(
        (n: { acted_upon: string; action: string }) => n.acted_upon === clusterId && n.action === 'meshsync_mode_changed',
      );
    await waitFor(async () => (await modeChanges()).length === 1, { message: 'the MeshSync mode notification' });
    expect((await modeChanges())[0].description).toContain('from cluster to edge');
    // Other kinds have no MeshSync: refused, naming the field.
    const refused = await system.http('PUT', `${CONNECTIONS}/${created.body.id}`, { as: operator, body: { metadata: { meshsync_deployment_mode: 'edge' } } });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', details: { fields: [{ field: 'metadata.meshsync_deployment_mode' }] } } } });

    const deleted = await system.http('DELETE', `${CONNECTIONS}/${clusterId}`, { as: admin });
    expect(deleted.status).toBe(200);
    expect((await system.http('GET', `${CONNECTIONS}/${clusterId}`, { as: viewer })).status).toBe(404);
    await waitFor(async () => (await system.http('GET', listPath, { as: viewer })).body.total_count === 0, { timeoutMs: 10_000, message: 'the cluster gone from the list' });
    const history = await system.http('GET', `${CONNECTIONS}/${clusterId}/history`, { as: viewer });
    expect(history.status).toBe(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['ConnectionRegistered', 'StatusChanged', 'ConnectionUpdated', 'MeshSyncModeChanged', 'ConnectionDeleted']),
    );
  });

  it("answers Meshery's fields; checks type and sub_type against the kind; tags, environments and the status counts", async () => {
    const olga = system.token({ ...operator, user_id: 'olga' });
    const as = `Bearer ${olga}`;
    const body = { kind: 'prometheus', type: 'observability', sub_type: 'monitoring', name: 'tagged', metadata: { url: prometheus.url.replace('127.0.0.1', 'localhost') } };
    for (const [field, wrong, expected] of [
      ['type', 'platform', 'observability'],
      ['sub_type', 'dashboards', 'monitoring'],
    ]) {
      const refused = await system.http('POST', CONNECTIONS, { as, body: { ...body, [field]: wrong } });
      expect(refused).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', details: { fields: [{ field }] } } } });
      expect(refused.body.error.details.fields[0].reasons[0]).toContain(`"${expected}"`);
    }
    const staging = (await system.http('POST', '/api/environments', { as, body: { name: 'staging-fields' } })).body;
    const unknown = await system.http('POST', CONNECTIONS, { as, body: { ...body, environment_ids: [staging.id, '3b241101-e2bb-4255-8caf-4136c566a962'] } });
    expect(unknown).toMatchObject({ status: 400, body: { error: { details: { fields: [{ field: 'environment_ids.1' }] } } } });

    const created = await system.http('POST', CONNECTIONS, { as, body: { ...body, tags: ['prod', 'team-a'], environment_ids: [staging.id] } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'tagged',
      kind: 'prometheus',
      type: 'observability',
      sub_type: 'monitoring',
      status: 'registered',
      credential_id: null,
      user_id: 'olga',
      organization_id: ORG,
      deleted_at: null,
      tags: ['prod', 'team-a'],
      environments: [{ id: staging.id, name: 'staging-fields' }],
    });
    expect(created.body).not.toHaveProperty('connection_id');
    // The read model shows the same: the environments follow the environment service's events.
    const read = async () => (await system.http('GET', `${CONNECTIONS}/${id}`, { as: viewer })).body;
    await waitFor(async () => (await read()).environments?.length === 1, { message: 'the environment on the connection' });
    expect(await read()).toMatchObject({ id, user_id: 'olga', deleted_at: null, tags: ['prod', 'team-a'], environments: [{ id: staging.id, name: 'staging-fields' }] });

    // Renaming the environment reaches the connection; unassigning removes it.
    expect((await system.http('PUT', `/api/environments/${staging.id}`, { as, body: { name: 'staging-renamed' } })).status).toBe(200);
    await waitFor(async () => (await read()).environments[0]?.name === 'staging-renamed', { message: 'the renamed environment' });
    const listedWith = async (q: Record<string, string>) => (await system.http('GET', `${CONNECTIONS}${query(q)}`, { as: viewer })).body;
    expect((await listedWith({ name: 'tagged' })).connections[0].environments).toEqual([{ id: staging.id, name: 'staging-renamed' }]);
    expect((await system.http('DELETE', `/api/environments/${staging.id}/connections/${id}`, { as })).status).toBe(200);
    await waitFor(async () => (await read()).environments.length === 0, { message: 'the unassigned environment gone' });

    // Tags: a filter (any of them, alone or with others), part of the search, and changed by PUT.
    const other = await system.http('POST', CONNECTIONS, { as, body: { ...body, name: 'untagged', metadata: { url: `${prometheus.url}/untagged` } } });
    expect(other.body.tags).toEqual([]);
    const names = async (q: Record<string, string>) => (await listedWith(q)).connections.map((c: { name: string }) => c.name).sort();
    await waitFor(async () => (await names({ search: 'tagged' })).length === 2, { message: 'both in the list' });
    expect(await names({ tags: '["team-a"]' })).toEqual(['tagged']);
    expect(await names({ tags: '["team-a","prod"]' })).toEqual(['tagged']);
    expect(await names({ tags: '["team-a"]', kind: '["prometheus"]' })).toEqual(['tagged']);
    expect(await names({ tags: '["team-a"]', status: '["connected"]' })).toEqual([]);
    expect(await names({ search: 'team-a' })).toEqual(['tagged']);
    expect((await system.http('PUT', `${CONNECTIONS}/${other.body.id}`, { as, body: { tags: ['team-a'] } })).body.tags).toEqual(['team-a']);
    await waitFor(async () => (await names({ tags: '["team-a"]' })).length === 2, { message: 'the retagged connection' });
    expect((await system.http('POST', CONNECTIONS, { as, body: { ...body, name: 'dup', tags: ['a', 'a'] } })).body.error.details.fields[0].field).toBe('tags');

    // pagesize=all is the largest page; the status counts are Meshery's connections status page.
    expect((await listedWith({ pagesize: 'all' })).page_size).toBe(100);
    const counts = await system.http('GET', `${CONNECTIONS}/status`, { as: viewer });
    expect(counts.status).toBe(200);
    const summary = (await listedWith({})).status_summary;
    expect(counts.body.connections_status).toEqual(
      Object.entries(summary)
        .map(([status, count]) => ({ status, count }))
        .sort((a, b) => a.status.localeCompare(b.status)),
    );
    expect(counts.body.connections_status).toContainEqual({ status: 'registered', count: expect.any(Number) });

    // Deleted: the deleting answer says when; afterwards it is gone.
    const deleted = await system.http('DELETE', `${CONNECTIONS}/${id}`, { as: admin });
    expect(deleted.body).toMatchObject({ id, status: 'deleted', deleted_at: expect.any(String), environments: [] });
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
    const id = created.body.id;
    expect((await system.http('GET', `/api/integrations/credentials/${id}`, { as: viewer })).status).toBe(200);
    expect((await system.http('GET', '/api/integrations/credentials', { as: viewer })).body.total_count).toBeGreaterThanOrEqual(1);
    expect((await system.http('PUT', `/api/integrations/credentials/${id}`, { as: admin, body: { secret: { username: 'ci', password: `${REGISTRY_PASSWORD}-2` } } })).status).toBe(200);
    // A refused secret is not echoed in the error either.
    const refused = await system.http('POST', '/api/integrations/credentials', { as: admin, body: { name: 'bad', kind: 'container-registry', secret: { password: REGISTRY_PASSWORD } } });
    expect(refused.status).toBe(400);
    // A credential is for its kind's connections only, however it is given to one.
    const prom = (await system.http('GET', `${CONNECTIONS}${query({ kind: 'prometheus', pagesize: '1' })}`, { as: viewer })).body.connections[0];
    const mismatched = [
      await system.http('PUT', `${CONNECTIONS}/${prom.id}`, { as: operator, body: { credential_id: id } }),
      await system.http('POST', CONNECTIONS, { as: operator, body: { kind: 'prometheus', name: 'wrong-credential', metadata: { url: 'http://127.0.0.1:9/x' }, credential_id: id } }),
      await system.http('POST', `${CONNECTIONS}/test`, { as: operator, body: { kind: 'prometheus', metadata: { url: 'http://127.0.0.1:9/x' }, credential_id: id } }),
    ];
    for (const reply of mismatched) {
      expect(reply).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', details: { fields: [{ field: 'credential_id' }] } } } });
    }
    expect((await system.http('DELETE', `/api/integrations/credentials/${id}`, { as: admin })).status).toBe(200);

    // Every body this suite has seen, including the cluster's inline credential above.
    expect(system.bodies.length).toBeGreaterThan(10);
    for (const body of system.bodies) {
      expect(body).not.toContain(CLUSTER_TOKEN);
      expect(body).not.toContain(REGISTRY_PASSWORD);
    }
  });

  it('answered every request above as the OpenAPI document says (the validating proxy saw no response violation)', () => {
    expect(system.bodies.length).toBeGreaterThan(20);
    expect(system.responseViolations).toEqual([]);
  });
});
