import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ERROR_HTTP_STATUS, type ErrorCode } from '@clp/contracts';
import { freePort, startPrometheus, waitFor, WORKSPACE_ROOT, type TestServer } from '@clp/testing';
import { startGrafanaStandIn, type GrafanaStandIn } from '../../libs/connectivity/src/checks/grafana-api.fixtures';
import { GIT_VERSION, KUBE_SYSTEM_UID, startKubernetesStandIn, type KubernetesStandIn } from '../../libs/connectivity/src/checks/kubernetes-api.fixtures';
import { makeTestCertificates } from '../../libs/connectivity/src/test-certificates.fixtures';
import { startSystem, type HttpReply, type RunningSystem } from './system.fixtures';

// Issue 12's acceptance: every HTTP request of the five source documents (docs/design.md,
// appendix A), sent as the documents write them — bodies verbatim, query strings with their JSON
// arrays unencoded — with only hosts, ids and names replaced by real ones, against the real
// services (registry, environment and notification services, gateway; NATS, Redis, a real
// prometheus; stand-ins for the Kubernetes API and Grafana, which cannot run here). Each case
// asserts the documented outcome and the fields a Meshery client reads, then the same request in
// the camelCase spellings Meshery's current clients send. Every request goes through a validating
// proxy (Prism): the last case asserts no response disagreed with the served OpenAPI document. One describe per document; each case
// works in an organization of its own, so the counts it reads are its own.
const CONNECTIONS = '/api/integrations/connections';
const CREDENTIALS = '/api/integrations/credentials';
const ENVIRONMENTS = '/api/environments';
const WORKSPACES = '/api/workspaces';
const EVENTS = '/api/system/events';
const CLUSTER_TOKEN = `cluster-token-${Date.now().toString(36)}-do-not-show`;

const callers = (organization_id: string) => ({
  viewer: { organization_id, role: 'viewer' as const },
  operator: { organization_id, role: 'operator' as const },
  admin: { organization_id, role: 'admin' as const },
});

const UUID = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const TIME = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);

// Response bodies are read loosely, as any client of a JSON API reads them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A connection with every field a Meshery client reads (issue 12, item 2), and `expected`. */
const expectConnection = (connection: Json, expected: Record<string, unknown>) => {
  expect(connection).toMatchObject({
    id: UUID,
    metadata: expect.any(Object),
    user_id: expect.any(String),
    created_at: TIME,
    updated_at: TIME,
    deleted_at: null,
    environments: expect.any(Array),
    organization_id: expect.any(String),
    ...expected,
  });
  for (const field of ['name', 'kind', 'type', 'sub_type', 'status']) expect({ field, type: typeof connection[field] }).toEqual({ field, type: 'string' });
  expect(connection).toHaveProperty('credential_id');
  expect(connection).not.toHaveProperty('connection_id');
};

/** A success, or the error envelope in the failure message. */
const expectStatus = (reply: HttpReply, status: number) => expect({ status: reply.status, error: reply.body?.error }).toEqual({ status, error: undefined });
const fieldsOf = (reply: HttpReply): string[] => reply.body?.error?.details?.fields?.map((f: { field: string }) => f.field) ?? [];
const expectError = (reply: HttpReply, code: ErrorCode, field?: string) => {
  expect({ status: reply.status, code: reply.body?.error?.code }).toEqual({ status: ERROR_HTTP_STATUS[code], code });
  expect(typeof reply.body.error.message).toBe('string');
  if (field) expect(fieldsOf(reply)).toContain(field);
};

let system: RunningSystem;
let prometheus: TestServer;
let cluster: KubernetesStandIn;
let grafana: GrafanaStandIn;
let ca: string;

beforeAll(async () => {
  const certificates = makeTestCertificates();
  ca = certificates.ca;
  [system, prometheus, cluster, grafana] = await Promise.all([startSystem({ validateResponses: true }), startPrometheus(), startKubernetesStandIn(certificates, CLUSTER_TOKEN), startGrafanaStandIn('ok')]);
}, 120_000);

afterAll(async () => {
  await Promise.all([system?.stop(), prometheus?.stop(), cluster?.close(), grafana?.close()]);
});

afterAll(() => {
  // No secret sent by any case came back in any answer.
  for (const body of system?.bodies ?? []) {
    expect(body).not.toContain(CLUSTER_TOKEN);
    expect(body).not.toContain('your-api-key-here');
  }
});

type Callers = ReturnType<typeof callers>;
const created = async (path: string, body: unknown, as: Callers['operator'] | Callers['admin']) => {
  const reply = await system.http('POST', path, { as, body });
  expect({ path, status: reply.status, body: reply.status === 201 ? undefined : reply.body }).toEqual({ path, status: 201, body: undefined });
  return reply.body;
};
/** A Kubernetes connection to the stand-in cluster, registered (its connectivity test passed) and connected. */
const connectedCluster = async (who: Callers, name: string) => {
  const registered = await created(CONNECTIONS, { kind: 'kubernetes', name, metadata: { server: cluster.url }, credential_secret: { token: CLUSTER_TOKEN, certificate_authority: ca } }, who.operator);
  const connected = await system.http('PUT', `${CONNECTIONS}/${registered.id}`, { as: who.operator, body: { status: 'connected' } });
  expect(connected).toMatchObject({ status: 200, body: { status: 'connected' } });
  return connected.body;
};
const notificationsAbout = async (who: Callers, id: string) => (await system.http('GET', `${EVENTS}?pagesize=100&acted_upon=${id}`, { as: who.viewer })).body.events as Json[];

