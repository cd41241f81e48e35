import type { Cause, ProbeResult, Status } from '@clp/contracts';
import { isManaged, isTransitionAllowed } from '@clp/connection-lifecycle';

/** What the monitor knows of a connection when it decides. */
export interface HealthFacts {
  status: Status;
  disconnected_by?: Cause;
  /** The kind's definition connects it by itself once registered (note 1 of design.md §6.2). */
  auto_connect: boolean;
}

/** Consecutive outcomes of the latest probes: one of the two is always zero. */
export interface ProbeStreak {
  failures: number;
  successes: number;
}

export interface Hysteresis {
  failuresToDisconnect: number;
  successesToReconnect: number;
}

export interface AfterProbe {
  streak: ProbeStreak;
  /** The system transition to request, with the probe attached. */
  request?: { to: Status; reason: string };
}

export const NO_STREAK: ProbeStreak = { failures: 0, successes: 0 };

/** The statuses the monitor probes (design.md §6.2: never maintenance, ignored, or a person's disconnect). */
export const isProbed = (facts: HealthFacts): boolean => isManaged(facts.status, facts);

/** Where enough failures take a connection, and where enough successes bring it. */
const DOWN: Partial<Record<Status, Status>> = { discovered: 'not found', registered: 'not found', connected: 'disconnected' };
const UP: Partial<Record<Status, Status>> = { discovered: 'registered', 'not found': 'registered', disconnected: 'connected', registered: 'connected' };

const MAX_ERROR = 500;

/**
 * What the monitor does after a probe: counts the streak and, once it is long enough, requests the
 * system transition it calls for. Hysteresis: `failuresToDisconnect` failures in a row take a
 * connection down, `successesToReconnect` successes in a row bring it up, so a flapping target
 * does not flood the notification center. The table of design.md §6.2 has the last word: a move it
 * does not allow the system (registered → connected of a kind without auto-connect, a person's
 * disconnect) is not requested.
 */
export const afterProbe = (facts: HealthFacts, streak: ProbeStreak, probe: Pick<ProbeResult, 'ok' | 'error'>, hysteresis: Hysteresis): AfterProbe => {
  const next: ProbeStreak = probe.ok ? { failures: 0, successes: streak.successes + 1 } : { failures: streak.failures + 1, successes: 0 };
  if (!isProbed(facts)) return { streak: next };
  const to = probe.ok
    ? next.successes >= hysteresis.successesToReconnect
      ? UP[facts.status]
      : undefined
    : next.failures >= hysteresis.failuresToDisconnect
      ? DOWN[facts.status]
      : undefined;
  if (!to || !isTransitionAllowed(facts.status, to, 'system', facts)) return { streak: next };
  const reason = probe.ok
    ? `health check passed${next.successes > 1 ? ` ${next.successes} times in a row` : ''}`
    : `health check failed ${next.failures} time${next.failures > 1 ? 's' : ''} in a row: ${(probe.error ?? 'failed').slice(0, MAX_ERROR)}`;
  return { streak: next, request: { to, reason } };
};
