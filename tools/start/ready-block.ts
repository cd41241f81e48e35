import { relative } from 'node:path';
import { WORKSPACE_ROOT } from '@clp/testing';
import type { LauncherConfig } from './config';
import type { MasterKey } from './master-key';
import type { RunningService } from './services';
import type { Store } from './stores';

/** The first line of the block printed once everything is ready. */
export const READY_HEADLINE = 'The connection lifecycle platform is running.';

const LABELS = { nats: 'NATS', redis: 'Redis' } as const;

/** A path as short as it can be said from the workspace root, where `npm start` runs. */
const shown = (path: string): string => (path.startsWith(`${WORKSPACE_ROOT}/`) ? relative(WORKSPACE_ROOT, path) : path);

// A server listening on every address is reached on this machine through localhost.
const browsable = (url: string): string => url.replace(/\/\/(0\.0\.0\.0|\[::\])(?=[:/]|$)/, '//localhost');

export const readyBlock = (config: LauncherConfig, stores: Store[], services: RunningService[], masterKey: MasterKey, webUi: 'up to date' | 'built' | 'failed'): string => {
  const gateway = services.find((service) => service.entry.name === 'gateway');
  const url = gateway?.ready[1] ? browsable(gateway.ready[1]) : undefined;
  const dataDirEnv = process.env.DATA_DIR ? `DATA_DIR=${process.env.DATA_DIR} ` : '';
  const rule = '─'.repeat(78);
  const lines = [
    rule,
    READY_HEADLINE,
    '',
    url ? `  gateway    ${url}   (API docs: ${url}/api/docs)` : '  gateway    not in this checkout yet (apps/gateway/src/main.ts)',
    `  web UI     ${url ? `${url}/` : 'with the gateway'}   ${webUi === 'failed' ? 'did not build: npm run build:web shows why' : `${webUi === 'built' ? 'built now' : 'up to date'} in ${shown(config.webDistDir)}`}`,
    `  services   ${services.map((service) => `${service.entry.name} (pid ${service.child.pid})`).join(', ')}`,
    ...stores.map((store) =>
      store.started
        ? `  ${LABELS[store.name].padEnd(9)}  ${store.url}   started here (pid ${store.started.pid}), data in ${shown(store.dataDir ?? '')}` +
          (store.usersFile ? `, a user per service (passwords: ${shown(store.usersFile)})` : '')
        : `  ${LABELS[store.name].padEnd(9)}  ${store.url}   already running: reused, and left running on exit`,
    ),
    `  data       ${shown(config.dataDir)}${masterKey.file ? `   (credentials master key: ${shown(masterKey.file)})` : ''}`,
    '',
    ...(url
      ? [
          'A token:    TOKEN=$(' + `${dataDirEnv}npm run --silent token -- --org default --user me --role admin)`,
          `Try it:     curl -H "Authorization: Bearer $TOKEN" ${url}/api/integrations/connections`,
        ]
      : []),
    'Stop:       Ctrl-C (stops the services, then the servers started here)',
    rule,
  ];
  return `\n${lines.join('\n')}\n\n`;
};