describe('000 connections (concepts): the requests of "Working with Connections" and the "Connection Registration Process"', () => {
  it('"Creating Connections": the documented Prometheus body, api_key included, registers it with every field a Meshery client reads', async () => {
    const org = 'org-000-create';
    const who = callers(org);
    // 000 "Creating Connections": POST /api/integrations/connections, the request body verbatim (the url: a real prometheus).
    const reply = await system.http('POST', CONNECTIONS, {
      as: who.operator,
      body: {
        kind: 'prometheus',
        type: 'observability',
        sub_type: 'monitoring',
        name: 'production-prometheus',
        metadata: {
          url: prometheus.url,
        },
        credential_secret: {
          api_key: 'your-api-key-here',
        },
      },
    });
    expect({ status: reply.status, error: reply.body.error }).toEqual({ status: 201, error: undefined });
    const expected = {
      kind: 'prometheus',
      type: 'observability',
      sub_type: 'monitoring',
      name: 'production-prometheus',
      status: 'registered',
      metadata: { url: prometheus.url },
      credential_id: UUID,
      user_id: 'operator-user',
      organization_id: org,
      environments: [],
    };
    expectConnection(reply.body, expected);
    expectConnection((await system.http('GET', `${CONNECTIONS}/${reply.body.id}`, { as: who.viewer })).body, expected);
    // The inline secret became a credential of its own, identified by `id`, its secret never shown.
    const credential = await system.http('GET', `${CREDENTIALS}/${reply.body.credential_id}`, { as: who.viewer });
    expect(credential).toMatchObject({ status: 200, body: { id: reply.body.credential_id } });
  });

  it('"Creating Connections" in camelCase (subType, credentialSecret, credentialId, skipCredentialVerification), and the refusals', async () => {
    const org = 'org-000-camel';
    const who = callers(org);
    // 000 "Creating Connections", with Meshery's current clients' spellings of sub_type and credential_secret.
    const camel = await system.http('POST', CONNECTIONS, {
      as: who.operator,
      body: { kind: 'prometheus', type: 'observability', subType: 'monitoring', name: 'production-prometheus', metadata: { url: prometheus.url }, credentialSecret: { api_key: 'your-api-key-here' } },
    });
    expect({ status: camel.status, error: camel.body.error }).toEqual({ status: 201, error: undefined });
    expectConnection(camel.body, { kind: 'prometheus', type: 'observability', sub_type: 'monitoring', status: 'registered', credential_id: UUID });
    expect(camel.body).not.toHaveProperty('subType');

    // credentialId: the same Prometheus registered again (after deleting the first) with the stored credential.
    expectStatus(await system.http('DELETE', `${CONNECTIONS}/${camel.body.id}`, { as: who.admin }), 200);
    const reused = await system.http('POST', CONNECTIONS, {
      as: who.operator,
      body: { kind: 'prometheus', type: 'observability', subType: 'monitoring', name: 'production-prometheus', metadata: { url: prometheus.url }, credentialId: camel.body.credential_id },
    });
    expectStatus(reused, 201);
    expectConnection(reused.body, { credential_id: camel.body.credential_id, status: 'registered' });
    expect(reused.body.id).not.toBe(camel.body.id);

    // skipCredentialVerification (Meshery's skip_credential_verification): an admin registers a Prometheus that does not answer, untested.
    const closed = `http://127.0.0.1:${await freePort()}`;
    const skipped = await system.http('POST', CONNECTIONS, {
      as: who.admin,
      body: { kind: 'prometheus', type: 'observability', subType: 'monitoring', name: 'staging-prometheus', metadata: { url: closed }, skipCredentialVerification: true },
    });
    expectStatus(skipped, 201);
    expectConnection(skipped.body, { name: 'staging-prometheus', status: 'registered', credential_id: null });
    const tested = await system.http('POST', CONNECTIONS, { as: who.operator, body: { kind: 'prometheus', name: 'staging-prometheus-2', metadata: { url: `${closed}/2` } } });
    expect(tested.body.status).toBe('not found');

    // Bad input names the field: a type or sub_type that is not the kind's, both spellings with different values.
    const contradicting = await system.http('POST', CONNECTIONS, { as: who.operator, body: { kind: 'prometheus', type: 'platform', sub_type: 'monitoring', name: 'p', metadata: { url: prometheus.url } } });
    expectError(contradicting, 'validation_failed', 'type');
    expect(JSON.stringify(contradicting.body.error.details)).toContain('observability');
    expectError(await system.http('POST', CONNECTIONS, { as: who.operator, body: { kind: 'prometheus', sub_type: 'dashboards', name: 'p', metadata: { url: prometheus.url } } }), 'validation_failed', 'sub_type');
    expectError(
      await system.http('POST', CONNECTIONS, { as: who.operator, body: { kind: 'prometheus', sub_type: 'monitoring', subType: 'dashboards', name: 'p', metadata: { url: prometheus.url } } }),
      'validation_failed',
      'sub_type',
    );
  });

  it('"Querying Connections": the documented curl lists the connected clusters, 25 a page; every documented parameter, pagesize=all and pageSize', async () => {
    const org = 'org-000-query';
    const who = callers(org);
    const prod = await connectedCluster(who, 'prod-gke-us-east');
    // A registered cluster that is not connected, and a registered Prometheus: not in the documented list.
    await created(CONNECTIONS, { kind: 'kubernetes', name: 'staging-eks', metadata: { server: cluster.url, user: 'staging' }, credential_secret: { token: CLUSTER_TOKEN, certificate_authority: ca } }, who.operator);
    const prom = await created(CONNECTIONS, { kind: 'prometheus', name: 'staging-prometheus', metadata: { url: prometheus.url } }, who.operator);

    // 000 "Querying Connections", the example: curl "…/api/integrations/connections?status=[\"connected\"]&kind=[\"kubernetes\"]&pagesize=25"
    const documented = `${CONNECTIONS}?status=["connected"]&kind=["kubernetes"]&pagesize=25`;
    await waitFor(async () => (await system.http('GET', documented, { as: who.viewer })).body.total_count === 1, { message: 'the connected cluster listed' });
    const listed = await system.http('GET', documented, { as: who.viewer });
    expect(listed.body).toMatchObject({ page: 0, page_size: 25, total_count: 1 });
    expect(listed.body.connections).toHaveLength(1);
    expectConnection(listed.body.connections[0], {
      id: prod.id,
      kind: 'kubernetes',
      type: 'platform',
      sub_type: 'management',
      name: 'prod-gke-us-east',
      status: 'connected',
      credential_id: UUID,
      user_id: 'operator-user',
      organization_id: org,
      // 000 "Kubernetes Connections": server_id and version, filled from its connectivity test (issue 12, item 10).
      metadata: expect.objectContaining({ server: cluster.url, version: GIT_VERSION, server_id: KUBE_SYSTEM_UID }),
    });
    // The same in Meshery's camelCase: pageSize.
    expect((await system.http('GET', `${CONNECTIONS}?status=["connected"]&kind=["kubernetes"]&pageSize=25`, { as: who.viewer })).body).toMatchObject({ page_size: 25, total_count: 1 });

    // 000 "Querying Connections", every documented parameter: page, pagesize, search, order ("updated_at desc"), status, kind, type (["platform", "observability"]), name.
    const all = await system.http(
      'GET',
      `${CONNECTIONS}?page=0&pagesize=10&search=staging&order=updated_at desc&status=["connected","registered"]&kind=["kubernetes","prometheus"]&type=["platform","observability"]&name=staging`,
      { as: who.viewer },
    );
    expectStatus(all, 200);
    expect(all.body).toMatchObject({ page: 0, page_size: 10, total_count: 2 });
    expect(all.body.connections.map((c: Json) => c.name)).toEqual(['staging-prometheus', 'staging-eks']);
    expect(all.body.connections.find((c: Json) => c.id === prom.id)).toMatchObject({ type: 'observability', sub_type: 'monitoring' });
    expect((await system.http('GET', `${CONNECTIONS}?type=["observability"]`, { as: who.viewer })).body.connections.map((c: Json) => c.id)).toEqual([prom.id]);

    // Issue 12, item 7: pagesize=all is the largest page, 100.
    expect((await system.http('GET', `${CONNECTIONS}?pagesize=all`, { as: who.viewer })).body).toMatchObject({ page_size: 100, total_count: 3 });
    // Meshery's GET /api/integrations/connections/status: the count of each status.
    const statuses = await system.http('GET', `${CONNECTIONS}/status`, { as: who.viewer });
    expectStatus(statuses, 200);
    expect(statuses.body.connections_status).toEqual(expect.arrayContaining([{ status: 'connected', count: 1 }, { status: 'registered', count: 2 }]));
  });

  it('"Updating Connections": the documented MeshSync mode change is its own event with a notification; refused for a Prometheus', async () => {
    const org = 'org-000-update';
    const who = callers(org);
    const k8s = await connectedCluster(who, 'prod-gke-us-east');
    // 000 "Updating Connections", "Example - Change MeshSync mode": PUT /api/integrations/connections/{connectionId}, the body verbatim.
    const updated = await system.http('PUT', `${CONNECTIONS}/${k8s.id}`, { as: who.operator, body: { metadata: { meshsync_deployment_mode: 'edge' } } });
    expectStatus(updated, 200);
    expectConnection(updated.body, { id: k8s.id, status: 'connected', metadata: expect.objectContaining({ server: cluster.url, meshsync_deployment_mode: 'edge' }) });
    expect((await system.http('GET', `${CONNECTIONS}/${k8s.id}`, { as: who.viewer })).body.metadata).toMatchObject({ meshsync_deployment_mode: 'edge' });
    const history = await system.http('GET', `${CONNECTIONS}/${k8s.id}/history`, { as: who.viewer });
    expect(history.body.events.find((e: Json) => e.type === 'MeshSyncModeChanged')).toMatchObject({ data: { from: 'cluster', to: 'edge' } });
    const notified = await waitFor(async () => (await notificationsAbout(who, k8s.id)).find((n) => n.metadata?.event_type === 'MeshSyncModeChanged'), { message: 'the mode change notified' });
    expect(notified).toMatchObject({ id: UUID, category: 'connection', acted_upon: k8s.id });

    // 000 "Updating Connections" use cases: the name, metadata and status.
    const renamed = await system.http('PUT', `${CONNECTIONS}/${k8s.id}`, { as: who.operator, body: { name: 'prod-gke-us-east-1', status: 'maintenance' } });
    expectConnection(renamed.body, { name: 'prod-gke-us-east-1', status: 'maintenance' });

    const prom = await created(CONNECTIONS, { kind: 'prometheus', name: 'staging-prometheus', metadata: { url: prometheus.url } }, who.operator);
    const refused = await system.http('PUT', `${CONNECTIONS}/${prom.id}`, { as: who.operator, body: { metadata: { meshsync_deployment_mode: 'edge' } } });
    expectError(refused, 'validation_failed');
    expect(fieldsOf(refused).join()).toContain('meshsync_deployment_mode');
  });

  it('"Deleting Connections": the connection goes, with its environment assignments', async () => {
    const org = 'org-000-delete';
    const who = callers(org);
    const prom = await created(CONNECTIONS, { kind: 'prometheus', name: 'decommissioned-prometheus', metadata: { url: prometheus.url } }, who.operator);
    const production = await created(ENVIRONMENTS, { name: 'production' }, who.operator);
    expectStatus(await system.http('POST', `${ENVIRONMENTS}/${production.id}/connections/${prom.id}`, { as: who.operator }), 200);
    await waitFor(async () => (await system.http('GET', `${CONNECTIONS}/${prom.id}`, { as: who.viewer })).body.environments?.length === 1, { message: 'the connection shows its environment' });
    expect((await system.http('GET', `${CONNECTIONS}/${prom.id}`, { as: who.viewer })).body.environments).toEqual([{ id: production.id, name: 'production' }]);

    // 000 "Deleting Connections": DELETE /api/integrations/connections/{connectionId}
    const deleted = await system.http('DELETE', `${CONNECTIONS}/${prom.id}`, { as: who.admin });
    expectStatus(deleted, 200);
    expectConnection(deleted.body, { id: prom.id, status: 'deleted', deleted_at: TIME });
    expectError(await system.http('GET', `${CONNECTIONS}/${prom.id}`, { as: who.viewer }), 'not_found');
    await waitFor(async () => (await system.http('GET', `${ENVIRONMENTS}/${production.id}/connections`, { as: who.viewer })).body.total_count === 0, { message: 'the environment without it' });
    expect((await system.http('GET', `${ENVIRONMENTS}/${production.id}`, { as: who.viewer })).body).toMatchObject({ id: production.id, connection_count: 0 });
  });

  it('"Connection Registration Process": init answers the tracker id and both schemas, register creates the connection', async () => {
    const org = 'org-000-register';
    const who = callers(org);
    // 000 "Connection Registration Process", 1. Init Event: POST /api/integrations/connections/register {"status": "init", "kind": "kubernetes"}
    const init = await system.http('POST', `${CONNECTIONS}/register`, { as: who.operator, body: { status: 'init', kind: 'kubernetes' } });
    expectStatus(init, 201);
    // 2. Server Response: {"id": "process-tracker-uuid", "connection": {…schema}, "credential": {…schema}}
    expect(init.body).toMatchObject({ id: UUID, connection: { type: 'object' }, credential: expect.any(Object) });
    expect(init.body.connection.properties).toHaveProperty('server');

    // 3. Client Submission: {"id": "process-tracker-uuid", "status": "register", ...} — the rest: the filled forms.
    const registered = await system.http('POST', `${CONNECTIONS}/register`, {
      as: who.operator,
      body: { id: init.body.id, status: 'register', kind: 'kubernetes', type: 'platform', sub_type: 'management', name: 'prod-gke-us-east', metadata: { server: cluster.url }, credential_secret: { token: CLUSTER_TOKEN, certificate_authority: ca } },
    });
    expectStatus(registered, 201);
    // 4. State Machine: the connection entered it, its connectivity test passed.
    expectConnection(registered.body, { kind: 'kubernetes', type: 'platform', sub_type: 'management', name: 'prod-gke-us-east', status: 'registered', credential_id: UUID, user_id: 'operator-user' });

    // The same in camelCase, for another cluster user: subType, credentialSecret.
    const again = await system.http('POST', `${CONNECTIONS}/register`, { as: who.operator, body: { status: 'init', kind: 'kubernetes' } });
    const camel = await system.http('POST', `${CONNECTIONS}/register`, {
      as: who.operator,
      body: { id: again.body.id, status: 'register', kind: 'kubernetes', type: 'platform', subType: 'management', name: 'prod-gke-us-east-ops', metadata: { server: cluster.url, user: 'ops' }, credentialSecret: { token: CLUSTER_TOKEN, certificate_authority: ca } },
    });
    expectStatus(camel, 201);
    expectConnection(camel.body, { sub_type: 'management', status: 'registered', credential_id: UUID });
    const third = await system.http('POST', `${CONNECTIONS}/register`, { as: who.operator, body: { status: 'init', kind: 'kubernetes' } });
    expectError(
      await system.http('POST', `${CONNECTIONS}/register`, { as: who.operator, body: { id: third.body.id, status: 'register', kind: 'kubernetes', type: 'observability', name: 'x', metadata: { server: cluster.url } } }),
      'validation_failed',
      'type',
    );
  });

  it('"Grafana Connections" and "Prometheus Connections": an API key or username:password', async () => {
    const who = callers('org-000-forms');
    // 000 "Grafana Connections": GrafanaCred.APIKeyOrBasicAuth, "username:password" or API key.
    const byKey = await created(CONNECTIONS, { kind: 'grafana', name: 'grafana-central', metadata: { url: grafana.url }, credential_secret: { api_key: 'your-api-key-here' } }, who.operator);
    expectConnection(byKey, { kind: 'grafana', type: 'observability', status: 'registered', credential_id: UUID });
    const byPassword = await created(CONNECTIONS, { kind: 'grafana', name: 'grafana-basic', metadata: { url: `${grafana.url}/basic` }, credentialSecret: { username: 'admin', password: 'admin' } }, who.operator);
    expectConnection(byPassword, { kind: 'grafana', credential_id: UUID });
    // 000 "Prometheus Connections": PromCred.APIKeyOrBasicAuth.
    const prom = await created(CONNECTIONS, { kind: 'prometheus', name: 'staging-prometheus', metadata: { url: prometheus.url }, credential_secret: { username: 'admin', password: 'admin' } }, who.operator);
    expectConnection(prom, { kind: 'prometheus', status: 'registered', credential_id: UUID });
  });
});

