import { freePort, startPrometheus, type TestServer } from '@clp/testing';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { testConnectivity } from './test-connectivity';

const listen = async (server: HttpServer | TcpServer): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
};

describe('testConnectivity against real servers', () => {
  describe('Prometheus', () => {
    let prometheus: TestServer;
    beforeAll(async () => {
      prometheus = await startPrometheus();
    });
    afterAll(() => prometheus.stop());

    it('passes against a real Prometheus and reports its version', async () => {
      const clock = () => new Date('2026-01-02T03:04:05.000Z');
      const result = await testConnectivity({ check: 'prometheus', url: prometheus.url }, clock);
      expect(result).toMatchObject({
        ok: true,
        checked_at: '2026-01-02T03:04:05.000Z',
        check: 'GET /-/ready, GET /api/v1/status/buildinfo',
        details: { version: expect.stringMatching(/^\d+\.\d+/) },
      });
      expect(result.error).toBeUndefined();
      expect(result.latency_ms).toBeGreaterThanOrEqual(0);
    });

    it('fails against something that is not a Prometheus', async () => {
      const result = await testConnectivity({ check: 'prometheus', url: `${prometheus.url}/nothing-here` });
      expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^HTTP 404 from \/nothing-here\/-\/ready/) });
    });
  });

  describe('Prometheus with basic auth (its own web config)', () => {
    const USERNAME = 'tester';
    const PASSWORD = 'registry-pass-7';
    let prometheus: TestServer;
    beforeAll(async () => {
      // bcrypt (cost 4) of PASSWORD, made once with Python's crypt.
      prometheus = await startPrometheus({ basicAuth: { username: USERNAME, password: PASSWORD, bcrypt: '$2b$04$TWK4RI8L5CLSbB61izgauunrhGt7HCiVQaJ6qwQJ/2sGvl40fH9iW' } });
    });
    afterAll(() => prometheus.stop());

    it('passes with username and password, sent as basic auth', async () => {
      const result = await testConnectivity({ check: 'prometheus', url: prometheus.url, credential: { username: USERNAME, password: PASSWORD } });
      expect(result).toMatchObject({ ok: true, details: { version: expect.stringMatching(/^\d+\.\d+/) } });
      expect(JSON.stringify(result)).not.toContain(PASSWORD);
    });

    it('fails with a wrong password or an API key it does not take', async () => {
      for (const credential of [{ username: USERNAME, password: 'wrong-pass-1' }, { api_key: 'not-basic-key-2' }] as Array<Record<string, string>>) {
        const result = await testConnectivity({ check: 'prometheus', url: prometheus.url, credential });
        expect(result).toMatchObject({ ok: false, error: 'HTTP 401 from /-/ready (unauthorized: check the credential)' });
      }
    });
  });

  // Prometheus itself only takes basic auth: an API key or token is checked by whatever stands in
  // front of it (a reverse proxy, a managed service). This proxy admits one bearer token and
  // passes the request on to the real Prometheus.
  describe('Prometheus behind a proxy that takes a bearer token', () => {
    const KEY = 'prom-api-key-5150';
    let prometheus: TestServer;
    let proxy: HttpServer;
    let url: string;
    beforeAll(async () => {
      prometheus = await startPrometheus();
      proxy = createHttpServer((request, response) => {
        if (request.headers.authorization !== `Bearer ${KEY}`) return void response.writeHead(401).end();
        void fetch(`${prometheus.url}${request.url}`).then(async (answer) => response.writeHead(answer.status).end(Buffer.from(await answer.arrayBuffer())));
      });
      url = `http://127.0.0.1:${await listen(proxy)}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => proxy.close(resolve));
      await prometheus.stop();
    });

    it('passes with the key as api_key or as token, both sent as a bearer token', async () => {
      for (const credential of [{ api_key: KEY }, { token: KEY }] as Array<Record<string, string>>) {
        const result = await testConnectivity({ check: 'prometheus', url, credential });
        expect(result).toMatchObject({ ok: true, details: { version: expect.stringMatching(/^\d+\.\d+/) } });
        expect(JSON.stringify(result)).not.toContain(KEY);
      }
    });

    it('fails without the key', async () => {
      expect(await testConnectivity({ check: 'prometheus', url, credential: { api_key: 'some-other-key' } })).toMatchObject({ ok: false, error: expect.stringMatching(/^HTTP 401/) });
    });
  });

  it('fails on a closed port with "connection refused"', async () => {
    const port = await freePort();
    const result = await testConnectivity({ check: 'prometheus', url: `http://127.0.0.1:${port}`, timeoutMs: 2000 });
    expect(result).toMatchObject({ ok: false, error: 'connection refused' });
  });

  it('fails within the timeout against a server that accepts and never answers', async () => {
    const sockets = new Set<Socket>();
    const blackHole = createTcpServer((socket) => sockets.add(socket));
    const port = await listen(blackHole);
    try {
      const result = await testConnectivity({ check: 'kubernetes', url: `http://127.0.0.1:${port}`, timeoutMs: 300 });
      expect(result).toMatchObject({ ok: false, error: 'timed out after 300 ms' });
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => blackHole.close(resolve));
    }
  });

  describe('generic HTTP', () => {
    let server: HttpServer;
    let base: string;
    const seen: Array<string | undefined> = [];
    beforeAll(async () => {
      server = createHttpServer((request, response) => {
        seen.push(request.headers.authorization);
        const status = request.url === '/ok' ? 200 : request.url === '/moved' ? 302 : 404;
        response.writeHead(status, status === 302 ? { location: '/ok' } : {}).end();
      });
      base = `http://127.0.0.1:${await listen(server)}`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('passes on 2xx and 3xx, without following the redirect', async () => {
      expect(await testConnectivity({ check: 'http', url: `${base}/ok` })).toMatchObject({ ok: true, check: `GET ${base}/ok`, details: { status: 200 } });
      expect(await testConnectivity({ check: 'http', url: `${base}/moved` })).toMatchObject({ ok: true, details: { status: 302 } });
    });

    it('fails on 4xx with the status and path', async () => {
      expect(await testConnectivity({ check: 'http', url: `${base}/gone` })).toMatchObject({ ok: false, error: 'HTTP 404 from /gone (not found: check the URL)' });
    });

    it('sends userinfo as basic auth and reports none of it', async () => {
      const password = 'p@ss:w0rd/secret';
      const url = `http://deploy-bot:${encodeURIComponent(password)}@${base.slice('http://'.length)}/gone`;
      const result = await testConnectivity({ check: 'http', url });
      expect(seen.at(-1)).toBe(`Basic ${Buffer.from(`deploy-bot:${password}`).toString('base64')}`);
      const serialized = JSON.stringify(result);
      expect(result.check).toBe(`GET ${base}/gone`);
      for (const secret of [password, encodeURIComponent(password), 'deploy-bot']) expect(serialized).not.toContain(secret);
    });

    it('keeps a bearer token out of the result even when the server echoes it', async () => {
      const token = 'ghp_0123456789abcdefSECRET';
      const echo = createHttpServer((request, response) => response.writeHead(500, { 'content-type': 'text/plain' }).end(String(request.headers.authorization)));
      const port = await listen(echo);
      try {
        const result = await testConnectivity({ check: 'http', url: `http://127.0.0.1:${port}/${token}`, credential: { token } });
        expect(result.ok).toBe(false);
        expect(JSON.stringify(result)).not.toContain(token);
      } finally {
        await new Promise((resolve) => echo.close(resolve));
      }
    });
  });
});
