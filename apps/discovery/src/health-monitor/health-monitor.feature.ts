import { Logger } from '@nestjs/common';
import { parseMasterKey } from '@clp/credential-vault';
import type { DiscoveryConfig } from '../config';
import type { DiscoveryFeature } from '../discovery-feature';
import { HEALTH_MASTER_KEY, HealthMonitorService } from './health-monitor.service';

/** Parsed here so a bad or missing key stops the start, with a message that never shows the key. */
const masterKey = (config: DiscoveryConfig): Buffer | null => {
  if (config.credentialsMasterKey) return parseMasterKey(config.credentialsMasterKey);
  if (config.production) throw new Error('CREDENTIALS_MASTER_KEY must be set in production');
  new Logger('health-monitor').warn('CREDENTIALS_MASTER_KEY is not set: connections with a credential are not probed');
  return null;
};

/** The health monitor (design.md §6.2): probes the managed connections and requests the system transitions. */
export const healthMonitorFeature: DiscoveryFeature = (config) =>
  config.health.enabled
    ? { controllers: [], providers: [{ provide: HEALTH_MASTER_KEY, useValue: masterKey(config) }, HealthMonitorService] }
    : { controllers: [], providers: [] };
