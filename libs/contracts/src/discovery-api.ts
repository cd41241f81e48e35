import type { Caller } from './registry-api';
import type { Status } from './statuses';
import { SUBJECTS } from './subjects';

/** The most contexts one kubeconfig import takes: each may run two connectivity tests. */
export const KUBECONFIG_MAX_CONTEXTS = 50;
/** The largest kubeconfig text taken, in characters: the request must fit a NATS message (1 MiB by default). */
export const KUBECONFIG_MAX_LENGTH = 512 * 1024;

export interface ImportKubeconfigRequest {
  caller: Caller;
  /** The kubeconfig's text (YAML or JSON); its secrets become credentials and are never echoed. */
  kubeconfig: string;
}

/** What became of one context of an imported kubeconfig. */
export interface ImportedContext {
  context: string;
  cluster: string;
  /** The kubeconfig user, part of the connection's identity; null for a context without one. */
  user: string | null;
  /** The connection's id. */
  id?: string;
  /** The connection's status after the import. */
  status?: Status;
  /** True when this import created the connection (and its credential). */
  created?: boolean;
  /** Why it is not connected, or why it could not be imported. */
  reason?: string;
}

/**
 * `connected`: the context's connection is connected. `registered`: it has its connection, which
 * is not connected (`reason` says why). `ignored`: its connection was ignored and stays so.
 * `errored`: no connection was stored for it (`reason`).
 */
export interface ImportKubeconfigReply {
  registered: ImportedContext[];
  connected: ImportedContext[];
  ignored: ImportedContext[];
  errored: ImportedContext[];
}

export interface ScanClustersRequest {
  caller: Caller;
  /** One cluster's connection; all the organization's connected clusters when absent. */
  connection_id?: string;
}

/** A Prometheus or Grafana found among a cluster's Services and reported to the registry. */
export interface FoundService {
  kind: string;
  namespace: string;
  service: string;
  /** The in-cluster URL, `http://<service>.<namespace>.svc:<port>`. */
  url: string;
  /** The report's id: the same for this cluster and Service on every scan. */
  report_id: string;
}

export interface ScannedCluster {
  connection_id: string;
  name: string;
  /** Services listed in the cluster. */
  services: number;
  found: FoundService[];
  /** Why the cluster could not be scanned (never a secret). */
  error?: string;
}

export interface ScanClustersReply {
  clusters: ScannedCluster[];
}

const D = SUBJECTS.discovery;

/** Request and reply type of every discovery subject. */
export type DiscoveryApi = {
  [D.importKubeconfig]: { request: ImportKubeconfigRequest; reply: ImportKubeconfigReply };
  [D.scanClusters]: { request: ScanClustersRequest; reply: ScanClustersReply };
};
