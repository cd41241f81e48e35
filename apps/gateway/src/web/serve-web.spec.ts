import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serveWeb } from './serve-web';

const HTML = { accept: 'text/html,application/xhtml+xml' };

describe('serveWeb', () => {
  let dist: string;
  let built: FastifyInstance;
  let unbuilt: FastifyInstance;

  const server = (directory: string) => {
    const fastify = Fastify();
    serveWeb(fastify, directory);
    fastify.get('/api/ping', async () => ({ pong: true }));
    return fastify;
  };

  beforeAll(() => {
    dist = mkdtempSync(join(tmpdir(), 'web-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(dist, '..', 'outside.txt'), 'secret');
    built = server(dist);
    unbuilt = server(join(dist, 'missing'));
  });

  afterAll(async () => {
    await Promise.all([built.close(), unbuilt.close()]);
    rmSync(dist, { recursive: true, force: true });
    rmSync(join(dist, '..', 'outside.txt'), { force: true });
  });

  it('serves the built files, assets cached for good and index.html for every page path a browser asks for', async () => {
    const asset = await built.inject({ url: '/assets/index-abc.js' });
    expect([asset.statusCode, asset.headers['content-type'], asset.headers['cache-control'], asset.body]).toEqual([
      200,
      'text/javascript; charset=utf-8',
      'public, max-age=31536000, immutable',
      'console.log(1)',
    ]);
    for (const url of ['/', '/connections/0f8fad5b-d9cb-469f-a165-70867728950e?x=1']) {
      const page = await built.inject({ url, headers: HTML });
      expect([page.statusCode, page.headers['content-type'], page.headers['cache-control'], page.body]).toEqual([200, 'text/html; charset=utf-8', 'no-cache', '<div id="root"></div>']);
    }
  });

  it('leaves the API, requests that do not accept HTML, other methods and paths outside the build to the routes', async () => {
    expect((await built.inject({ url: '/api/ping', headers: HTML })).json()).toEqual({ pong: true });
    expect((await built.inject({ url: '/api/nothing', headers: HTML })).statusCode).toBe(404);
    expect((await built.inject({ url: '/health/x', headers: HTML })).body).not.toContain('root');
    expect((await built.inject({ url: '/connections', headers: { accept: 'application/json' } })).statusCode).toBe(404);
    expect((await built.inject({ method: 'POST', url: '/', headers: HTML })).statusCode).toBe(404);
    for (const url of ['/../outside.txt', '/%2e%2e/outside.txt', '/%E0%A4%A']) {
      expect((await built.inject({ url })).body).not.toBe('secret');
    }
  });

  it('answers a browser 503 with how to build when there is no build', async () => {
    const page = await unbuilt.inject({ url: '/', headers: HTML });
    expect([page.statusCode, page.headers['content-type']]).toEqual([503, 'text/html; charset=utf-8']);
    expect(page.body).toContain('npm run build:web');
    expect((await unbuilt.inject({ url: '/', headers: { accept: 'application/json' } })).statusCode).toBe(404);
  });
});
