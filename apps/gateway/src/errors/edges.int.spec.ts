import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { startGatewayHarness, type GatewayHarness } from '../gateway.fixtures';

const CONNECTIONS = '/api/integrations/connections';
const ID = '3b241101-e2bb-4255-8caf-4136c566a962';
const SIX_MIB = 6 * 1024 * 1024;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: { error: { code: string; message: string; details: Record<string, unknown> } };
}

describe('the HTTP edge answers in the envelope (real sockets, NATS, Redis and registry)', () => {
  let h: GatewayHarness;
  let token: string;
  let port: number;

  beforeAll(async () => {
    h = await startGatewayHarness();
    token = h.token('org-e', 'ada', 'admin');
    port = Number(new URL(h.url).port);
  });

  afterAll(async () => {
    await h?.stop();
  });

  /** One request over its own socket, the body written in 64 KiB chunks; the answer must arrive whole. */
  const send = (method: string, path: string, { headers = {}, body }: { headers?: Record<string, string>; body?: Buffer } = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, method, path, agent: false, headers: { authorization: `Bearer ${token}`, ...headers } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        response.on('error', reject);
      });
      request.on('error', reject);
      if (!body) return void request.end();
      let offset = 0;
      const write = () => {
        while (offset < body.length) {
          const chunk = body.subarray(offset, offset + 65_536);
          offset += chunk.length;
          if (!request.write(chunk)) return void request.once('drain', write);
        }
        request.end();
      };
      write();
    });

  const envelope = (code: string) => ({ error: { code, message: expect.any(String), details: expect.any(Object) } });

  const bigBody = () => Buffer.from(JSON.stringify({ kind: 'prometheus', name: 'x'.repeat(SIX_MIB) }));

  it('a 6 MiB body with its length: 413, read and discarded, answered (no reset)', async () => {
    const answer = await send('POST', CONNECTIONS, { headers: { 'content-type': 'application/json', 'content-length': String(bigBody().length) }, body: bigBody() });
    expect(answer).toMatchObject({ status: 413, body: envelope('payload_too_large') });
    expect(answer.body.error.details).toEqual({ limit_bytes: 1024 * 1024 });
  });

  it('the connection outlives a refused 6 MiB body: a request sent after it on the same socket is answered', async () => {
    const body = bigBody();
    const head = `POST ${CONNECTIONS} HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const next = 'GET /health/live HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n';
    const received = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', reject);
      socket.write(head);
      socket.write(body);
      socket.write(next);
    });
    const statuses = [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
    expect(statuses).toEqual([413, 200]);
    expect(received).toContain('"code":"payload_too_large"');
  });

  it('a 6 MiB chunked body: 413 as well', async () => {
    const answer = await send('PUT', `${CONNECTIONS}/${ID}`, { headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: bigBody() });
    expect(answer).toMatchObject({ status: 413, body: envelope('payload_too_large') });
  });

  it('a URL over 8 KiB, or a path segment over 100 characters: 414', async () => {
    expect(await send('GET', `${CONNECTIONS}?search=${'s'.repeat(9000)}`)).toMatchObject({ status: 414, body: envelope('uri_too_long') });
    expect(await send('GET', `${CONNECTIONS}/${'a'.repeat(200)}`)).toMatchObject({ status: 414, body: envelope('uri_too_long') });
  });

  it('headers over the limit: 431', async () => {
    expect(await send('GET', CONNECTIONS, { headers: { 'x-padding': 'p'.repeat(20_000) } })).toMatchObject({ status: 431, body: envelope('headers_too_large') });
  });

  it('another media type: 415, naming the one accepted', async () => {
    const answer = await send('POST', CONNECTIONS, { headers: { 'content-type': 'text/plain' }, body: Buffer.from('kind=prometheus') });
    expect(answer).toMatchObject({ status: 415, body: envelope('unsupported_media_type') });
    expect(answer.body.error.details).toEqual({ accepted: ['application/json'] });
  });

  it('a multipart body on a JSON route: 415 too (only the kubeconfig upload takes multipart)', async () => {
    const boundary = 'clp-boundary';
    const body = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nprometheus\r\n--${boundary}--\r\n`);
    const answer = await send('POST', CONNECTIONS, { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
    expect(answer).toMatchObject({ status: 415, body: envelope('unsupported_media_type') });
    expect(answer.body.error.details).toEqual({ accepted: ['application/json'] });
  });

  it('the OpenAPI document says these answers for every operation, and every operation gives them', async () => {
    const document = (await (await fetch(`${h.url}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
    };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, ID), operation })),
    );
    expect(operations.length).toBeGreaterThan(40);
    const errorSchema = { $ref: '#/components/schemas/ErrorDoc' };
    const unsaid: string[] = [];
    const ungiven: string[] = [];
    for (const { method, path, operation } of operations) {
      const statuses = ['400', '414', '431', ...(operation.requestBody ? ['413', '415'] : [])];
      for (const status of statuses) {
        if (JSON.stringify(operation.responses[status]?.content?.['application/json']?.schema) !== JSON.stringify(errorSchema)) unsaid.push(`${method} ${path} ${status}`);
      }
      const long = await send(method, `${path}?q=${'a'.repeat(9 * 1024)}`);
      if (long.status !== 414 || long.body.error.code !== 'uri_too_long') ungiven.push(`${method} ${path}: ${long.status} ${long.body.error.code} for a long URL`);
      if (operation.requestBody) {
        // With its length: Node's client sends a DELETE's body neither chunked nor with one otherwise.
        const text = await send(method, path, { headers: { 'content-type': 'text/plain', 'content-length': '1' }, body: Buffer.from('x') });
        if (text.status !== 415 || text.body.error.code !== 'unsupported_media_type') ungiven.push(`${method} ${path}: ${text.status} ${JSON.stringify(text.body)} for text/plain`);
      }
    }
    expect(unsaid).toEqual([]);
    expect(ungiven).toEqual([]);
  });

  it('a method the path does not have: 405 with Allow; an unknown path stays a 404', async () => {
    const answer = await send('PATCH', `${CONNECTIONS}/${ID}`);
    expect(answer).toMatchObject({ status: 405, body: envelope('method_not_allowed') });
    expect(answer.headers.allow).toBe('GET, PUT, DELETE');
    expect(answer.body.error.details).toEqual({ allowed: ['GET', 'PUT', 'DELETE'] });
    expect(await send('GET', '/api/integrations/nothing')).toMatchObject({ status: 404, body: envelope('not_found') });
  });
});
