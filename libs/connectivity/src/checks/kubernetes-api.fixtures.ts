// A stand-in for the Kubernetes API server, because no real one can run on this machine: it
// serves only what the connectivity test reads (/version, the kube-system namespace) over TLS, and
// accepts a bearer token or a client certificate signed by the test CA, as the real one does.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TestCertificates } from '../test-certificates.fixtures';

export const KUBE_SYSTEM_UID = '6a1b8f0e-3c2d-4e5f-9a7b-1c2d3e4f5a6b';
export const GIT_VERSION = 'v1.30.2';

export interface KubernetesStandIn {
  url: string;
  close(): Promise<void>;
}

const BODIES: Record<string, unknown> = {
  '/version': { major: '1', minor: '30', gitVersion: GIT_VERSION, platform: 'linux/amd64' },
  '/api/v1/namespaces/kube-system': { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'kube-system', uid: KUBE_SYSTEM_UID } },
};

export const startKubernetesStandIn = async (certificates: TestCertificates, token: string): Promise<KubernetesStandIn> => {
  const server: Server = createServer(
    { cert: certificates.serverCert, key: certificates.serverKey, ca: certificates.ca, requestCert: true, rejectUnauthorized: false },
    (request, response) => {
      const byCertificate = (request.socket as TLSSocket).authorized;
      const byToken = request.headers.authorization === `Bearer ${token}`;
      const body = BODIES[request.url ?? ''];
      const [status, payload] = !byCertificate && !byToken ? [401, { kind: 'Status', reason: 'Unauthorized', code: 401 }] : body ? [200, body] : [404, { kind: 'Status', code: 404 }];
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
};
