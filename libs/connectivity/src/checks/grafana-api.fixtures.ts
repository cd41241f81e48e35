// A stand-in for Grafana, because Grafana is not packaged for Debian and cannot run on this
// machine: it serves only /api/health, with the body Grafana sends. Given `authorization`, it
// checks the Authorization header as Grafana does (401 otherwise) and records every one it got.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GrafanaStandIn {
  url: string;
  authorizations: Array<string | undefined>;
  close(): Promise<void>;
}

export const startGrafanaStandIn = async (database: 'ok' | 'failing', version = '11.1.0', authorization?: string): Promise<GrafanaStandIn> => {
  const authorizations: Array<string | undefined> = [];
  const server = createServer((request, response) => {
    authorizations.push(request.headers.authorization);
    if (request.url !== '/api/health') return void response.writeHead(404).end();
    if (authorization && request.headers.authorization !== authorization) return void response.writeHead(401).end();
    // Grafana answers 503 with the same shape when its database check fails.
    response
      .writeHead(database === 'ok' ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ commit: 'abc1234', database, version }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    authorizations,
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
};
