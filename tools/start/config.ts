import { isAbsolute, join, resolve } from 'node:path';
import { WORKSPACE_ROOT } from '@clp/testing';

/** Where `npm run build:web` writes the UI, which the gateway serves (apps/gateway/src/web/serve-web.ts). */
const DEFAULT_WEB_DIST = join(WORKSPACE_ROOT, 'apps/web/dist');

/** The launcher's settings, from the environment (the README's configuration table). */
export interface LauncherConfig {
  natsUrl: string;
  redisUrl: string;
  /** Where the servers started here keep their data, and the services their generated secrets; a relative `DATA_DIR` is relative to the workspace root. */
  dataDir: string;
  natsServerBin: string;
  redisServerBin: string;
  /** Where the web UI is built (when missing or stale) and served from by the gateway. */
  webDistDir: string;
}

export const launcherConfig = (env: NodeJS.ProcessEnv = process.env): LauncherConfig => {
  const dataDir = env.DATA_DIR || '.data';
  return {
    natsUrl: env.NATS_URL || 'nats://127.0.0.1:4222',
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    dataDir: isAbsolute(dataDir) ? dataDir : join(WORKSPACE_ROOT, dataDir),
    natsServerBin: env.NATS_SERVER_BIN || 'nats-server',
    redisServerBin: env.REDIS_SERVER_BIN || 'redis-server',
    webDistDir: env.WEB_DIST_DIR ? resolve(WORKSPACE_ROOT, env.WEB_DIST_DIR) : DEFAULT_WEB_DIST,
  };
};

/** A message for the person who ran `npm start`: printed as it is, and the launcher exits 1. */
export class LaunchError extends Error {}
