import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { CredentialVault } from '@clp/credential-vault';
import { Requester } from '@clp/messaging';
import type { DiscoveryConfig } from '../config';
import { DISCOVERY_CONFIG, NATS_CONNECTION } from '../discovery-feature';
import type { HealthMonitor } from './health-monitor';
import { startHealthMonitor, type RunningHealthMonitor } from './health-monitor.runtime';
import { memberName } from './membership';
import { RegistryTransitions } from './registry-transitions';
import { VaultConnectivityProber } from './vault-prober';

/** The vault's master key, parsed at start; the module refuses to start without one in production. */
export const HEALTH_MASTER_KEY = Symbol('HEALTH_MASTER_KEY');

/** The health monitor of this replica, started once the module is up and stopped before NATS closes. */
@Injectable()
export class HealthMonitorService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('health-monitor');
  private running?: RunningHealthMonitor;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(DISCOVERY_CONFIG) private readonly config: DiscoveryConfig,
    @Inject(HEALTH_MASTER_KEY) private readonly masterKey: Buffer | null,
  ) {}

  /** For in-process tests and diagnostics: the monitor, once started. */
  get monitor(): HealthMonitor | undefined {
    return this.running?.monitor;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { health, connectivityTimeoutMs, instanceName } = this.config;
    // Read-only use of the registry's vault: the same bucket and master key, never a write.
    const vault = this.masterKey ? await CredentialVault.create(this.nc, this.masterKey) : undefined;
    this.running = await startHealthMonitor(
      this.nc,
      { member: memberName(instanceName, randomUUID().slice(0, 8)), settings: health, memberTtlMs: health.memberTtlMs },
      {
        prober: new VaultConnectivityProber(vault, connectivityTimeoutMs, this.logger),
        transitions: new RegistryTransitions(new Requester(this.nc, { timeoutMs: 10_000 }), this.logger),
      },
      this.logger,
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.running?.stop();
  }
}
