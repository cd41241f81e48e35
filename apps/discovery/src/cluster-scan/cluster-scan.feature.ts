import { Logger } from '@nestjs/common';
import { parseMasterKey } from '@clp/credential-vault';
import type { DiscoveryConfig } from '../config';
import type { DiscoveryFeature } from '../discovery-feature';
import { ClusterScanController } from './cluster-scan.controller';
import { ClusterScanner, SCAN_MASTER_KEY } from './cluster-scanner';
import { ClusterScans } from './cluster-scans';
import { KubernetesClusters } from './kubernetes-clusters';

/** Parsed at start, so a bad key stops the service with a message that never shows it. */
const masterKey = (config: DiscoveryConfig): Buffer | null => {
  if (config.credentialsMasterKey) return parseMasterKey(config.credentialsMasterKey);
  if (config.production) throw new Error('CREDENTIALS_MASTER_KEY must be set in production');
  new Logger('cluster-scan').warn('CREDENTIALS_MASTER_KEY is not set: clusters with a credential are not scanned');
  return null;
};

/** The cluster scan: Prometheus and Grafana among the Services of connected clusters, on an interval and on demand. */
export const clusterScanFeature: DiscoveryFeature = (config) => ({
  controllers: [ClusterScanController],
  providers: [{ provide: SCAN_MASTER_KEY, useValue: masterKey(config) }, KubernetesClusters, ClusterScanner, ClusterScans],
});
