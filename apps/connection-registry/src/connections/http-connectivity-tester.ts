import type { ProbeResult } from '@clp/contracts';
import type { KindDefinition } from '@clp/connection-definitions';
import { testConnectivity } from '@clp/connectivity';
import type { ConnectivityTester } from './connectivity';

/** The kinds' connectivity tests over the network, through `@clp/connectivity`. */
export class HttpConnectivityTester implements ConnectivityTester {
  constructor(private readonly timeoutMs: number) {}

  async test(definition: KindDefinition, metadata: Record<string, unknown>, secret?: Record<string, string>): Promise<ProbeResult> {
    if (definition.check === 'none') {
      return { ok: true, checked_at: new Date().toISOString(), latency_ms: 0, check: 'none' };
    }
    const address = definition.address_field ? metadata[definition.address_field] : undefined;
    if (typeof address !== 'string') {
      return { ok: false, checked_at: new Date().toISOString(), latency_ms: 0, check: definition.check, error: `no ${definition.address_field} to test` };
    }
    return testConnectivity({
      check: definition.check,
      url: address,
      credential: secret,
      insecure_skip_tls_verify: metadata.insecure_skip_tls_verify === true,
      timeoutMs: this.timeoutMs,
    });
  }
}