describe('001 connection states and lifecycle: a Kubernetes cluster through its states, the server\'s own connection', () => {
  it('"Registering Connections with Remote Providers": registered once reachable, then connected, maintenance, disconnected, ignored and deleted', async () => {
    const who = callers('org-001-states');
    // 001 "Registering Connections with Remote Providers", steps 3–5: "Add Connection", fill in, "Register"; "Meshery will verify its reachability … transition to the Registered state".
    const registered = await created(CONNECTIONS, { kind: 'kubernetes', name: 'prod-gke-us-east', metadata: { server: cluster.url }, credential_secret: { token: CLUSTER_TOKEN, certificate_authority: ca } }, who.operator);
    expectConnection(registered, { status: 'registered' });
    const id = registered.id;
    const to = async (status: string) => {
      const reply = await system.http('PUT', `${CONNECTIONS}/${id}`, { as: who.operator, body: { status } });
      expect({ to: status, status: reply.status }).toEqual({ to: status, status: 200 });
      expectConnection(reply.body, { status });
      return reply;
    };
    // 001 "State: Registered": "It can be transitioned to Connected, Maintenance and Not Found"; "Connected": "to either Maintenance or Ignore".
    await to('connected');
    await to('maintenance');
    await to('connected');
    await to('disconnected');
    await to('connected');
    await to('ignored');
    // Not one of the transitions the document allows: 409 naming the allowed ones.
    const refused = await system.http('PUT', `${CONNECTIONS}/${id}`, { as: who.operator, body: { status: 'connected' } });
    expectError(refused, 'invalid_transition');
    expect(refused.body.error.details.allowed).toEqual(expect.arrayContaining(['registered', 'deleted']));
    // 001 "State: Deleted": "administratively processed to be deleted and removed from Meshery's view".
    await to('registered');
    const deleted = await system.http('DELETE', `${CONNECTIONS}/${id}`, { as: who.admin });
    expectConnection(deleted.body, { status: 'deleted', deleted_at: TIME });
    const history = (await system.http('GET', `${CONNECTIONS}/${id}/history`, { as: who.viewer })).body.events as Json[];
    expect(history.filter((e) => e.type === 'StatusChanged').map((e) => e.data.to)).toEqual(['connected', 'maintenance', 'connected', 'disconnected', 'connected', 'ignored', 'registered', 'deleted']);
  });

  it('"State: Not Found": a manual registration Meshery cannot reach; the user deletes it or re-registers', async () => {
    const who = callers('org-001-not-found');
    const closed = `http://127.0.0.1:${await freePort()}`;
    const typo = await created(CONNECTIONS, { kind: 'prometheus', name: 'prod-prometheus', metadata: { url: closed } }, who.operator);
    expectConnection(typo, { status: 'not found' });
    expectError(await system.http('PUT', `${CONNECTIONS}/${typo.id}`, { as: who.operator, body: { status: 'registered' } }), 'connectivity_failed');
    expect((await system.http('DELETE', `${CONNECTIONS}/${typo.id}`, { as: who.admin })).body).toMatchObject({ id: typo.id, status: 'deleted' });
    const fixed = await created(CONNECTIONS, { kind: 'prometheus', name: 'prod-prometheus', metadata: { url: prometheus.url } }, who.operator);
    expectConnection(fixed, { status: 'registered' });
  });

  it('"Meshery Server Registration with Remote Providers": the server\'s own connection self-transitioned to connected', async () => {
    // The server registers itself in SERVER_ORGANIZATION, `default` in this system.
    const who = callers('default');
    const listed = await waitFor(async () => (await system.http('GET', `${CONNECTIONS}?kind=["meshery"]`, { as: who.viewer })).body.connections?.[0], { message: 'the meshery connection' });
    // 000 "Meshery Server Connection": BuildMesheryConnectionPayload's kind, type, sub_type, metadata and status.
    expectConnection(listed, {
      kind: 'meshery',
      type: 'platform',
      sub_type: 'management',
      status: 'connected',
      // Owned by no user: the server registered it.
      user_id: null,
      metadata: expect.objectContaining({ server_id: expect.any(String), server_version: expect.any(String), server_build_sha: expect.any(String), server_location: expect.any(String) }),
    });
  });
});

