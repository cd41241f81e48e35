import type { ProbeResult } from '@clp/contracts';
import { definitionOf } from '@clp/connection-definitions';
import { testConnectivity } from '@clp/connectivity';
import type { CredentialVault } from '@clp/credential-vault';
import type { ConnectivityProber, MonitorLogger } from './ports';
import type { WatchedConnection } from './watched-connection';

/**
 * The kinds' connectivity tests (design.md §6.4) with the connection's secret read from the vault.
 * The secret stays in this process: it goes to the target only, and the test's result is
 * redacted by `testConnectivity`. Without the vault's key, a connection that has a credential is
 * not probed at all: a test without its secret would fail and take it down for nothing.
 */
export class VaultConnectivityProber implements ConnectivityProber {
  private readonly warned = new Set<string>();

  constructor(
    private readonly vault: CredentialVault | undefined,
    private readonly timeoutMs: number,
    private readonly logger: MonitorLogger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async probe(connection: WatchedConnection): Promise<ProbeResult | undefined> {
    const definition = definitionOf(connection.kind);
    if (!definition) return undefined;
    if (definition.check === 'none') return { ok: true, checked_at: this.clock().toISOString(), latency_ms: 0, check: 'none' };
    const address = definition.address_field ? connection.metadata[definition.address_field] : undefined;
    if (typeof address !== 'string') {
      return { ok: false, checked_at: this.clock().toISOString(), latency_ms: 0, check: definition.check, error: `no ${definition.address_field} to test` };
    }
    let credential: Record<string, string> | undefined;
    if (connection.credential_id) {
      const secret = await this.secretOf(connection);
      if (secret === null) return undefined;
      credential = secret;
    }
    return testConnectivity(
      {
        check: definition.check,
        url: address,
        credential,
        insecure_skip_tls_verify: connection.metadata.insecure_skip_tls_verify === true,
        timeoutMs: this.timeoutMs,
      },
      this.clock,
    );
  }

  /** The secret; `undefined` when the credential is gone (tested without one); `null` when it cannot be read now. */
  private async secretOf(connection: WatchedConnection): Promise<Record<string, string> | undefined | null> {
    const credentialId = connection.credential_id as string;
    if (!this.vault) {
      this.warnOnce(credentialId, `credential ${credentialId} cannot be read without CREDENTIALS_MASTER_KEY: its connections are not probed`);
      return null;
    }
    try {
      return await this.vault.get(credentialId);
    } catch (error) {
      // Vault errors name the credential and the failure, never the secret.
      this.warnOnce(credentialId, `credential ${credentialId} cannot be read (${(error as Error).message}): its connections are not probed`);
      return null;
    }
  }

  private warnOnce(credentialId: string, message: string): void {
    if (this.warned.has(credentialId)) return;
    // Bounded: one entry per credential that failed, dropped when the set grows past a few thousand.
    if (this.warned.size > 4096) this.warned.clear();
    this.warned.add(credentialId);
    this.logger.warn(message);
  }
}
