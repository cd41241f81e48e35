import type { ProbeResult } from '@clp/contracts';
import type { KindDefinition } from '@clp/connection-definitions';

/** Runs a kind's connectivity test against a connection's address (design.md §6.4). */
export interface ConnectivityTester {
  test(definition: KindDefinition, metadata: Record<string, unknown>, secret?: Record<string, string>): Promise<ProbeResult>;
}

export const CONNECTIVITY = Symbol('CONNECTIVITY');
