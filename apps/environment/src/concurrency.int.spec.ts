import type { INestMicroservice } from '@nestjs/common';
import { SUBJECTS, type Caller, type EnvironmentView, type Reply, type WorkspaceView } from '@clp/contracts';
import { EVENT_STORE, type EventStore } from '@clp/event-store';
import { createEnvironmentService, listenUntilAnswering } from './environment-service';
import { result, startEnvironmentHarness, type EnvironmentHarness } from './environment.fixtures';

const E = SUBJECTS.environment;
const admin: Caller = { organization_id: 'org-race', user_id: 'ada', role: 'admin' };

// Two replicas of the environment service, each taking half of six simultaneous commands on one
// environment or workspace: every one is decided on the revision it read, so one is stored.
describe('concurrent commands on one environment or workspace (two replicas, real NATS, Redis and registry)', () => {
  let h: EnvironmentHarness;
  let second: INestMicroservice;
  let store: EventStore;

  beforeAll(async () => {
    h = await startEnvironmentHarness();
    second = await createEnvironmentService({ ...h.config, instanceName: 'environment-second' }, false);
    await listenUntilAnswering(second);
    store = h.app.get<EventStore>(EVENT_STORE);
  }, 90_000);

  afterAll(async () => {
    await second?.close();
    await h?.stop();
  });

  const six = (subject: string, payload: Record<string, unknown>) =>
    Promise.all(Array.from({ length: 6 }, () => h.api.request(subject as never, { caller: admin, ...payload } as never) as Promise<Reply<unknown>>));
  const codes = (replies: Reply<unknown>[]) => replies.map((reply) => ('error' in reply ? reply.error.code : 'ok')).sort();
  const typesOf = async (stream: string) => (await store.readStream(stream)).map((e) => e.type);

  it('six deletes of one environment: one EnvironmentDeleted, the others not_found or conflict, none unavailable', async () => {
    const env = result(await h.api.request(E.createEnvironment, { caller: admin, name: 'raced' })) as EnvironmentView;
    const replies = await six(E.deleteEnvironment, { environment_id: env.id });
    expect(codes(replies).filter((code) => code === 'ok')).toHaveLength(1);
    expect(codes(replies).every((code) => ['ok', 'not_found', 'conflict'].includes(code))).toBe(true);
    expect((await typesOf(`environment-${env.id}`)).filter((type) => type === 'EnvironmentDeleted')).toHaveLength(1);
  });

  it('six renames of one environment: each stored once, on its own revision', async () => {
    const env = result(await h.api.request(E.createEnvironment, { caller: admin, name: 'renamed' })) as EnvironmentView;
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) => h.api.request(E.updateEnvironment, { caller: admin, environment_id: env.id, description: `take ${i}` }) as Promise<Reply<unknown>>),
    );
    expect(codes(replies).every((code) => ['ok', 'conflict'].includes(code))).toBe(true);
    const updates = (await store.readStream(`environment-${env.id}`)).filter((e) => e.type === 'EnvironmentUpdated');
    expect(updates).toHaveLength(codes(replies).filter((code) => code === 'ok').length);
    // One chain: revisions (opaque, design.md §4) strictly increasing, every event once.
    const recorded = await store.readStream(`environment-${env.id}`);
    expect(recorded.every((e, i) => i === 0 || e.revision > recorded[i - 1].revision)).toBe(true);
    expect(new Set(recorded.map((e) => e.metadata.event_id)).size).toBe(recorded.length);
  });

  it('six deletes of one workspace: one WorkspaceDeleted, the others not_found or conflict', async () => {
    const ws = result(await h.api.request(E.createWorkspace, { caller: admin, name: 'raced-ws' })) as WorkspaceView;
    const replies = await six(E.deleteWorkspace, { workspace_id: ws.id });
    expect(codes(replies).filter((code) => code === 'ok')).toHaveLength(1);
    expect(codes(replies).every((code) => ['ok', 'not_found', 'conflict'].includes(code))).toBe(true);
    expect((await typesOf(`workspace-${ws.id}`)).filter((type) => type === 'WorkspaceDeleted')).toHaveLength(1);
  });
});
