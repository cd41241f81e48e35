import { createHash } from 'node:crypto';
import { ReplyError, type EnvironmentNameEvent } from '@clp/contracts';
import { unreachable, type Command } from './command';
import type { EnvironmentState } from './environment-decider';

/** Names are compared without regard to case (and to Unicode's equivalent spellings). */
export const normalizedName = (name: string): string => name.normalize('NFKC').toLowerCase();

/** The id of a name's claim stream: one per organization and normalized name. */
export const nameClaimId = (organizationId: string, name: string): string =>
  createHash('sha256').update(`${organizationId}\n${normalizedName(name)}`).digest('hex');

/**
 * How long a claim whose holder does not (yet) carry the name stays valid: the time between
 * claiming a name and storing the environment (or the rename) that uses it. Past it, a claim
 * left by a crash in between is taken over instead of blocking the name for ever.
 */
export const CLAIM_GRACE_MS = 30_000;

export type ClaimName = Command<
  'ClaimName',
  {
    organization_id: string;
    name: string;
    environment_id: string;
    /** Whether the current holder still holds the name (`claimHolds`); the shell loads the holder to tell. */
    holder_holds: boolean;
  }
>;
export type ReleaseName = Command<'ReleaseName', { organization_id: string; environment_id: string }>;
export type NameClaimCommand = ClaimName | ReleaseName;

export type NameClaimState = {
  holder?: { environment_id: string; name: string; claimed_at: string };
};

export const initialNameClaim = (): NameClaimState => ({});

/**
 * A claim holds while its environment is live and carries the name (in any case), or while it is
 * younger than the grace period (the environment or its rename is being stored).
 */
export const claimHolds = (claim: NonNullable<NameClaimState['holder']>, holder: EnvironmentState, now: string): boolean => {
  if (holder.status === 'deleted' || holder.status === 'purged') return false;
  if ((holder.status === 'active' || holder.status === 'archived') && normalizedName(holder.name) === normalizedName(claim.name)) return true;
  return Date.parse(now) - Date.parse(claim.claimed_at) < CLAIM_GRACE_MS;
};

export const decideNameClaim = (command: NameClaimCommand, state: NameClaimState): EnvironmentNameEvent[] => {
  const { environment_id, organization_id } = command.data;
  switch (command.type) {
    case 'ClaimName':
      if (state.holder?.environment_id === environment_id) return [];
      if (state.holder && command.data.holder_holds) {
        throw new ReplyError('conflict', `an environment named "${command.data.name}" exists already`, {
          name: command.data.name,
          environment_id: state.holder.environment_id,
        });
      }
      return [{ type: 'EnvironmentNameClaimed', data: { organization_id, name: command.data.name, environment_id, claimed_at: command.metadata.now } }];
    case 'ReleaseName':
      return state.holder?.environment_id === environment_id ? [{ type: 'EnvironmentNameReleased', data: { organization_id, environment_id } }] : [];
    default:
      return unreachable(command);
  }
};

export const evolveNameClaim = (state: NameClaimState, event: EnvironmentNameEvent): NameClaimState => {
  switch (event.type) {
    case 'EnvironmentNameClaimed':
      return { holder: { environment_id: event.data.environment_id, name: event.data.name, claimed_at: event.data.claimed_at } };
    case 'EnvironmentNameReleased':
      return {};
    default:
      return unreachable(event);
  }
};

export const nameClaimDecider = { decide: decideNameClaim, evolve: evolveNameClaim, initialState: initialNameClaim };
