import { SUBJECTS, type Caller, type EnvironmentView, type WorkspaceView } from '@clp/contracts';
import { waitFor } from '@clp/testing';
import { EVENT_STORE, type EventStore } from '@clp/event-store';
import { createEnvironmentService, listenUntilAnswering } from './environment-service';
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

  const deletedList = async (query: Record<string, unknown> = {}) =>
    result(await h.api.request(E.listEnvironments, { caller: viewer, pagesize: 100, filter: { deleted_at: true }, ...query })).environments.map((e) => e.name);
  const liveList = async (query: Record<string, unknown> = {}) =>
    result(await h.api.request(E.listEnvironments, { caller: viewer, pagesize: 100, ...query })).environments.map((e) => e.name);

  it('deletes softly: listed only among the deleted ones, without its connections and workspaces, and recovered under its name', async () => {
    const env = result(await h.api.request(E.createEnvironment, { caller: operator, name: 'soft', tags: ['t-soft'] }));
    const connection = await h.connection(operator, 'soft-conn');
    result(await h.api.request(E.assignConnection, { caller: operator, environment_id: env.id, connection_id: connection.id }));
    const ws = result(await h.api.request(E.createWorkspace, { caller: operator, name: 'soft-ws' }));
    result(await h.api.request(E.linkEnvironment, { caller: operator, workspace_id: ws.id, environment_id: env.id }));
    // Its rows carry the connection's fields as the registry shows them, its environments included.
    const page = await waitFor(async () => {
      const p = await connectionsOf(env.id);
      return p.total_count === 1 ? p : undefined;
    });
    expect(page.connections[0]).toMatchObject({ id: connection.id, user_id: 'olivia', tags: [], deleted_at: null, environments: [{ id: env.id, name: 'soft' }] });

    expect(result(await h.api.request(E.deleteEnvironment, { caller: admin, environment_id: env.id }))).toEqual({ id: env.id });
    expect(await h.api.request(E.getEnvironment, { caller: viewer, environment_id: env.id })).toMatchObject({ error: { code: 'not_found' } });
    await waitFor(async () => (await deletedList()).includes('soft'));
    expect(await liveList()).not.toContain('soft');
    const [deleted] = result(await h.api.request(E.listEnvironments, { caller: viewer, filter: { deleted_at: true }, search: 'soft' })).environments;
    expect(deleted).toMatchObject({ id: env.id, status: 'deleted', connection_count: 0, deleted_at: expect.stringMatching(/^\d{4}-/) });
    expect(result(await h.api.request(E.workspaceEnvironments, { caller: viewer, workspace_id: ws.id })).total_count).toBe(0);
    // Another organization's deleted environments are its own.
    expect(result(await h.api.request(E.listEnvironments, { caller: stranger, filter: { deleted_at: true } })).environments.map((e) => e.id)).not.toContain(env.id);

    // Its name was freed: taken meanwhile, recovering is a conflict until it is free again.
    const taker = result(await h.api.request(E.createEnvironment, { caller: operator, name: 'SOFT' }));
    expect(await h.api.request(E.recoverEnvironment, { caller: admin, environment_id: env.id })).toMatchObject({ error: { code: 'conflict' } });
    result(await h.api.request(E.deleteEnvironment, { caller: admin, environment_id: taker.id }));
    for (const [caller, code] of [[operator, 'forbidden'], [stranger, 'not_found']] as const) {
      expect(await h.api.request(E.recoverEnvironment, { caller, environment_id: env.id })).toMatchObject({ error: { code } });
    }
    const recovered = result(await h.api.request(E.recoverEnvironment, { caller: admin, environment_id: env.id }));
    expect(recovered).toMatchObject({ id: env.id, name: 'soft', status: 'active', deleted_at: null, connection_count: 0, tags: ['t-soft'] });
    expect(await h.api.request(E.recoverEnvironment, { caller: admin, environment_id: env.id })).toMatchObject({ error: { code: 'not_found' } });
    await waitFor(async () => (await liveList({ search: 'soft' })).includes('soft'));
    expect(await deletedList({ search: 'soft' })).toEqual(['SOFT']);
    const listed = result(await h.api.request(E.listEnvironments, { caller: viewer, search: 'soft', filter: { deleted_at: false } })).environments;
    expect(listed).toEqual([result(await h.api.request(E.getEnvironment, { caller: viewer, environment_id: env.id }))]);
    expect(await h.api.request(E.createEnvironment, { caller: operator, name: 'Soft' })).toMatchObject({ error: { code: 'conflict' } });
    // A deleted environment's connections are no list's (deleted_at true on its connections is an empty page).
    expect(result(await h.api.request(E.environmentConnections, { caller: viewer, environment_id: env.id, filter: { deleted_at: true } })).total_count).toBe(0);
  });

  it('lists environments by tags, any of them', async () => {
    for (const [name, tags] of [['tag-a', ['red']], ['tag-b', ['blue', 'red']], ['tag-c', ['green']]] as const) {
      result(await h.api.request(E.createEnvironment, { caller: operator, name, tags: [...tags] }));
    }
    await waitFor(async () => (await liveList({ search: 'tag-' })).length === 3);
    expect(await liveList({ tags: ['red'], order: 'name asc' })).toEqual(['tag-a', 'tag-b']);
    expect(await liveList({ tags: ['green', 'blue'], order: 'name asc' })).toEqual(['tag-b', 'tag-c']);
    expect(await liveList({ tags: ['red'], search: 'tag-b' })).toEqual(['tag-b']);
    expect(await liveList({ tags: ['none-has-it'] })).toEqual([]);
  });

  it('workspaces carry metadata, replaced on update', async () => {
    const ws = result(await h.api.request(E.createWorkspace, { caller: operator, name: 'meta-ws', metadata: { team: 'sre', on_call: ['ada'] } }));
    expect(ws).toMatchObject({ metadata: { team: 'sre', on_call: ['ada'] } });
    expect(result(await h.api.request(E.createWorkspace, { caller: operator, name: 'bare-ws' }))).toMatchObject({ metadata: {} });
    const updated = result(await h.api.request(E.updateWorkspace, { caller: operator, workspace_id: ws.id, metadata: { team: 'platform' } }));
    expect(updated.metadata).toEqual({ team: 'platform' });
    expect(await h.api.request(E.updateWorkspace, { caller: operator, workspace_id: ws.id, metadata: 'x' } as never)).toMatchObject({ error: { code: 'validation_failed' } });
    const listed = await waitFor(async () => {
      const [row] = result(await h.api.request(E.listWorkspaces, { caller: viewer, search: 'meta-ws' })).workspaces;
      return row?.metadata.team === 'platform' ? row : undefined;
    });
    expect(listed).toEqual(result(await h.api.request(E.getWorkspace, { caller: viewer, workspace_id: ws.id })));
  });

  it('purges deleted environments past the retention, once, with two replicas purging', async () => {
    // Two more replicas with a short retention: the harness's own keeps 30 days and purges nothing.
    const replicas = await Promise.all(
      ['a', 'b'].map((n) => createEnvironmentService({ ...h.config, instanceName: `environment-purger-${n}`, retentionMs: 300, purgeIntervalMs: 50 }, false)),
    );
    try {
      await Promise.all(replicas.map((app) => listenUntilAnswering(app)));
      const env = result(await h.api.request(E.createEnvironment, { caller: operator, name: 'purge-me' }));
      result(await h.api.request(E.deleteEnvironment, { caller: admin, environment_id: env.id }));
      const store = h.app.get<EventStore>(EVENT_STORE);
      const types = async () => (await store.readStream(`environment-${env.id}`)).map((e) => e.type);
      await waitFor(async () => (await types()).includes('EnvironmentPurged'), { timeoutMs: 10_000, message: 'the environment purged' });
      await waitFor(async () => !(await deletedList({ search: 'purge-me' })).length, { message: 'the purged environment gone from the read model' });
      expect(await types()).toEqual(['EnvironmentCreated', 'EnvironmentDeleted', 'EnvironmentPurged']);
      expect(await h.api.request(E.recoverEnvironment, { caller: admin, environment_id: env.id })).toMatchObject({ error: { code: 'not_found' } });
    } finally {
      await Promise.all(replicas.map((app) => app.close()));
    }
  });
});
