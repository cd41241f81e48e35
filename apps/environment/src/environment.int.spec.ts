import { SUBJECTS, type Caller, type EnvironmentView, type WorkspaceView } from '@clp/contracts';
import { waitFor } from '@clp/testing';
import { result, startEnvironmentHarness, type EnvironmentHarness } from './environment.fixtures';

const E = SUBJECTS.environment;
const operator: Caller = { organization_id: 'org-e', user_id: 'olivia', role: 'operator' };
const admin: Caller = { ...operator, user_id: 'ada', role: 'admin' };
const viewer: Caller = { ...operator, user_id: 'vic', role: 'viewer' };
const stranger: Caller = { organization_id: 'org-x', user_id: 'sam', role: 'admin' };

describe('environment service over its NATS API (real NATS, Redis and registry)', () => {
  let h: EnvironmentHarness;

  beforeAll(async () => {
    h = await startEnvironmentHarness();
  }, 90_000);

  afterAll(async () => {
    await h?.stop();
  });

  const create = async (name: string, caller = operator) => result(await h.api.request(E.createEnvironment, { caller, name }));
  const connectionsOf = async (environment_id: string, query: Record<string, unknown> = {}, caller = viewer) =>
    result(await h.api.request(E.environmentConnections, { caller, environment_id, pagesize: 100, ...query }));
  const idsOf = (page: { connections: Array<{ id: string }> }) => page.connections.map((c) => c.id).sort();

  it('keeps environment names unique in an organization, whatever their case, through the event store', async () => {
    const production = await create('Production');
    expect(production).toMatchObject({ name: 'Production', status: 'active', owner: 'olivia', connection_count: 0, tags: [], metadata: {} });
    expect(await h.api.request(E.createEnvironment, { caller: operator, name: 'PRODUCTION' })).toMatchObject({ error: { code: 'conflict' } });
    // Another organization has its own names.
    expect(result(await h.api.request(E.createEnvironment, { caller: stranger, name: 'production' }))).toMatchObject({ organization_id: 'org-x' });

    // A rename frees the old name and takes the new one.
    const staging = await create('staging');
    expect(await h.api.request(E.updateEnvironment, { caller: operator, environment_id: staging.id, name: 'production' })).toMatchObject({ error: { code: 'conflict' } });
    expect(result(await h.api.request(E.updateEnvironment, { caller: operator, environment_id: production.id, name: 'prod' }))).toMatchObject({ name: 'prod' });
    // A field is given a value or left out: null is refused by name, never read as "unchanged" or stored.
    const nulls = await h.api.request(E.updateEnvironment, { caller: operator, environment_id: production.id, name: null, tags: null } as never);
    expect(nulls).toMatchObject({ error: { code: 'validation_failed', details: { fields: [{ field: 'name' }, { field: 'tags' }] } } });
    expect(result(await h.api.request(E.updateEnvironment, { caller: operator, environment_id: staging.id, name: 'production' }))).toMatchObject({ name: 'production' });
    // A deletion frees it too.
    expect(result(await h.api.request(E.deleteEnvironment, { caller: admin, environment_id: staging.id }))).toEqual({ id: staging.id });
    expect(await create('PRODUCTION')).toMatchObject({ name: 'PRODUCTION' });

    // Racing creations of one name: exactly one wins.
    const raced = await Promise.all(Array.from({ length: 6 }, (_, i) => h.api.request(E.createEnvironment, { caller: operator, name: i % 2 ? 'Race' : 'race' })));
    expect(raced.filter((reply) => 'result' in reply)).toHaveLength(1);
    expect(raced.filter((reply) => 'error' in reply && reply.error.code === 'conflict')).toHaveLength(5);
  });

  it('archives and restores; an archived environment refuses assignment changes; roles and organizations are enforced', async () => {
    const env = await create('archive-me');
    const connection = await h.connection(operator, 'archived-conn');
    const archived = result(await h.api.request(E.updateEnvironment, { caller: operator, environment_id: env.id, status: 'archived' }));
    expect(archived.status).toBe('archived');
    expect(await h.api.request(E.assignConnection, { caller: operator, environment_id: env.id, connection_id: connection.id })).toMatchObject({
      error: { code: 'conflict' },
    });
    expect(result(await h.api.request(E.updateEnvironment, { caller: operator, environment_id: env.id, status: 'active' })).status).toBe('active');
    expect(await h.api.request(E.createEnvironment, { caller: viewer, name: 'nope' })).toMatchObject({ error: { code: 'forbidden' } });
    expect(await h.api.request(E.deleteEnvironment, { caller: operator, environment_id: env.id })).toMatchObject({ error: { code: 'forbidden' } });
    expect(await h.api.request(E.getEnvironment, { caller: stranger, environment_id: env.id })).toMatchObject({ error: { code: 'not_found' } });
    expect(result(await h.api.request(E.getEnvironment, { caller: viewer, environment_id: env.id }))).toMatchObject({ name: 'archive-me', status: 'active' });
  });

  it('assigns only existing, live connections of the organization, idempotently both ways, and lists them with their current status', async () => {
    const env = await create('assignments');
    const [mine, other, theirs, gone] = await Promise.all([
      h.connection(operator, 'mine'),
      h.connection(operator, 'other', 'prometheus'),
      h.connection(stranger, 'theirs'),
      h.connection(operator, 'gone'),
    ]);
    result(await h.api.request(SUBJECTS.registry.deleteConnection, { caller: admin, connection_id: gone.id }));
    const assign = (connection_id: string) => h.api.request(E.assignConnection, { caller: operator, environment_id: env.id, connection_id });
    expect(await assign(theirs.id)).toMatchObject({ error: { code: 'not_found' } });
    expect(await assign(gone.id)).toMatchObject({ error: { code: 'not_found' } });
    expect(await assign('3b241101-e2bb-4255-8caf-4136c566a962')).toMatchObject({ error: { code: 'not_found' } });
    expect(result(await assign(mine.id)).connection_count).toBe(1);
    expect(result(await assign(mine.id)).connection_count).toBe(1);

    const assigned = await waitFor(async () => {
      const page = await connectionsOf(env.id);
      return page.total_count === 1 ? page : undefined;
    });
    expect(assigned.connections[0]).toMatchObject({ id: mine.id, status: 'registered', assigned: true, name: 'mine' });
    const others = await connectionsOf(env.id, { filter: { assigned: false } });
    expect(idsOf(others)).toContain(other.id);
    expect(idsOf(others)).not.toContain(mine.id);
    expect(idsOf(others)).not.toContain(gone.id);
    expect(others.connections.every((c: { assigned: boolean; organization_id: string }) => !c.assigned && c.organization_id === 'org-e')).toBe(true);
    expect((await connectionsOf(env.id, { filter: { assigned: false }, search: 'OTHER' })).connections.map((c) => c.name)).toEqual(['other']);

    // A status change in the registry shows in the listing: the view follows CONNECTION_EVENTS.
    result(await h.api.request(SUBJECTS.registry.transition, { caller: operator, connection_id: mine.id, status: 'maintenance', cause: 'user' }));
    await waitFor(async () => (await connectionsOf(env.id)).connections[0]?.status === 'maintenance', { message: 'maintenance in the listing' });

    const removed = (await h.api.request(E.unassignConnection, { caller: operator, environment_id: env.id, connection_id: mine.id })) as never;
    expect(result<EnvironmentView>(removed).connection_count).toBe(0);
    expect(result(await h.api.request(E.unassignConnection, { caller: operator, environment_id: env.id, connection_id: mine.id })).connection_count).toBe(0);
    await waitFor(async () => (await connectionsOf(env.id)).total_count === 0);
    expect(await h.api.request(E.environmentConnections, { caller: stranger, environment_id: env.id })).toMatchObject({ error: { code: 'not_found' } });
  });

  it('a connection deleted in the registry leaves every environment within a second', async () => {
    const [a, b] = [await create('left-a'), await create('left-b')];
    const shared = await h.connection(operator, 'shared');
    for (const env of [a, b]) result(await h.api.request(E.assignConnection, { caller: operator, environment_id: env.id, connection_id: shared.id }));
    for (const env of [a, b]) await waitFor(async () => (await connectionsOf(env.id)).total_count === 1);

    const deleted = Date.now();
    result(await h.api.request(SUBJECTS.registry.deleteConnection, { caller: admin, connection_id: shared.id }));
    await waitFor(async () => (await Promise.all([a, b].map((env) => connectionsOf(env.id)))).every((page) => page.total_count === 0), { timeoutMs: 1000, intervalMs: 10 });
    const gone = Date.now() - deleted;
    // And the environments' own streams say so, through the durable consumer's ConnectionUnassigned.
    await waitFor(async () => {
      const views = await Promise.all([a, b].map(async (env) => result(await h.api.request(E.getEnvironment, { caller: viewer, environment_id: env.id }))));
      return views.every((view) => view.connection_count === 0);
    }, { timeoutMs: 1000, intervalMs: 10 });
    console.log(`deleted connection gone from both environments after ${gone} ms, unassigned in their streams after ${Date.now() - deleted} ms`);
  });

  it('workspaces: link environments, list the union of their connections once, unlink, and lose deleted environments', async () => {
    const [prod, dev] = [await create('ws-prod'), await create('ws-dev')];
    const [k8s, github] = [await h.connection(operator, 'k8s'), await h.connection(operator, 'github-main')];
    for (const [env, conn] of [[prod, k8s], [prod, github], [dev, github]] as const) {
      result(await h.api.request(E.assignConnection, { caller: operator, environment_id: env.id, connection_id: conn.id }));
    }
    const ws = result(await h.api.request(E.createWorkspace, { caller: operator, name: 'team', description: 'the team' }));
    expect(ws).toMatchObject({ name: 'team', environment_count: 0, owner: 'olivia' });
    for (const env of [prod, dev, dev]) result(await h.api.request(E.linkEnvironment, { caller: operator, workspace_id: ws.id, environment_id: env.id }));
    const other = await create('ws-other', { ...operator, organization_id: 'org-x' });
    expect(await h.api.request(E.linkEnvironment, { caller: operator, workspace_id: ws.id, environment_id: other.id })).toMatchObject({ error: { code: 'not_found' } });

    const union = async () => result(await h.api.request(E.workspaceConnections, { caller: viewer, workspace_id: ws.id, pagesize: 100, order: 'name asc' }));
    const page = await waitFor(async () => ((await union()).total_count === 2 ? union() : undefined));
    expect(page.connections.map((c) => c.name)).toEqual(['github-main', 'k8s']);
    const environments = result(await h.api.request(E.workspaceEnvironments, { caller: viewer, workspace_id: ws.id }));
    expect(environments.environments.map((e) => e.name).sort()).toEqual(['ws-dev', 'ws-prod']);

    result(await h.api.request(E.deleteEnvironment, { caller: admin, environment_id: prod.id }));
    await waitFor(async () => (await union()).total_count === 1);
    const after = result(await h.api.request(E.getWorkspace, { caller: viewer, workspace_id: ws.id }));
    expect(after.environment_count).toBe(1);
    // Deleting an environment deletes no connection.
    expect(result(await h.api.request(SUBJECTS.registry.getConnection, { caller: viewer, connection_id: k8s.id })).status).toBe('registered');

    result(await h.api.request(E.unlinkEnvironment, { caller: operator, workspace_id: ws.id, environment_id: dev.id }));
    await waitFor(async () => (await union()).total_count === 0);
    const listed = await waitFor(async () => {
      const list = result(await h.api.request(E.listWorkspaces, { caller: viewer, search: 'TEAM' }));
      return list.workspaces[0]?.environment_count === 0 ? list : undefined;
    });
    expect(listed.workspaces).toEqual([result<WorkspaceView>(await h.api.request(E.getWorkspace, { caller: viewer, workspace_id: ws.id }))]);
    expect(result(await h.api.request(E.deleteWorkspace, { caller: admin, workspace_id: ws.id }))).toEqual({ id: ws.id });
    expect(await h.api.request(E.getWorkspace, { caller: viewer, workspace_id: ws.id })).toMatchObject({ error: { code: 'not_found' } });
  });

  it('lists environments with paging, search and order, as the streams have them', async () => {
    const page = await waitFor(async () => {
      const p = result(await h.api.request(E.listEnvironments, { caller: viewer, search: 'ws-', order: 'name asc' }));
      return p.total_count === 1 ? p : undefined;
    });
    expect(page).toMatchObject({ page: 0, page_size: 10, total_count: 1 });
    expect(page.environments[0]).toEqual(result(await h.api.request(E.getEnvironment, { caller: viewer, environment_id: page.environments[0].id })));
    const all = result(await h.api.request(E.listEnvironments, { caller: viewer, pagesize: 2, page: 1, order: 'created_at asc' }));
    expect(all.environments).toHaveLength(2);
    expect(all.total_count).toBeGreaterThan(4);
  });
});
