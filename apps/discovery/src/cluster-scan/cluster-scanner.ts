import { Inject, Injectable, Logger } from '@nestjs/common';
import { JSONCodec, type NatsConnection } from 'nats';
import { v5 as uuidv5 } from 'uuid';
import { discoveryEventSubject, INTEGRATION_STREAMS, type ResourceFound, type ScannedCluster } from '@clp/contracts';
import type { Connection } from '@clp/connection-lifecycle';
import { CredentialVault } from '@clp/credential-vault';
import { ensureStream, outgoingHeaders } from '@clp/messaging';
import type { DiscoveryConfig } from '../config';
import { DISCOVERY_CONFIG, NATS_CONNECTION } from '../discovery-feature';
import { findMonitoring, type MonitoringService } from './find-monitoring';
import { listServices, ListFailed } from './kubernetes-services';

/** The vault's master key, or null when none is configured (clusters with a credential are then not scanned). */
export const SCAN_MASTER_KEY = Symbol('SCAN_MASTER_KEY');

const REPORT_NAMESPACE = 'a4e1f0c2-3b5d-5e7f-8a9b-0c1d2e3f4a5b';
const codec = JSONCodec<unknown>();

/** The same id for a cluster's Service on every scan, so a repeated report is a duplicate, not news. */
export const reportIdOf = (clusterConnectionId: string, found: Pick<MonitoringService, 'kind' | 'namespace' | 'service'>): string =>
  uuidv5(`${clusterConnectionId}/${found.namespace}/${found.service}/${found.kind}`, REPORT_NAMESPACE);

/**
 * Scans one connected cluster: lists its Services through the Kubernetes API with the
 * connection's credential (read from the vault, read-only), and reports each Prometheus and
 * Grafana found to the registry through `DISCOVERY_EVENTS`, in the cluster's organization.
 */
@Injectable()
export class ClusterScanner {
  private readonly logger = new Logger('cluster-scan');
  private vault?: Promise<CredentialVault>;
  private stream?: Promise<unknown>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(DISCOVERY_CONFIG) private readonly config: DiscoveryConfig,
    @Inject(SCAN_MASTER_KEY) private readonly masterKey: Buffer | null,
  ) {}

  async scan(cluster: Connection, correlation_id?: string): Promise<ScannedCluster> {
    const result: ScannedCluster = { connection_id: cluster.connection_id, name: cluster.name, services: 0, found: [] };
    let services;
    try {
      services = await listServices(
        {
          server: String(cluster.metadata.server),
          insecureSkipTlsVerify: cluster.metadata.insecure_skip_tls_verify === true,
          secret: await this.secretOf(cluster),
        },
        this.config.connectivityTimeoutMs,
      );
    } catch (error) {
      const reason = error instanceof ListFailed || error instanceof SecretUnavailable ? error.message : 'the scan failed';
      this.logger.warn(`cluster ${cluster.connection_id} (${cluster.organization_id}) not scanned: ${reason}`);
      return { ...result, error: reason };
    }
    result.services = services.length;
    for (const found of findMonitoring(services)) {
      const report_id = reportIdOf(cluster.connection_id, found);
      await this.report(cluster, found, report_id, correlation_id);
      result.found.push({ kind: found.kind, namespace: found.namespace, service: found.service, url: found.url, report_id });
    }
    return result;
  }

  private async report(cluster: Connection, found: MonitoringService, reportId: string, correlation_id?: string): Promise<void> {
    this.stream ??= this.nc.jetstreamManager().then((jsm) => ensureStream(jsm, INTEGRATION_STREAMS.discovery));
    await this.stream;
    const report: ResourceFound & { metadata: { event_id: string; occurred_at: string } } = {
      type: 'ConnectionDiscovered',
      data: {
        organization_id: cluster.organization_id,
        kind: found.kind,
        name: `${found.service}.${found.namespace} (${cluster.name})`.slice(0, 100),
        metadata: { url: found.url, namespace: found.namespace, service: found.service, cluster_connection_id: cluster.connection_id },
        source: 'cluster-scan',
      },
      metadata: { event_id: reportId, occurred_at: new Date().toISOString() },
    };
    // Within the stream's duplicate window a repeated report is dropped by the server; after it,
    // the registry recognises the resource by its fingerprint and changes nothing.
    await this.nc.jetstream().publish(discoveryEventSubject(found.kind), codec.encode(report), {
      msgID: reportId,
      headers: outgoingHeaders({ correlation_id, causation_id: cluster.connection_id }),
    });
  }

  private async secretOf(cluster: Connection): Promise<Record<string, string> | undefined> {
    if (!cluster.credential_id) return undefined;
    if (!this.masterKey) throw new SecretUnavailable('its credential cannot be read: CREDENTIALS_MASTER_KEY is not set');
    this.vault ??= CredentialVault.create(this.nc, this.masterKey);
    try {
      const secret = await (await this.vault).get(cluster.credential_id);
      if (!secret) throw new SecretUnavailable('its credential has no secret (deleted?)');
      return secret;
    } catch (error) {
      if (error instanceof SecretUnavailable) throw error;
      this.vault = undefined;
      throw new SecretUnavailable('its credential could not be read');
    }
  }
}

class SecretUnavailable extends Error {}
