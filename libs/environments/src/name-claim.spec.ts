import type { EnvironmentEvent, EnvironmentNameEvent } from '@clp/contracts';
import { deciderSpec } from '@clp/testing';
import { environmentDecider } from './environment-decider';
import { CLAIM_GRACE_MS, claimHolds, nameClaimDecider, nameClaimId, type NameClaimCommand } from './name-claim';
import { ENV, meta, NOW, ORG, OTHER_ENV, production, ref } from './environments.fixtures';

const { given } = deciderSpec(nameClaimDecider);
const environment = (events: EnvironmentEvent[]) => events.reduce(environmentDecider.evolve, environmentDecider.initialState());

const claimed: EnvironmentNameEvent = { type: 'EnvironmentNameClaimed', data: { organization_id: ORG, name: 'production', environment_id: ENV, claimed_at: NOW } };
const claim = (environment_id: string, holder_holds: boolean, name = 'Production'): NameClaimCommand => ({
  type: 'ClaimName',
  data: { organization_id: ORG, name, environment_id, holder_holds },
  metadata: meta(),
});

describe('environment name claims', () => {
  it('one claim stream per organization and name, whatever its case', () => {
    expect(nameClaimId(ORG, 'Production')).toBe(nameClaimId(ORG, 'production'));
    expect(nameClaimId(ORG, 'production')).not.toBe(nameClaimId('org-2', 'production'));
    expect(nameClaimId(ORG, 'production')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a free name is claimed; claiming it again for the same environment changes nothing', () => {
    given([]).when(claim(ENV, false, 'production')).then([claimed]);
    given([claimed]).when(claim(ENV, true)).then([]);
  });

  it("a name another environment holds is a conflict; one it no longer holds is taken over", () => {
    given([claimed]).when(claim(OTHER_ENV, true)).thenThrows({ code: 'conflict', details: { environment_id: ENV } });
    const [event] = given([claimed]).when(claim(OTHER_ENV, false)).events();
    expect(event).toMatchObject({ type: 'EnvironmentNameClaimed', data: { environment_id: OTHER_ENV } });
  });

  it('is released only by its holder', () => {
    const release = (environment_id: string): NameClaimCommand => ({ type: 'ReleaseName', data: { organization_id: ORG, environment_id }, metadata: meta() });
    given([claimed]).when(release(ENV)).then([{ type: 'EnvironmentNameReleased', data: { organization_id: ORG, environment_id: ENV } }]);
    given([claimed]).when(release(OTHER_ENV)).then([]);
  });

  it('a claim holds while its environment carries the name, or within the grace period', () => {
    const holder = claimed.data;
    const later = new Date(Date.parse(NOW) + CLAIM_GRACE_MS + 1).toISOString();
    const live = environment([{ type: 'EnvironmentCreated', data: { ...production, name: 'PRODUCTION' } }]);
    expect(claimHolds(holder, live, later)).toBe(true);
    const renamed = environment([{ type: 'EnvironmentCreated', data: production }, { type: 'EnvironmentUpdated', data: { ...ref, changes: { name: 'prod' } } }]);
    expect(claimHolds(holder, renamed, NOW)).toBe(true);
    expect(claimHolds(holder, renamed, later)).toBe(false);
    // Never stored (a crash between the claim and the environment): free once the grace period is over.
    expect(claimHolds(holder, environment([]), NOW)).toBe(true);
    expect(claimHolds(holder, environment([]), later)).toBe(false);
    expect(claimHolds(holder, environment([{ type: 'EnvironmentCreated', data: production }, { type: 'EnvironmentDeleted', data: { ...ref, deleted_at: NOW } }]), NOW)).toBe(false);
  });
});