describe('002 MeshSync: the Registration Modal, connectivity tests, credential registration, the notification center', () => {
  it('"Registration Modal": a connection assigned to environments as it registers, its connectivity test run', async () => {
    const org = 'org-002-modal';
    const who = callers(org);
    const production = await created(ENVIRONMENTS, { name: 'production' }, who.operator);
    const monitoring = await created(ENVIRONMENTS, { name: 'monitoring-shared' }, who.operator);
    // 002 "During Connection Registration", 2. "Use the Registration Modal to assign the connection to an environment."
    const prom = await created(CONNECTIONS, { kind: 'prometheus', name: 'prod-prometheus', metadata: { url: prometheus.url }, environment_ids: [production.id, monitoring.id] }, who.operator);
    expectConnection(prom, { status: 'registered' });
    expect([...prom.environments].sort((a: Json, b: Json) => a.name.localeCompare(b.name))).toEqual([
      { id: monitoring.id, name: 'monitoring-shared' },
      { id: production.id, name: 'production' },
    ]);
    await waitFor(async () => (await system.http('GET', `${ENVIRONMENTS}/${production.id}/connections`, { as: who.viewer })).body.total_count === 1, { message: 'the environment lists it' });

    // The same through the two-step registration, in camelCase: environmentIds.
    const init = await system.http('POST', `${CONNECTIONS}/register`, { as: who.operator, body: { status: 'init', kind: 'kubernetes' } });
    const k8s = await system.http('POST', `${CONNECTIONS}/register`, {
      as: who.operator,
      body: { id: init.body.id, status: 'register', kind: 'kubernetes', name: 'prod-gke-us-east', metadata: { server: cluster.url }, credentialSecret: { token: CLUSTER_TOKEN, certificate_authority: ca }, environmentIds: [production.id] },
    });
    expectStatus(k8s, 201);
    expectConnection(k8s.body, { environments: [{ id: production.id, name: 'production' }] });
    expectError(await system.http('POST', CONNECTIONS, { as: who.operator, body: { kind: 'prometheus', name: 'p', metadata: { url: prometheus.url }, environment_ids: ['nope'] } }), 'validation_failed', 'environment_ids');

    // 4. "Perform a connectivity test to determine the status": REGISTERED, or CONNECTED once connected.
    const test = await system.http('POST', `${CONNECTIONS}/${k8s.body.id}/test`, { as: who.operator });
    expect(test).toMatchObject({ status: 200, body: { ok: true } });
    expectConnection((await system.http('PUT', `${CONNECTIONS}/${k8s.body.id}`, { as: who.operator, body: { status: 'connected' } })).body, { status: 'connected' });
  });

  it('"Credential Registration": a credential tested ad hoc ("Test") and assigned to several connections ("Register")', async () => {
    const org = 'org-002-credentials';
    const who = callers(org);
    const closed = `http://127.0.0.1:${await freePort()}`;
    const a = await created(CONNECTIONS, { kind: 'prometheus', name: 'prod-prometheus', metadata: { url: prometheus.url } }, who.operator);
    const b = await created(CONNECTIONS, { kind: 'prometheus', name: 'dev-prometheus', skip_connectivity_test: true, metadata: { url: closed } }, who.admin);
    // Meshery's credential body: `type` names the kind.
    const credential = await created(CREDENTIALS, { name: 'prometheus-key', type: 'prometheus', secret: { api_key: 'your-api-key-here' } }, who.admin);
    expect(credential).toMatchObject({ id: UUID, name: 'prometheus-key', kind: 'prometheus' });
    expect(credential).not.toHaveProperty('secret');
    expect(credential).not.toHaveProperty('credential_id');

    // "Test": against a connection, and against a target not registered yet.
    expect(await system.http('POST', `${CREDENTIALS}/${credential.id}/test`, { as: who.admin, body: { connection_id: a.id } })).toMatchObject({ status: 200, body: { ok: true } });
    expect(await system.http('POST', `${CREDENTIALS}/${credential.id}/test`, { as: who.admin, body: { kind: 'prometheus', metadata: { url: prometheus.url } } })).toMatchObject({ status: 200, body: { ok: true } });
    expect(await system.http('POST', `${CREDENTIALS}/${credential.id}/test`, { as: who.admin, body: { connection_id: b.id } })).toMatchObject({ status: 200, body: { ok: false } });
    // The same in camelCase: connectionId.
    expect(await system.http('POST', `${CREDENTIALS}/${credential.id}/test`, { as: who.admin, body: { connectionId: a.id } })).toMatchObject({ status: 200, body: { ok: true } });

    // "Register": "assign credentials to one or more connections".
    const assigned = await system.http('POST', `${CREDENTIALS}/${credential.id}/connections`, { as: who.admin, body: { connection_ids: [a.id, b.id] } });
    expectStatus(assigned, 200);
    for (const connection of [a, b]) expect((await system.http('GET', `${CONNECTIONS}/${connection.id}`, { as: who.viewer })).body.credential_id).toBe(credential.id);
    const grafanaConnection = await created(CONNECTIONS, { kind: 'grafana', name: 'grafana-central', metadata: { url: grafana.url } }, who.operator);
    const mismatch = await system.http('POST', `${CREDENTIALS}/${credential.id}/connections`, { as: who.admin, body: { connectionIds: [grafanaConnection.id] } });
    expect(JSON.stringify(mismatch.body)).toContain(grafanaConnection.id);
    expect((await system.http('GET', `${CONNECTIONS}/${grafanaConnection.id}`, { as: who.viewer })).body.credential_id).toBeNull();
  });

  it('"Connection Configuration": two servers (organizations) connected to one cluster have a connection each, with its own status', async () => {
    const [mine, theirs] = [callers('org-002-server-a'), callers('org-002-server-b')];
    const a = await connectedCluster(mine, 'shared-cluster');
    const b = await created(CONNECTIONS, { kind: 'kubernetes', name: 'shared-cluster', metadata: { server: cluster.url }, credential_secret: { token: CLUSTER_TOKEN, certificate_authority: ca } }, theirs.operator);
    expect(b.id).not.toBe(a.id);
    expect([a.status, b.status]).toEqual(['connected', 'registered']);
    expect((await system.http('GET', `${CONNECTIONS}/${a.id}`, { as: theirs.viewer })).status).toBe(404);
  });

  it('"Managing Events with Notification Center" (suggested reading): the events as Meshery\'s UI queries and reads them', async () => {
    const org = 'org-002-events';
    const who = callers(org);
    const k8s = await connectedCluster(who, 'prod-gke-us-east');
    await waitFor(async () => (await notificationsAbout(who, k8s.id)).length >= 2, { message: 'the registration and the status change notified' });

    // Meshery UI's query: page, pagesize, sort, order, JSON arrays of category, action and severity, status.
    const page = await system.http('GET', `${EVENTS}?page=0&pagesize=10&sort=created_at&order=desc&category=["connection"]&action=["status_changed"]&severity=["success"]&status=unread`, { as: who.viewer });
    expectStatus(page, 200);
    expect(page.body).toMatchObject({ page: 0, page_size: 10, total_count: 1 });
    expect(page.body.events[0]).toMatchObject({ id: UUID, category: 'connection', action: 'status_changed', severity: 'success', acted_upon: k8s.id, status: 'unread' });
    expect(page.body.events[0]).not.toHaveProperty('notification_id');
    // count_by_severity_level: Meshery's array, on which its UI calls .find.
    expect(Array.isArray(page.body.count_by_severity_level)).toBe(true);
    const unreadSuccesses = await system.http('GET', `${EVENTS}?severity=["success"]&status=unread&pagesize=100`, { as: who.viewer });
    expect(unreadSuccesses.body.total_count).toBeGreaterThanOrEqual(1);
    expect(page.body.count_by_severity_level.find((c: Json) => c.severity === 'success')).toEqual({ severity: 'success', count: unreadSuccesses.body.total_count });

    for (const query of [`acted_upon=["${k8s.id}"]`, `actedUpon=["${k8s.id}"]`, `actedUpon=${k8s.id}`]) {
      const about = await system.http('GET', `${EVENTS}?${query}&page_size=1&order=asc&sort=created_at`, { as: who.viewer });
      expect({ query, status: about.status, error: about.body?.error }).toEqual({ query, status: 200, error: undefined });
      expect(about.body).toMatchObject({ page_size: 1, total_count: 2 });
      expect(about.body.events[0].acted_upon).toBe(k8s.id);
    }
    // The same in camelCase: pageSize; both spellings with different values are refused.
    expect((await system.http('GET', `${EVENTS}?pageSize=1`, { as: who.viewer })).body.page_size).toBe(1);
    expectError(await system.http('GET', `${EVENTS}?pagesize=1&pageSize=2`, { as: who.viewer }), 'validation_failed', 'pagesize');
    expectError(await system.http('GET', `${EVENTS}?sort=colour`, { as: who.viewer }), 'validation_failed', 'sort');

    const types = await system.http('GET', `${EVENTS}/types`, { as: who.viewer });
    expectStatus(types, 200);
    expect(types.body.category).toEqual(expect.arrayContaining(['connection']));
    expect(types.body.action).toEqual(expect.arrayContaining(['registered', 'status_changed']));
  });
});

