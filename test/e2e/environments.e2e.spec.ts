import { startPrometheus, waitFor, type TestServer } from '@clp/testing';
import { startSystem, type RunningSystem } from './system.fixtures';

// The seed's walk-through of environments and workspaces, over HTTP only, against the real
// services (registry, environment service and gateway processes, NATS, Redis, a real prometheus).
const ORG = 'org-envs';
const operator = { organization_id: ORG, role: 'operator' as const };
const admin = { organization_id: ORG, role: 'admin' as const };
const viewer = { organization_id: ORG, role: 'viewer' as const };
const stranger = { organization_id: 'org-elsewhere', role: 'admin' as const };

const CONNECTIONS = '/api/integrations/connections';
const ENVIRONMENTS = '/api/environments';
const WORKSPACES = '/api/workspaces';
const query = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;

interface Row {
  id: string;
  name: string;
  status: string;
}

describe('environments and workspaces over HTTP (e2e: real services)', () => {
  let system: RunningSystem;
  let prometheus: TestServer;

  beforeAll(async () => {
    [system, prometheus] = await Promise.all([startSystem({ validateResponses: true }), startPrometheus()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([system?.stop(), prometheus?.stop()]);
  });

  const created = async (path: string, body: unknown, as: { organization_id: string; role: 'operator' | 'admin' } = operator) => {
    const reply = await system.http('POST', path, { as, body });
    expect(reply.status).toBe(201);
    return reply.body;
  };
  // Kinds without a target here are registered by an admin without the connectivity test.
  const github = (name: string, as = admin) =>
    created(CONNECTIONS, { kind: 'github', name, skip_connectivity_test: true, metadata: { url: 'https://github.com', owner: 'clp', repository: name } }, as);
  const kubernetes = (name: string) => created(CONNECTIONS, { kind: 'kubernetes', name, skip_connectivity_test: true, metadata: { server: `https://${name}.example:6443` } }, admin);
  const rows = async (path: string, params: Record<string, string> = {}): Promise<Row[]> => {
    const reply = await system.http('GET', `${path}${query({ pagesize: '100', order: 'name asc', ...params })}`, { as: viewer });
    expect(reply.status).toBe(200);
    return reply.body.connections;
  };
  const names = async (path: string, params: Record<string, string> = {}) => (await rows(path, params)).map((row) => row.name);
  const eventually = (path: string, expected: string[], params: Record<string, string> = {}) =>
    waitFor(async () => JSON.stringify(await names(path, params)) === JSON.stringify(expected), { message: `${path} lists ${expected.join(', ')}` });
  const assign = (environment: string, connection: string) => system.http('POST', `${ENVIRONMENTS}/${environment}/connections/${connection}`, { as: operator });

  it('walks through the seed: production and development share github-main, a workspace lists it once, development goes, the connections stay', async () => {
    const production = await created(ENVIRONMENTS, { name: 'production', description: 'the live clusters', tags: ['prod'] });
    expect(production).toMatchObject({ id: expect.any(String), name: 'production', status: 'active', connection_count: 0, organization_id: ORG });
    expect(production).not.toHaveProperty('environment_id');

    const prom = await created(CONNECTIONS, { kind: 'prometheus', name: 'prometheus', metadata: { url: prometheus.url } });
    expect(prom.status).toBe('registered');
    const cluster = await kubernetes('cluster');
    const githubMain = await github('github-main');
    for (const connection of [cluster, prom, githubMain]) {
      const assigned = await assign(production.id, connection.id);
      expect(assigned.status).toBe(200);
    }
    const development = await created(ENVIRONMENTS, { name: 'development' });
    expect((await assign(development.id, githubMain.id)).body).toMatchObject({ name: 'development', connection_count: 1 });

    const productionConnections = `${ENVIRONMENTS}/${production.id}/connections`;
    await eventually(productionConnections, ['cluster', 'github-main', 'prometheus']);
    const listed = await rows(productionConnections);
    expect(listed.find((row) => row.name === 'prometheus')).toMatchObject({ id: prom.id, status: 'registered', assigned: true, kind: 'prometheus' });
    expect(listed[0]).not.toHaveProperty('connection_id');

    const workspace = await created(WORKSPACES, { name: 'platform team' });
    expect(workspace).toMatchObject({ id: expect.any(String), name: 'platform team' });
    expect(workspace).not.toHaveProperty('workspace_id');
    for (const environment of [production, development]) {
      const linked = await system.http('POST', `${WORKSPACES}/${workspace.id}/environments/${environment.id}`, { as: operator });
      expect(linked.status).toBe(200);
    }
    const workspaceConnections = `${WORKSPACES}/${workspace.id}/connections`;
    await eventually(workspaceConnections, ['cluster', 'github-main', 'prometheus']);
    const page = await system.http('GET', workspaceConnections, { as: viewer });
    expect(page.body).toMatchObject({ page: 0, page_size: 10, total_count: 3 });
    expect(page.body.connections.filter((row: Row) => row.name === 'github-main')).toEqual([expect.objectContaining({ id: githubMain.id })]);

    const removed = await system.http('DELETE', `${ENVIRONMENTS}/${development.id}/connections/${githubMain.id}`, { as: operator });
    expect(removed.body).toMatchObject({ connection_count: 0 });
    await eventually(`${ENVIRONMENTS}/${development.id}/connections`, []);
    expect(await names(productionConnections)).toEqual(['cluster', 'github-main', 'prometheus']);
    // Not in development any more, so listed among its unassigned ones.
    expect(await names(`${ENVIRONMENTS}/${development.id}/connections`, { filter: '{"assigned":false}', search: 'github' })).toEqual(['github-main']);

    expect((await system.http('DELETE', `${ENVIRONMENTS}/${development.id}`, { as: admin })).body).toEqual({ id: development.id });
    expect((await system.http('GET', `${ENVIRONMENTS}/${development.id}`, { as: viewer })).status).toBe(404);
    for (const connection of [cluster, prom, githubMain]) {
      expect((await system.http('GET', `${CONNECTIONS}/${connection.id}`, { as: viewer })).body).toMatchObject({ id: connection.id });
    }
    await waitFor(async () => (await system.http('GET', `${WORKSPACES}/${workspace.id}/environments`, { as: viewer })).body.total_count === 1);
    expect((await system.http('GET', `${WORKSPACES}/${workspace.id}`, { as: viewer })).body).toMatchObject({ environment_count: 1 });
    const environments = await system.http('GET', `${ENVIRONMENTS}${query({ search: 'PROD' })}`, { as: viewer });
    expect(environments.body).toMatchObject({ total_count: 1, environments: [{ name: 'production', connection_count: 3 }] });
  });

  it('a connection deleted in the registry leaves every environment (how soon is printed: a benchmark figure, not asserted)', async () => {
    const [a, b] = [await created(ENVIRONMENTS, { name: 'blue' }), await created(ENVIRONMENTS, { name: 'green' })];
    const shared = await github('shared-repo');
    for (const environment of [a, b]) expect((await assign(environment.id, shared.id)).status).toBe(200);
    const paths = [a, b].map((environment) => `${ENVIRONMENTS}/${environment.id}/connections`);
    for (const path of paths) await eventually(path, ['shared-repo']);

    const deleted = await system.http('DELETE', `${CONNECTIONS}/${shared.id}`, { as: admin });
    expect(deleted.status).toBe(200);
    const replied = Date.now();
    await waitFor(async () => (await Promise.all(paths.map((path) => names(path)))).every((list) => list.length === 0), {
      message: 'the deleted connection gone from both environments',
    });
    const elapsed = Date.now() - replied;
    // The environments' own counts follow: the deletion was recorded as ConnectionUnassigned in each.
    await waitFor(async () => {
      const views = await Promise.all([a, b].map((environment) => system.http('GET', `${ENVIRONMENTS}/${environment.id}`, { as: viewer })));
      return views.every((view) => view.body.connection_count === 0);
    });
    console.log(`the deleted connection left both environments' listings ${elapsed} ms after the DELETE answered`);
  });

  it('refuses connections of another organization, unknown and deleted ones, and a duplicate name in another case', async () => {
    const staging = await created(ENVIRONMENTS, { name: 'Staging' });
    const theirs = await github('their-repo', stranger);
    const gone = await github('gone-repo');
    expect((await system.http('DELETE', `${CONNECTIONS}/${gone.id}`, { as: admin })).status).toBe(200);

    for (const connection of [theirs.id, gone.id, '3b241101-e2bb-4255-8caf-4136c566a962']) {
      const refused = await assign(staging.id, connection);
      expect(refused).toMatchObject({ status: 404, body: { error: { code: 'not_found', message: 'connection not found' } } });
    }
    const duplicate = await system.http('POST', ENVIRONMENTS, { as: operator, body: { name: 'STAGING' } });
    expect(duplicate).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    // Another organization has names of its own, and cannot see this one's environments.
    expect((await system.http('POST', ENVIRONMENTS, { as: stranger, body: { name: 'staging' } })).status).toBe(201);
    expect((await system.http('GET', `${ENVIRONMENTS}/${staging.id}`, { as: stranger })).status).toBe(404);

    expect((await system.http('POST', ENVIRONMENTS, { as: viewer, body: { name: 'nope' } })).status).toBe(403);
    expect((await system.http('DELETE', `${ENVIRONMENTS}/${staging.id}`, { as: operator })).status).toBe(403);
    const badFilter = await system.http('GET', `${ENVIRONMENTS}/${staging.id}/connections${query({ filter: 'assigned' })}`, { as: viewer });
    expect(badFilter).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
    expect((await system.http('POST', `${ENVIRONMENTS}/${staging.id}/connections/not-a-uuid`, { as: operator })).status).toBe(400);
    // An update names only what changes; a null, a value out of bounds or an unknown field is a 400 naming it.
    const fieldsOf = (reply: { body: { error?: { details?: { fields?: Array<{ field: string }> } } } }) => reply.body.error?.details?.fields?.map((f) => f.field);
    for (const [body, field] of [
      [{ name: null }, 'name'],
      [{ name: 'n'.repeat(101) }, 'name'],
      [{ tags: ['ok', ''] }, 'tags'],
      [{ status: 'gone' }, 'status'],
      [{ colour: 'blue' }, 'colour'],
    ] as const) {
      const refused = await system.http('PUT', `${ENVIRONMENTS}/${staging.id}`, { as: operator, body });
      expect({ status: refused.status, fields: fieldsOf(refused) }).toEqual({ status: 400, fields: [field] });
    }
    const described = await system.http('PUT', `${ENVIRONMENTS}/${staging.id}`, { as: operator, body: { description: 'the staging cluster' } });
    expect(described.body).toMatchObject({ name: staging.name, description: 'the staging cluster' });
    const workspace = await created(WORKSPACES, { name: 'update-checks' });
    const refusedWorkspace = await system.http('PUT', `${WORKSPACES}/${workspace.id}`, { as: operator, body: { description: null } });
    expect({ status: refusedWorkspace.status, fields: fieldsOf(refusedWorkspace) }).toEqual({ status: 400, fields: ['description'] });
    expect((await system.http('PUT', `${WORKSPACES}/${workspace.id}`, { as: operator, body: { description: 'd' } })).body).toMatchObject({ name: 'update-checks', description: 'd' });
    const archived = await system.http('PUT', `${ENVIRONMENTS}/${staging.id}`, { as: operator, body: { status: 'archived' } });
    expect(archived.body).toMatchObject({ status: 'archived' });
    expect((await system.http('PUT', `${ENVIRONMENTS}/${staging.id}`, { as: operator, body: { status: 'active' } })).body).toMatchObject({ status: 'active' });
  });

  it("answers Meshery's own queries (orgID, filter, tags), deletes softly and recovers; another organization's id is a 403, an unknown filter a 400 naming filter", async () => {
    const env = await created(ENVIRONMENTS, { name: 'meshery-ui', description: 'made by the UI', organization_id: ORG, tags: ['ui', 'seed'] });
    expect(env).toMatchObject({ organization_id: ORG, tags: ['ui', 'seed'], deleted_at: null });
    const connection = await github('meshery-ui-repo');
    expect((await assign(env.id, connection.id)).status).toBe(200);
    const get = (path: string) => system.http('GET', path, { as: viewer });
    const ids = (reply: { body: { environments: Array<{ id: string }> } }) => reply.body.environments.map((e) => e.id);

    // The UI's list, as it sends it (orgID, a JSON filter, page from 0, pagesize, search, order); orgId is its other spelling.
    const ui = `${ENVIRONMENTS}?orgID=${ORG}&filter=${encodeURIComponent('{"deleted_at":false}')}&page=0&pagesize=10&search=meshery&order=${encodeURIComponent('updated_at desc')}`;
    await waitFor(async () => (await get(ui)).body.total_count === 1, { message: 'the UI list shows the environment' });
    expect((await get(ui)).body).toMatchObject({ page: 0, page_size: 10, environments: [{ id: env.id, deleted_at: null, status: 'active' }] });
    expect(ids(await get(`${ENVIRONMENTS}${query({ orgId: ORG, search: 'meshery' })}`))).toEqual([env.id]);
    // An empty filter is none.
    expect(ids(await get(`${ENVIRONMENTS}?filter=&search=meshery`))).toEqual([env.id]);
    expect(ids(await get(`${ENVIRONMENTS}${query({ filter: '{}', search: 'meshery' })}`))).toEqual([env.id]);
    // tags: repeated, a JSON array or one value; any of them.
    expect(ids(await get(`${ENVIRONMENTS}?tags=seed&tags=other&search=meshery`))).toEqual([env.id]);
    expect(ids(await get(`${ENVIRONMENTS}${query({ tags: '["ui"]', search: 'meshery' })}`))).toEqual([env.id]);
    expect(ids(await get(`${ENVIRONMENTS}${query({ tags: 'other', search: 'meshery' })}`))).toEqual([]);
    // Its connections, with the document's filter conditions.
    const connections = `${ENVIRONMENTS}/${env.id}/connections`;
    await eventually(connections, ['meshery-ui-repo'], { orgID: ORG, filter: '{"assigned":true,"deleted_at":false}', page: '0', search: 'meshery' });
    expect(await names(connections, { filter: '{"deleted_at":true}' })).toEqual([]);

    const fieldsOf = (reply: { body: { error?: { details?: { fields?: Array<{ field: string }> } } } }) => reply.body.error?.details?.fields?.map((f) => f.field);
    for (const path of [
      `${ENVIRONMENTS}${query({ filter: '{"colour":true}' })}`,
      `${ENVIRONMENTS}${query({ filter: '{"deleted_at":"yes"}' })}`,
      `${ENVIRONMENTS}${query({ filter: '{not json' })}`,
      `${connections}${query({ filter: '{"assigned":true,"colour":"blue"}' })}`,
      `${connections}${query({ filter: '[true]' })}`,
    ]) {
      const refused = await get(path);
      expect({ path, status: refused.status, code: refused.body.error?.code, fields: fieldsOf(refused) }).toEqual({ path, status: 400, code: 'validation_failed', fields: ['filter'] });
    }
    const elsewhere = 'org-elsewhere';
    const workspace = await created(WORKSPACES, { name: 'meshery-ws', organization_id: ORG, metadata: { team: 'ui' } });
    expect(workspace).toMatchObject({ organization_id: ORG, metadata: { team: 'ui' } });
    for (const [method, path, body] of [
      ['POST', ENVIRONMENTS, { name: 'theirs', organization_id: elsewhere }],
      ['PUT', `${ENVIRONMENTS}/${env.id}`, { description: 'x', organization_id: elsewhere }],
      ['GET', `${ENVIRONMENTS}${query({ orgID: elsewhere })}`, undefined],
      ['GET', `${ENVIRONMENTS}${query({ orgId: elsewhere })}`, undefined],
      ['GET', `${connections}${query({ orgID: elsewhere })}`, undefined],
      ['POST', WORKSPACES, { name: 'theirs', organization_id: elsewhere }],
      ['PUT', `${WORKSPACES}/${workspace.id}`, { organization_id: elsewhere }],
      ['GET', `${WORKSPACES}${query({ orgID: elsewhere })}`, undefined],
      ['GET', `${WORKSPACES}/${workspace.id}/environments${query({ orgID: elsewhere })}`, undefined],
    ] as const) {
      const refused = await system.http(method, path, { as: admin, body });
      expect({ path, status: refused.status, code: refused.body.error?.code }).toEqual({ path, status: 403, code: 'forbidden' });
    }
    expect((await system.http('PUT', `${WORKSPACES}/${workspace.id}`, { as: operator, body: { metadata: { team: 'platform' }, organizationId: ORG } })).body).toMatchObject({ metadata: { team: 'platform' } });

    // Deletion is soft: listed only with filter={"deleted_at":true}, recovered by POST …/recover.
    expect((await system.http('DELETE', `${ENVIRONMENTS}/${env.id}`, { as: admin })).body).toEqual({ id: env.id });
    const deleted = `${ENVIRONMENTS}${query({ orgID: ORG, filter: '{"deleted_at":true}', search: 'meshery' })}`;
    await waitFor(async () => ids(await get(deleted)).includes(env.id), { message: 'the deleted environment listed among the deleted' });
    expect((await get(deleted)).body.environments[0]).toMatchObject({ id: env.id, status: 'deleted', connection_count: 0, deleted_at: expect.any(String) });
    expect((await system.http('POST', `${ENVIRONMENTS}/${env.id}/recover`, { as: operator })).status).toBe(403);
    const recovered = await system.http('POST', `${ENVIRONMENTS}/${env.id}/recover`, { as: admin });
    expect(recovered).toMatchObject({ status: 200, body: { id: env.id, status: 'active', deleted_at: null, name: 'meshery-ui' } });
    expect((await system.http('POST', `${ENVIRONMENTS}/${env.id}/recover`, { as: admin })).status).toBe(404);
    await waitFor(async () => ids(await get(ui)).includes(env.id), { message: 'the recovered environment listed again' });
  });

  it('answered every request above as the OpenAPI document says (the validating proxy saw no response violation)', () => {
    expect(system.bodies.length).toBeGreaterThan(10);
    expect(system.responseViolations).toEqual([]);
  });
});
