// A stand-in for Grafana, because Grafana is not packaged for Debian and cannot run on this
// machine: it serves only /api/health, with the body Grafana sends.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GrafanaStandIn {
  url: string;
  close(): Promise<void>;
}

export const startGrafanaStandIn = async (database: 'ok' | 'failing', version = '11.1.0'): Promise<GrafanaStandIn> => {
  const server = createServer((request, response) => {
    if (request.url !== '/api/health') return void response.writeHead(404).end();
    // Grafana answers 503 with the same shape when its database check fails.
    response
      .writeHead(database === 'ok' ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ commit: 'abc1234', database, version }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
};