describe('003 environments and workspaces: every request of "Working with Environments" and the API reference', () => {
  it('"Creating Environments": the documented curl, organization_id the caller\'s; another organization\'s is 403', async () => {
    const org = 'org-003-create';
    const who = callers(org);
    // 003 "Creating Environments", "Via REST API": curl -X POST …/api/environments -d '{…}', the body verbatim but for the organization.
    const reply = await system.http('POST', ENVIRONMENTS, {
      as: who.operator,
      body: {
        name: 'production',
        description: 'Production infrastructure',
        organization_id: org,
      },
    });
    expect({ status: reply.status, error: reply.body.error }).toEqual({ status: 201, error: undefined });
    expect(reply.body).toMatchObject({ id: UUID, name: 'production', description: 'Production infrastructure', organization_id: org, status: 'active', created_at: TIME, updated_at: TIME, deleted_at: null });
    expect(reply.body).not.toHaveProperty('environment_id');
    expect((await system.http('GET', `${ENVIRONMENTS}/${reply.body.id}`, { as: who.viewer })).body).toMatchObject({ id: reply.body.id, organization_id: org });

    // The same in camelCase (organizationId); with "org-uuid-here" as written, another organization: 403.
    expectStatus(await system.http('POST', ENVIRONMENTS, { as: who.operator, body: { name: 'staging', description: 'Staging infrastructure', organizationId: org } }), 201);
    expectError(await system.http('POST', ENVIRONMENTS, { as: who.operator, body: { name: 'development', description: 'Production infrastructure', organization_id: 'org-uuid-here' } }), 'forbidden');
    // Via Meshery UI, step 4: "Optionally add tags for organization".
    expect(await created(ENVIRONMENTS, { name: 'development', description: 'dev/test', organization_id: org, tags: ['dev'] }, who.operator)).toMatchObject({ tags: ['dev'] });
  });

  it('"Managing Environment Resources": add, list with the documented parameters and filters, remove', async () => {
    const org = 'org-003-resources';
    const who = callers(org);
    const production = await created(ENVIRONMENTS, { name: 'production', description: 'Production infrastructure', organization_id: org }, who.operator);
    const development = await created(ENVIRONMENTS, { name: 'development', organization_id: org }, who.operator);
    const k8s = await connectedCluster(who, 'prod-gke-us-east');
    const prom = await created(CONNECTIONS, { kind: 'prometheus', name: 'prod-prometheus', metadata: { url: prometheus.url } }, who.operator);
    const grafanaConnection = await created(CONNECTIONS, { kind: 'grafana', name: 'prod-grafana', metadata: { url: grafana.url } }, who.operator);

    // 003 "Adding Connections", the example: curl -X POST …/api/environments/env-123/connections/conn-456
    for (const connection of [k8s, prom, grafanaConnection]) {
      const added = await system.http('POST', `${ENVIRONMENTS}/${production.id}/connections/${connection.id}`, { as: who.operator });
      expect(added).toMatchObject({ status: 200, body: { id: production.id } });
    }
    expectStatus(await system.http('POST', `${ENVIRONMENTS}/${development.id}/connections/${prom.id}`, { as: who.operator }), 200);

    // 003 "Querying Environment Connections": GET /api/environments/{environmentID}/connections, page, pagesize, search, order, filter.
    const path = `${ENVIRONMENTS}/${production.id}/connections`;
    await waitFor(async () => (await system.http('GET', path, { as: who.viewer })).body.total_count === 3, { message: 'the three connections in production' });
    const page = await system.http('GET', `${path}?page=0&pagesize=20&search=prod&order=updated_at desc&filter={"assigned": true}`, { as: who.viewer });
    expectStatus(page, 200);
    expect(page.body).toMatchObject({ page: 0, page_size: 20, total_count: 3 });
    // 003 "Connection Types in Environments": each as the document shows it (kind, type, name, status, metadata).
    const rows = Object.fromEntries(page.body.connections.map((row: Json) => [row.name, row]));
    expect(rows['prod-gke-us-east']).toMatchObject({ id: k8s.id, kind: 'kubernetes', type: 'platform', status: 'connected', metadata: { server: cluster.url, version: GIT_VERSION } });
    expect(rows['prod-prometheus']).toMatchObject({ id: prom.id, kind: 'prometheus', type: 'observability', status: 'registered', metadata: { url: prometheus.url } });
    expect(rows['prod-grafana']).toMatchObject({ id: grafanaConnection.id, kind: 'grafana', type: 'observability', metadata: { url: grafana.url } });
    expect((await system.http('GET', `${path}?filter={"deleted_at": false}`, { as: who.viewer })).body.total_count).toBe(3);
    expect((await system.http('GET', `${path}?filter={"assigned": false}`, { as: who.viewer })).body.total_count).toBe(0);
    // The same in camelCase: pageSize.
    expect((await system.http('GET', `${path}?page=0&pageSize=20&filter={"assigned": true}`, { as: who.viewer })).body).toMatchObject({ page_size: 20, total_count: 3 });
    expectError(await system.http('GET', `${path}?filter={"colour": "blue"}`, { as: who.viewer }), 'validation_failed', 'filter');

    // 003 "Removing Connections": DELETE …/connections/{connectionID} does not delete it, and keeps it in its other environments.
    const removed = await system.http('DELETE', `${ENVIRONMENTS}/${production.id}/connections/${prom.id}`, { as: who.operator });
    expect(removed).toMatchObject({ status: 200, body: { id: production.id } });
    await waitFor(async () => (await system.http('GET', path, { as: who.viewer })).body.total_count === 2, { message: 'prometheus out of production' });
    const only = [{ id: development.id, name: 'development' }];
    await waitFor(async () => JSON.stringify((await system.http('GET', `${CONNECTIONS}/${prom.id}`, { as: who.viewer })).body.environments) === JSON.stringify(only), { message: 'the connection in development only' });
    expectConnection((await system.http('GET', `${CONNECTIONS}/${prom.id}`, { as: who.viewer })).body, { id: prom.id, environments: only });
    expect((await system.http('GET', `${ENVIRONMENTS}/${development.id}/connections`, { as: who.viewer })).body.connections.map((row: Json) => row.id)).toEqual([prom.id]);
  });

  it('"Assigning to Workspaces": the environment\'s connections available in the workspace', async () => {
    const org = 'org-003-workspaces';
    const who = callers(org);
    const monitoring = await created(ENVIRONMENTS, { name: 'shared-monitoring', organization_id: org }, who.operator);
    const prom = await created(CONNECTIONS, { kind: 'prometheus', name: 'central-prometheus', metadata: { url: prometheus.url } }, who.operator);
    expectStatus(await system.http('POST', `${ENVIRONMENTS}/${monitoring.id}/connections/${prom.id}`, { as: who.operator }), 200);
    const workspace = await created(WORKSPACES, { name: 'platform-team', description: 'the platform team', metadata: { owner: 'sre' } }, who.operator);
    expect(workspace).toMatchObject({ id: UUID, name: 'platform-team', metadata: { owner: 'sre' } });
    expect(workspace).not.toHaveProperty('workspace_id');

    // 003 "Assigning to Workspaces": POST /api/workspaces/{workspaceID}/environments/{environmentID}
    const linked = await system.http('POST', `${WORKSPACES}/${workspace.id}/environments/${monitoring.id}`, { as: who.operator });
    expect(linked).toMatchObject({ status: 200, body: { id: workspace.id, environment_count: 1 } });
    await waitFor(async () => (await system.http('GET', `${WORKSPACES}/${workspace.id}/connections`, { as: who.viewer })).body.total_count === 1, { message: 'the workspace lists the connection' });
    expect((await system.http('GET', `${WORKSPACES}/${workspace.id}/connections`, { as: who.viewer })).body.connections[0]).toMatchObject({ id: prom.id, name: 'central-prometheus' });
    expect((await system.http('GET', `${WORKSPACES}/${workspace.id}/environments`, { as: who.viewer })).body.environments).toEqual([expect.objectContaining({ id: monitoring.id, name: 'shared-monitoring' })]);
  });

  it('"API Reference" and "Query Parameters": list, get, update, delete, with orgID, page, pagesize, search, order and filter', async () => {
    const org = 'org-003-api';
    const who = callers(org);
    const production = await created(ENVIRONMENTS, { name: 'production', description: 'Production infrastructure', organization_id: org, tags: ['prod'] }, who.operator);
    const staging = await created(ENVIRONMENTS, { name: 'staging', description: 'Staging infrastructure', organization_id: org }, who.operator);

    // 003 "Query Parameters": orgID, page, pagesize, search, order ("name", "created_at desc"), filter (JSON).
    const listed = await system.http('GET', `${ENVIRONMENTS}?orgID=${org}&page=0&pagesize=10&search=infrastructure&order=name&filter={"deleted_at":false}`, { as: who.viewer });
    expectStatus(listed, 200);
    expect(listed.body).toMatchObject({ page: 0, page_size: 10, total_count: 2 });
    expect(listed.body.environments.map((e: Json) => e.id)).toEqual([production.id, staging.id]);
    expect(listed.body.environments[0]).toMatchObject({ id: production.id, name: 'production', description: 'Production infrastructure', organization_id: org });
    expect((await system.http('GET', `${ENVIRONMENTS}?orgID=${org}&order=created_at desc`, { as: who.viewer })).body.environments.map((e: Json) => e.id)).toEqual([staging.id, production.id]);
    // The same in camelCase: orgId, pageSize.
    expect((await system.http('GET', `${ENVIRONMENTS}?orgId=${org}&page=0&pageSize=1&order=name`, { as: who.viewer })).body).toMatchObject({ page_size: 1, total_count: 2, environments: [{ id: production.id }] });
    // "Consistent tagging: Use tags for categorization and filtering."
    expect((await system.http('GET', `${ENVIRONMENTS}?tags=["prod"]`, { as: who.viewer })).body.environments.map((e: Json) => e.id)).toEqual([production.id]);
    // Bad input: another organization's orgID is 403, an unknown filter key 400 naming filter.
    expectError(await system.http('GET', `${ENVIRONMENTS}?orgID=org-uuid-here`, { as: who.viewer }), 'forbidden');
    expectError(await system.http('GET', `${ENVIRONMENTS}?filter={"colour":"blue"}`, { as: who.viewer }), 'validation_failed', 'filter');
    expectError(await system.http('GET', `${ENVIRONMENTS}?orgID=${org}&orgId=org-uuid-here`, { as: who.viewer }), 'validation_failed', 'orgID');

    // GET /api/environments/{id}, PUT /api/environments/{id}
    expect((await system.http('GET', `${ENVIRONMENTS}/${staging.id}`, { as: who.viewer })).body).toMatchObject({ id: staging.id, name: 'staging', connection_count: 0 });
    const updated = await system.http('PUT', `${ENVIRONMENTS}/${staging.id}`, { as: who.operator, body: { description: 'Staging infrastructure, us-east', organization_id: org } });
    expect(updated).toMatchObject({ status: 200, body: { id: staging.id, description: 'Staging infrastructure, us-east' } });
    expectError(await system.http('PUT', `${ENVIRONMENTS}/${staging.id}`, { as: who.operator, body: { description: 'x', organization_id: 'org-uuid-here' } }), 'forbidden');
    // DELETE /api/environments/{id}
    expect(await system.http('DELETE', `${ENVIRONMENTS}/${staging.id}`, { as: who.admin })).toMatchObject({ status: 200, body: { id: staging.id } });
    expect((await system.http('GET', `${ENVIRONMENTS}?orgID=${org}&filter={"deleted_at":false}`, { as: who.viewer })).body.environments.map((e: Json) => e.id)).toEqual([production.id]);
    // "All endpoints require authentication via Bearer token."
    const someConnection = '3b241101-e2bb-4255-8caf-4136c566a962';
    for (const [method, path] of [
      ['GET', ENVIRONMENTS],
      ['POST', ENVIRONMENTS],
      ['GET', `${ENVIRONMENTS}/${production.id}`],
      ['PUT', `${ENVIRONMENTS}/${production.id}`],
      ['DELETE', `${ENVIRONMENTS}/${production.id}`],
      ['GET', `${ENVIRONMENTS}/${production.id}/connections`],
      ['POST', `${ENVIRONMENTS}/${production.id}/connections/${someConnection}`],
      ['DELETE', `${ENVIRONMENTS}/${production.id}/connections/${someConnection}`],
    ]) {
      const anonymous = await system.http(method, path, method === 'POST' || method === 'PUT' ? { body: { name: 'x' } } : {});
      expect({ method, path, status: anonymous.status, code: anonymous.body?.error?.code }).toEqual({ method, path, status: 401, code: 'unauthorized' });
    }
  });

  it('"Environment Lifecycle": active, empty, archived and reactivated, deleted softly (connections persist) and recovered', async () => {
    const org = 'org-003-lifecycle';
    const who = callers(org);
    const environment = await created(ENVIRONMENTS, { name: 'us-east', organization_id: org }, who.operator);
    // Active, and Empty: "exists but has no connections assigned".
    expect(environment).toMatchObject({ status: 'active', connection_count: 0, deleted_at: null });
    const prom = await created(CONNECTIONS, { kind: 'prometheus', name: 'prometheus-us-east', metadata: { url: prometheus.url } }, who.operator);
    expect((await system.http('POST', `${ENVIRONMENTS}/${environment.id}/connections/${prom.id}`, { as: who.operator })).body).toMatchObject({ connection_count: 1 });
    const workspace = await created(WORKSPACES, { name: 'app-team-alpha' }, who.operator);
    expectStatus(await system.http('POST', `${WORKSPACES}/${workspace.id}/environments/${environment.id}`, { as: who.operator }), 200);

    // Archived: "preserved but not actively used … Can be reactivated if needed".
    expect((await system.http('PUT', `${ENVIRONMENTS}/${environment.id}`, { as: who.operator, body: { status: 'archived' } })).body).toMatchObject({ status: 'archived', connection_count: 1 });
    expect((await system.http('PUT', `${ENVIRONMENTS}/${environment.id}`, { as: who.operator, body: { status: 'active' } })).body).toMatchObject({ status: 'active' });

    // Deleted: "Contained connections persist and remain available"; "Soft delete allows recovery"; "Workspace assignments are cleared".
    expect((await system.http('DELETE', `${ENVIRONMENTS}/${environment.id}`, { as: who.admin })).body).toEqual({ id: environment.id });
    expectConnection((await system.http('GET', `${CONNECTIONS}/${prom.id}`, { as: who.viewer })).body, { id: prom.id, status: 'registered' });
    await waitFor(async () => (await system.http('GET', `${WORKSPACES}/${workspace.id}/environments`, { as: who.viewer })).body.total_count === 0, { message: 'the workspace link cleared' });
    const deleted = await system.http('GET', `${ENVIRONMENTS}?filter={"deleted_at":true}`, { as: who.viewer });
    expect(deleted.body.environments).toEqual([expect.objectContaining({ id: environment.id, name: 'us-east', deleted_at: TIME })]);
    const restored = await system.http('POST', `${ENVIRONMENTS}/${environment.id}/recover`, { as: who.admin });
    expect(restored).toMatchObject({ status: 200, body: { id: environment.id, deleted_at: null } });
    expect((await system.http('GET', `${ENVIRONMENTS}/${environment.id}`, { as: who.viewer })).body).toMatchObject({ id: environment.id, status: 'active' });
  });
});

