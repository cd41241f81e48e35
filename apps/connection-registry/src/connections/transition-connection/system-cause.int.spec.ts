import { randomUUID } from 'node:crypto';
import { SUBJECTS } from '@clp/contracts';
import { startRegistryHarness, type RegistryHarness } from '../../registry.fixtures';

const operator = { organization_id: 'org-system-cause', user_id: 'someone', role: 'operator' as const };

describe('cause system is a property of the subject', () => {
  let h: RegistryHarness;
  beforeAll(async () => {
    h = await startRegistryHarness({ instanceName: 'registry-system-cause' });
  });
  afterAll(() => h?.stop());

  it('refuses a forged cause: system on the user subject with a validation error on cause', async () => {
    const request = { caller: operator, connection_id: randomUUID(), status: 'connected' as const, reason: 'forged' };
    const forged = await h.api.request(SUBJECTS.registry.transition, { ...request, cause: 'system' });
    expect(forged).toMatchObject({ error: { code: 'validation_failed', details: { fields: [{ field: 'cause' }] } } });
    // The same request as a person passes validation and reaches the connection (which does not exist).
    expect(await h.api.request(SUBJECTS.registry.transition, { ...request, cause: 'user' })).toMatchObject({ error: { code: 'not_found' } });
    // On the system's subject the payload's cause is not what decides.
    expect(await h.api.request(SUBJECTS.registry.systemTransition, { ...request, cause: 'user' })).toMatchObject({ error: { code: 'not_found' } });
  });
});
