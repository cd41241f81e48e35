import type { ProbeResult, Status } from '@clp/contracts';
import type { WatchedConnection } from './watched-connection';

/** Runs a connection's connectivity test; `undefined` when it cannot be run now (its secret cannot be read). */
export interface ConnectivityProber {
  probe(connection: WatchedConnection): Promise<ProbeResult | undefined>;
}

/**
 * `changed`: the registry made the transition; `refused`: the state had moved on (the events will
 * say where); `failed`: not answered, so the next probe asks again.
 */
export type TransitionOutcome = 'changed' | 'refused' | 'failed';

/** Asks the registry for a system transition, with the probe that decided it. */
export interface TransitionRequester {
  request(connection: WatchedConnection, to: Status, reason: string, probe: ProbeResult): Promise<TransitionOutcome>;
}

/** What one probe found and what came of it: for tests, logs and counters. */
export interface ProbeObservation {
  connection_id: string;
  member: string;
  /** When the probe was due (epoch ms) and when it ran. */
  due_at: number;
  started_at: number;
  ok: boolean;
  requested?: Status;
  outcome?: TransitionOutcome;
}

export interface MonitorLogger {
  log(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}
