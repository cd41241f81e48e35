import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';

/** Where `npm run build:web` writes the UI (apps/web/dist). */
export const WEB_DIST = resolve(__dirname, '../../../web/dist');

/** The paths the API and the operations endpoints own: never answered with the UI. */
const SERVER_PATHS = /^\/(api|health|metrics)(\/|$)/;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const MISSING_BUILD = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Web UI not built</title></head>
<body><h1>The web UI is not built</h1><p>Run <code>npm run build:web</code> and reload this page. The API is under <a href="/api/docs">/api</a>.</p></body></html>`;

const fileIn = (dist: string, urlPath: string): string | undefined => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const file = resolve(dist, `.${decoded}`);
  if (!file.startsWith(dist + sep)) return undefined;
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The built UI at `/` (docs/web.md): a GET or HEAD outside /api, /health and /metrics gets the
 * file it names, or, when it accepts HTML, index.html (the UI routes in the browser). Without a
 * build an HTML request gets a 503 page saying how to build it. Anything else goes on to the
 * routes, so an unknown path asked for as JSON is still the API's 404 envelope.
 */
export const serveWeb = (fastify: FastifyInstance, dist = WEB_DIST): void => {
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const path = request.url.split('?')[0];
    if (SERVER_PATHS.test(path)) return;
    const file = fileIn(dist, path);
    if (file) {
      // Vite names the bundles by their content: they never change under one name.
      const cache = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      void reply.header('cache-control', cache).type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
      return reply.send(createReadStream(file));
    }
    if (!(request.headers.accept ?? '').includes('text/html')) return;
    const index = resolve(dist, 'index.html');
    if (!existsSync(index)) return reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(MISSING_BUILD);
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(createReadStream(index));
  });
};
