import { randomUUID } from 'node:crypto';
import { SUBJECTS, type ConnectionView, type Reply } from '@clp/contracts';
import { result, startRegistryHarness, type RegistryHarness } from '../../registry.fixtures';

const operator = { organization_id: 'org-system-cause', user_id: 'someone', role: 'operator' as const };

interface History {
  events: Array<{ type: string; data: { to?: string; cause?: string } }>;
}

describe('cause system is a property of the subject', () => {
  let h: RegistryHarness;
  beforeAll(async () => {
    h = await startRegistryHarness({ instanceName: 'registry-system-cause' });
  });
  afterAll(() => h?.stop());

  const register = async (name: string): Promise<ConnectionView> =>
    result((await h.api.request(SUBJECTS.registry.registerConnection, { caller: operator, kind: 'prometheus', name, metadata: { url: `http://127.0.0.1:9/${name}` } })) as Reply<ConnectionView>);
  const lastChange = async (connection_id: string) => {
    const history = result((await h.api.request(SUBJECTS.registry.connectionHistory, { caller: operator, connection_id })) as Reply<History>);
    return history.events.filter((event) => event.type === 'StatusChanged').at(-1)?.data;
  };

  it('refuses a forged cause: system on the user subject with a validation error on cause', async () => {
    const connection = await register('forged');
    const request = { caller: operator, connection_id: connection.id, status: 'registered' as const, reason: 'forged' };
    const forged = await h.api.request(SUBJECTS.registry.transition, { ...request, cause: 'system' });
    expect(forged).toMatchObject({ error: { code: 'validation_failed', details: { fields: [{ field: 'cause' }] } } });
    // Nothing was decided: the history has no change to `registered`.
    expect((await lastChange(connection.id))?.to).not.toBe('registered');
  });

  it('records a transition on the system subject as the system, whatever the payload claims', async () => {
    const connection = await register('monitored');
    const reply = await h.api.request(SUBJECTS.registry.systemTransition, { caller: operator, connection_id: connection.id, status: 'registered', cause: 'user', reason: 'probe' });
    expect(reply).not.toHaveProperty('error');
    expect(await lastChange(connection.id)).toMatchObject({ to: 'registered', cause: 'system' });
  });

  it('records a transition on the user subject as a person', async () => {
    const connection = await register('by-hand');
    // Deleting needs no connectivity test, and an admin.
    const reply = await h.api.request(SUBJECTS.registry.transition, { caller: { ...operator, role: 'admin' }, connection_id: connection.id, status: 'deleted', cause: 'user', reason: 'by hand' });
    expect(reply).not.toHaveProperty('error');
    expect(await lastChange(connection.id)).toMatchObject({ to: 'deleted', cause: 'user' });
    expect(await h.api.request(SUBJECTS.registry.transition, { caller: operator, connection_id: randomUUID(), status: 'registered', cause: 'user' })).toMatchObject({ error: { code: 'not_found' } });
  });
});
