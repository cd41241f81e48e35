import { STATUSES, SUBJECTS, type Caller, type Cause, type ConnectionView, type Reply, type Status } from '@clp/contracts';
import { allowedTransitions } from '@clp/connection-lifecycle';
import type { Requester } from '@clp/messaging';
import { startPrometheus, type TestServer } from '@clp/testing';
import { result, startRegistryHarness, type RegistryHarness } from '../registry.fixtures';

const R = SUBJECTS.registry;
const admin: Caller = { organization_id: 'org-t', user_id: 'ada', role: 'admin' };
const system: Caller = { organization_id: 'org-t', user_id: 'health-monitor', role: 'admin' };

/** How to bring a fresh connection to each status through the API, from its registration. */
const PATHS: Record<Exclude<Status, 'deleted'>, Array<[Status, Cause]>> = {
  registered: [],
  'not found': [['not found', 'system']],
  discovered: [['not found', 'system'], ['discovered', 'system']],
  connected: [['connected', 'user']],
  ignored: [['ignored', 'user']],
  maintenance: [['maintenance', 'user']],
  disconnected: [['connected', 'user'], ['disconnected', 'system']],
};

describe('every allowed transition, and the refused ones, through the NATS API (real NATS, Redis, Prometheus)', () => {
  let h: RegistryHarness;
  let prometheus: TestServer;
  let api: Requester;
  let n = 0;

  beforeAll(async () => {
    [h, prometheus] = await Promise.all([startRegistryHarness({ instanceName: 'registry-transitions' }), startPrometheus()]);
    ({ api } = h);
  });

  afterAll(async () => {
    await Promise.all([h?.stop(), prometheus?.stop()]);
  });

  // The system's transitions travel on their own subject (docs/bus-security.md).
  const transition = (connection_id: string, status: Status, cause: Cause) =>
    api.send(cause === 'system' ? R.systemTransition : R.transition, { caller: cause === 'system' ? system : admin, connection_id, status, cause, reason: 'walk' }) as Promise<
      Reply<ConnectionView>
    >;

  /**
   * A new connection brought to `status`. A `github` kind with its own owner is a resource of its
   * own (its identity is url, owner, repository) whose generic HTTP test the Prometheus passes.
   */
  const connectionIn = async (status: Exclude<Status, 'deleted'>): Promise<string> => {
    const reply = (await api.send(R.registerConnection, {
      caller: admin,
      kind: 'github',
      name: `walker-${++n}`,
      metadata: { url: prometheus.url, owner: `owner-${n}` },
    })) as Reply<ConnectionView>;
    const { id: connection_id } = result(reply);
    for (const [to, cause] of PATHS[status]) result(await transition(connection_id, to, cause));
    return connection_id;
  };

  for (const cause of ['user', 'system'] as const) {
    for (const from of STATUSES.filter((s): s is Exclude<Status, 'deleted'> => s !== 'deleted')) {
      const facts = { auto_connect: false, disconnected_by: 'system' as const };
      const allowed = allowedTransitions(from, cause, facts);
      const refused = STATUSES.filter((s) => !allowed.includes(s));

      it(`${cause}: from ${from}, every allowed target (${allowed.join(', ') || 'none'}) and the refused ones`, async () => {
        for (const to of allowed) {
          const reply = await transition(await connectionIn(from), to, cause);
          expect({ to, reply }).toMatchObject({ to, reply: { result: { status: to } } });
          // The view of the API, not the decider's state.
          expect(reply).not.toHaveProperty('result.identity');
          expect(reply).not.toHaveProperty('result.disconnected_by');
        }
        const id = await connectionIn(from);
        for (const to of refused) {
          expect(await transition(id, to, cause)).toMatchObject({ error: { code: 'invalid_transition', details: { from, to, cause, allowed } } });
        }
      });
    }
  }
});
