import { STATUSES, type Cause, type Status } from '@clp/contracts';

/**
 * When the system may make a transition that the table marks with a note:
 * - `auto_connect` (note 1): only for kinds whose definition says `auto_connect`.
 * - `system_disconnected` (note 2): only when the disconnection itself was made by the system;
 *   a person's "disconnect" is never undone by the health monitor.
 */
export type SystemCondition = 'auto_connect' | 'system_disconnected';

export interface TransitionRule {
  user?: true;
  system?: true | SystemCondition;
}

const U = { user: true } as const;
const S = { system: true } as const;
const US = { user: true, system: true } as const;

/** design.md §6.2, the one copy: the decider and the API's allowed transitions both read it. */
export const TRANSITIONS: Record<Status, Partial<Record<Status, TransitionRule>>> = {
  discovered: { registered: US, ignored: U, deleted: U, 'not found': S },
  registered: { connected: { user: true, system: 'auto_connect' }, ignored: U, maintenance: U, deleted: U, 'not found': S },
  connected: { ignored: U, maintenance: U, disconnected: US, deleted: U },
  ignored: { registered: U, deleted: U },
  maintenance: { connected: U, disconnected: U, deleted: U },
  disconnected: { connected: { user: true, system: 'system_disconnected' }, deleted: U },
  'not found': { discovered: S, registered: US, deleted: U },
  deleted: {},
};

/** The facts about one connection that the table's notes depend on. */
export interface TransitionConditions {
  auto_connect?: boolean;
  /** Who made the connection `disconnected`, when it is. */
  disconnected_by?: Cause;
}

const conditionHolds = (condition: true | SystemCondition, facts: TransitionConditions): boolean => {
  switch (condition) {
    case true:
      return true;
    case 'auto_connect':
      return facts.auto_connect === true;
    case 'system_disconnected':
      return facts.disconnected_by === 'system';
    default: {
      const unhandled: never = condition;
      throw new Error(`unknown system condition ${String(unhandled)}`);
    }
  }
};

export const isTransitionAllowed = (
  from: Status,
  to: Status,
  cause: Cause,
  facts: TransitionConditions = {},
): boolean => {
  const rule = TRANSITIONS[from][to];
  if (!rule) return false;
  if (cause === 'user') return rule.user === true;
  return rule.system !== undefined && conditionHolds(rule.system, facts);
};

/** The statuses a connection in `status` may move to for this cause, in the order of design.md §6.1. */
export const allowedTransitions = (status: Status, cause: Cause, facts: TransitionConditions = {}): Status[] =>
  STATUSES.filter((to) => isTransitionAllowed(status, to, cause, facts));

/**
 * Statuses whose user-requested entry runs a connectivity test first (design.md §6.2); a system
 * transition is decided by a probe already.
 */
export const needsConnectivityTest = (to: Status, cause: Cause): boolean =>
  cause === 'user' && (to === 'registered' || to === 'connected');

/** Statuses the health monitor probes; `disconnected` only when the system caused it. */
export const isManaged = (status: Status, facts: TransitionConditions = {}): boolean =>
  status === 'discovered' ||
  status === 'registered' ||
  status === 'connected' ||
  status === 'not found' ||
  (status === 'disconnected' && facts.disconnected_by === 'system');
