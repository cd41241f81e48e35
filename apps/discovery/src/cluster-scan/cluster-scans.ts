import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { ReplyError, type ScanClustersReply, type ScanClustersRequest, type ScannedCluster } from '@clp/contracts';
import type { Connection } from '@clp/connection-lifecycle';
import { Lease } from '@clp/event-store';
import { requireRole } from '@clp/messaging';
import type { DiscoveryConfig } from '../config';
import { DISCOVERY_CONFIG, NATS_CONNECTION } from '../discovery-feature';
import { ClusterScanner } from './cluster-scanner';
import { KubernetesClusters } from './kubernetes-clusters';

/** Clusters scanned at once by one replica. */
const CONCURRENCY = 8;
/** How long an on-demand scan waits for this replica to have read the connections stored before it started. */
const READY_TIMEOUT_MS = 5000;
const LEASE = 'discovery-cluster-scan';

const inPool = async <T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      results[at] = await work(items[at]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
};

/**
 * When clusters are scanned: on demand (`discovery.cmd.scan`, one organization's clusters, by
 * whichever replica receives it), and every `SCAN_INTERVAL_MS` (every organization's) by the one
 * replica that holds the scan's lease, so that replicas do not all scan every cluster.
 */
@Injectable()
export class ClusterScans implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('cluster-scan');
  private lease?: Lease;
  private holding = false;
  private scanning = false;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(DISCOVERY_CONFIG) private readonly config: DiscoveryConfig,
    private readonly clusters: KubernetesClusters,
    private readonly scanner: ClusterScanner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.scanIntervalMs <= 0) return;
    this.lease = await Lease.create(this.nc, LEASE, { ttlMs: 5000 });
    this.timers.push(setInterval(() => void this.keepLease(), 1000));
    this.timers.push(setInterval(() => void this.scanEverywhere(), this.config.scanIntervalMs));
    await this.keepLease();
  }

  async onModuleDestroy(): Promise<void> {
    this.timers.forEach(clearInterval);
    if (this.holding) await this.lease?.release();
  }

  async onDemand(request: ScanClustersRequest, correlation_id?: string): Promise<ScanClustersReply> {
    requireRole(request.caller, 'operator');
    await this.clusters.ready(READY_TIMEOUT_MS);
    const targets = this.clusters
      .connected(request.caller.organization_id)
      .filter((cluster) => request.connection_id === undefined || cluster.connection_id === request.connection_id);
    if (request.connection_id && targets.length === 0) {
      throw new ReplyError('not_found', 'no connected Kubernetes connection with this id', { connection_id: request.connection_id });
    }
    return { clusters: await this.scanAll(targets, correlation_id) };
  }

  private async scanAll(clusters: Connection[], correlation_id?: string): Promise<ScannedCluster[]> {
    return inPool(clusters, (cluster) => this.scanner.scan(cluster, correlation_id));
  }

  private async scanEverywhere(): Promise<void> {
    if (!this.holding || this.scanning) return;
    this.scanning = true;
    try {
      const results = await this.scanAll(this.clusters.connected());
      const found = results.reduce((sum, r) => sum + r.found.length, 0);
      const failed = results.filter((r) => r.error).length;
      this.logger.log(`scanned ${results.length} clusters: ${found} Prometheus and Grafana servers reported, ${failed} clusters not reachable`);
    } catch (error) {
      this.logger.error(`the periodic scan failed: ${(error as Error).message}`);
    } finally {
      this.scanning = false;
    }
  }

  private async keepLease(): Promise<void> {
    const lease = this.lease;
    if (!lease) return;
    try {
      this.holding = this.holding ? await lease.renew() : await lease.acquire();
    } catch {
      this.holding = false;
    }
  }
}
