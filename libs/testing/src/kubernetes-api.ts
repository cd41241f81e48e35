// A stand-in for the Kubernetes API server, because no real one (nor a container runtime to run
// one) can run on these machines. It serves only what discovery reads: /version, the kube-system
// namespace, and Services (of all namespaces or of one), over TLS with a CA of its own, to a
// bearer token or a client certificate signed by that CA, as the real one does. Kept minimal:
// no watches, no paging (`limit` is ignored and no `continue` is ever returned).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';

/** PEM material made with the `openssl` CLI: a CA, the server's certificate for 127.0.0.1, a client certificate. */
export interface StandInCertificates {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

export interface StandInService {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  ports: Array<{ name?: string; port: number; targetPort?: number | string }>;
  /** `None` makes it headless. */
  clusterIP?: string;
}

export interface KubernetesApiStandIn {
  url: string;
  certificates: StandInCertificates;
  /** Paths (without query) of the requests that were authenticated, in order. */
  readonly requests: string[];
  /** Replaces the Services it lists. */
  setServices(services: StandInService[]): void;
  close(): Promise<void>;
}

export const STAND_IN_KUBE_SYSTEM_UID = '0c5e7a1d-8b3f-4e2a-9d6c-7f1b2a3c4d5e';
export const STAND_IN_GIT_VERSION = 'v1.30.2';

/** What a cluster with kube-prometheus-like monitoring shows: one Prometheus and one Grafana among look-alikes. */
export const MONITORING_SERVICES: StandInService[] = [
  { namespace: 'default', name: 'kubernetes', labels: { component: 'apiserver' }, ports: [{ name: 'https', port: 443, targetPort: 6443 }] },
  { namespace: 'kube-system', name: 'kube-dns', labels: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53 }] },
  { namespace: 'monitoring', name: 'prometheus-server', labels: { 'app.kubernetes.io/name': 'prometheus' }, ports: [{ name: 'http', port: 9090, targetPort: 9090 }] },
  // The operator's headless Service in front of the same pods: not a second Prometheus.
  { namespace: 'monitoring', name: 'prometheus-operated', labels: { 'app.kubernetes.io/name': 'prometheus' }, ports: [{ name: 'web', port: 9090 }], clusterIP: 'None' },
  { namespace: 'monitoring', name: 'prometheus-node-exporter', labels: { 'app.kubernetes.io/name': 'prometheus-node-exporter' }, ports: [{ name: 'metrics', port: 9100 }] },
  { namespace: 'monitoring', name: 'alertmanager', labels: { 'app.kubernetes.io/name': 'alertmanager' }, ports: [{ name: 'web', port: 9093 }] },
  { namespace: 'monitoring', name: 'grafana', labels: { app: 'grafana' }, ports: [{ name: 'service', port: 80, targetPort: 3000 }] },
  { namespace: 'shop', name: 'frontend', labels: { app: 'frontend' }, ports: [{ name: 'http', port: 3000 }] },
];

export const makeStandInCertificates = (): StandInCertificates => {
  const dir = mkdtempSync(join(tmpdir(), 'clp-kube-certs-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const signed = (name: string, subject: string, extension: string) => {
    writeFileSync(join(dir, `${name}.ext`), extension);
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
  };
  try {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=stand-in-ca', '-keyout', 'ca.key', '-out', 'ca.crt');
    signed('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    signed('client', '/CN=tester/O=system:masters', 'extendedKeyUsage=clientAuth\n');
    const read = (file: string) => readFileSync(join(dir, file), 'utf8');
    return { ca: read('ca.crt'), serverCert: read('server.crt'), serverKey: read('server.key'), clientCert: read('client.crt'), clientKey: read('client.key') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const serviceList = (services: StandInService[]) => ({
  kind: 'ServiceList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '1' },
  items: services.map((s, i) => ({
    metadata: { name: s.name, namespace: s.namespace, uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, labels: s.labels ?? {} },
    spec: {
      type: 'ClusterIP',
      clusterIP: s.clusterIP ?? `10.96.0.${i + 10}`,
      ports: s.ports.map((p) => ({ protocol: 'TCP', ...p, targetPort: p.targetPort ?? p.port })),
    },
  })),
});

const SERVICES_OF_NAMESPACE = /^\/api\/v1\/namespaces\/([^/]+)\/services$/;

/** Starts the stand-in on a free port of 127.0.0.1; it accepts `token` as a bearer token. */
export const startKubernetesApi = async ({
  token,
  services = MONITORING_SERVICES,
  certificates = makeStandInCertificates(),
}: {
  token: string;
  services?: StandInService[];
  certificates?: StandInCertificates;
}): Promise<KubernetesApiStandIn> => {
  let listed = services;
  const requests: string[] = [];
  const bodyOf = (path: string): unknown => {
    if (path === '/version') return { major: '1', minor: '30', gitVersion: STAND_IN_GIT_VERSION, platform: 'linux/amd64' };
    if (path === '/api/v1/namespaces/kube-system') return { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'kube-system', uid: STAND_IN_KUBE_SYSTEM_UID } };
    if (path === '/api/v1/services') return serviceList(listed);
    const namespace = SERVICES_OF_NAMESPACE.exec(path)?.[1];
    return namespace ? serviceList(listed.filter((s) => s.namespace === namespace)) : undefined;
  };
  const server: Server = createServer(
    { cert: certificates.serverCert, key: certificates.serverKey, ca: certificates.ca, requestCert: true, rejectUnauthorized: false },
    (request, response) => {
      const path = (request.url ?? '').split('?')[0];
      const authenticated = (request.socket as TLSSocket).authorized || request.headers.authorization === `Bearer ${token}`;
      if (authenticated) requests.push(path);
      const body = authenticated ? bodyOf(path) : undefined;
      const [status, payload] = !authenticated
        ? [401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: 401 }]
        : body
          ? [200, body]
          : [404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }];
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    certificates,
    requests,
    setServices: (next) => {
      listed = next;
    },
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
};
