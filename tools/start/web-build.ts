import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { WORKSPACE_ROOT } from '@clp/testing';
import { prefixed, say } from './processes';

/** What the UI is built from: its own sources and the contracts it imports, and the dependencies' versions. */
export const WEB_SOURCES = ['apps/web', 'libs/contracts/src', 'package-lock.json'].map((path) => join(WORKSPACE_ROOT, path));

/** The newest modification time of a file under `path` (or of the file itself), leaving out `skip` and `node_modules`. */
const newest = (path: string, skip: string): number => {
  if (path === skip) return 0;
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).filter((name) => name !== 'node_modules').map((name) => newest(join(path, name), skip)));
};

/** True when there is no build in `distDir`, or a source changed after it was built. */
export const webBuildStale = (distDir: string, sources: string[] = WEB_SOURCES): boolean => {
  const dist = resolve(distDir);
  const built = statSync(join(dist, 'index.html'), { throwIfNoEntry: false })?.mtimeMs;
  return built === undefined || sources.some((source) => newest(source, dist) > built);
};

/**
 * Builds the web UI into `distDir` when it is missing or stale (Vite, its output prefixed `[web]`).
 * A failed build does not stop the launch: the API works without the UI, and the gateway's page
 * at `/` says how to build it. Resolves with what happened, for the ready block.
 */
export const buildWebIfStale = async (distDir: string): Promise<'up to date' | 'built' | 'failed'> => {
  if (!webBuildStale(distDir)) return 'up to date';
  say(`building the web UI into ${distDir} (missing or older than its sources)`);
  const vite = join(WORKSPACE_ROOT, 'node_modules/vite/bin/vite.js');
  const child = spawn(process.execPath, [vite, 'build', '--config', 'apps/web/vite.config.mts', '--outDir', distDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: WORKSPACE_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${prefixed('web', line)}\n`));
  const code = await new Promise<number | null>((done) => {
    child.once('error', () => done(null));
    child.once('close', done);
  });
  if (code === 0) return 'built';
  say('the web UI did not build (its output is above); the API runs without it: fix it and run npm run build:web');
  return 'failed';
};