describe('004 registering a connection (guide): MeshSync discovery, "Register", the connection page', () => {
  it('registers a Prometheus through the form, assigns its environment, tests it and connects it; it appears on the connection page', async () => {
    const org = 'org-004-guide';
    const who = callers(org);
    const production = await created(ENVIRONMENTS, { name: 'production', organization_id: org }, who.operator);
    // 004 "MeshSync Discovery", 1. "Fill out the registration form": the form comes from the init step.
    const init = await system.http('POST', `${CONNECTIONS}/register`, { as: who.operator, body: { status: 'init', kind: 'prometheus' } });
    expect(init.body).toMatchObject({ id: UUID, connection: { type: 'object', required: ['url'] }, credential: expect.any(Object) });
    // 2. "Register: Your object will now appear on the connection page."
    const registered = await system.http('POST', `${CONNECTIONS}/register`, {
      as: who.operator,
      body: { id: init.body.id, status: 'register', kind: 'prometheus', name: 'prod-prometheus', metadata: { url: prometheus.url }, environment_ids: [production.id] },
    });
    expectStatus(registered, 201);
    // "During Connection Registration": the new entry REGISTERED, assigned to its environment.
    expectConnection(registered.body, { status: 'registered', environments: [{ id: production.id, name: 'production' }] });
    await waitFor(async () => (await system.http('GET', `${CONNECTIONS}?kind=["prometheus"]`, { as: who.viewer })).body.total_count === 1, { message: 'on the connection page' });
    // "Perform a connectivity test": CONNECTED once both administratively and actually connected.
    expect((await system.http('POST', `${CONNECTIONS}/${registered.body.id}/test`, { as: who.operator })).body).toMatchObject({ ok: true });
    expectConnection((await system.http('PUT', `${CONNECTIONS}/${registered.body.id}`, { as: who.operator, body: { status: 'connected' } })).body, { status: 'connected' });
    const connectedPath = `${CONNECTIONS}?status=["connected"]&kind=["prometheus"]`;
    await waitFor(async () => (await system.http('GET', connectedPath, { as: who.viewer })).body.total_count === 1, { message: 'connected on the connection page' });
    const page = await system.http('GET', connectedPath, { as: who.viewer });
    expectConnection(page.body.connections[0], { id: registered.body.id, status: 'connected', environments: [{ id: production.id, name: 'production' }] });
  });
});

describe('README "A walk through the API": the documents\' requests as printed there', () => {
  it('runs every sh block of the section in order (but the endless live stream) against a fresh organization, each with the documented outcome', async () => {
    const readme = readFileSync(join(WORKSPACE_ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('## A walk through the API');
    const section = readme.slice(start, readme.indexOf('\n## ', start));
    const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]).filter((block) => !block.startsWith('curl -N'));
    expect(blocks).toHaveLength(9);
    // Each block's output after a marker line, so each step is read on its own.
    // The lists read read models, which follow the commands a moment later: before the steps that
    // list, the script waits (a person would not notice) until what the step before did shows.
    const until = (path: string, expected: string) =>
      `for _ in $(seq 300); do curl -s -g -H "Authorization: Bearer $TOKEN" "$BASE${path}" | grep -q '${expected}' && break; sleep 0.1; done`;
    const waits: Record<number, string> = {
      3: until('/api/integrations/connections/$ID', '"status":"connected"'),
      7: until('/api/system/events?acted_upon=$ID', '"acted_upon"'),
    };
    const script = blocks
      .map((block, i) => `${waits[i] ?? ''}\necho '@@ ${i}'\n${block.replaceAll('http://localhost:8080', system.url)}\necho`)
      .join('\n');
    const run = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { cwd: WORKSPACE_ROOT, env: { ...process.env, AUTH_JWT_SECRET: system.secret } }).catch(
      (error: { code?: number; stdout?: string; stderr?: string }) => {
        throw new Error(`the walk-through failed (exit code ${error.code})\nstdout:\n${error.stdout}\nstderr:\n${error.stderr}`);
      },
    );
    const outputs = run.stdout.split(/^@@ \d+\n/m).slice(1).map((output) => output.trim());
    expect(outputs).toHaveLength(9);
    const [, prometheusStep, clusterStep, listStep, meshSyncStep, environmentStep, workspaceStep, eventsStep, deleteStep] = outputs;
    const json = (text: string) => JSON.parse(text);

    expectConnection(json(prometheusStep), { name: 'production-prometheus', kind: 'prometheus', type: 'observability', sub_type: 'monitoring', status: 'not found', credential_id: UUID, user_id: 'me', organization_id: 'default' });
    expect(prometheusStep).not.toContain('your-api-key-here');
    expectConnection(json(clusterStep), { name: 'prod-gke-us-east', kind: 'kubernetes', type: 'platform', sub_type: 'management', status: 'connected' });
    const clusterId = json(clusterStep).id;
    expect(json(listStep)).toMatchObject({ page: 0, page_size: 25, total_count: 1, connections: [{ id: clusterId, name: 'prod-gke-us-east', status: 'connected' }], status_summary: { connected: 2, 'not found': 1 } });
    expect(json(meshSyncStep)).toMatchObject({ id: clusterId, metadata: { meshsync_deployment_mode: 'edge' } });
    expect(environmentStep).toContain(`"id":"${clusterId}"`);
    expect(environmentStep).toContain('"assigned":true');
    expect(workspaceStep).toContain(`"id":"${clusterId}"`);
    expect(json(eventsStep)).toMatchObject({ page: 0, page_size: 10, events: expect.arrayContaining([expect.objectContaining({ category: 'connection', acted_upon: clusterId })]) });
    expect(deleteStep).toContain('"status":"deleted"');
    expect(deleteStep).toContain('ConnectionDeleted');
    expectError(await system.http('GET', `${CONNECTIONS}/${clusterId}`, { as: callers('default').viewer }), 'not_found');
  }, 60_000);
});

describe('the OpenAPI document', () => {
  it('describes every answer above: the validating proxy saw no response violation', () => {
    expect(system.bodies.length).toBeGreaterThan(50);
    expect(system.responseViolations).toEqual([]);
  });
});
