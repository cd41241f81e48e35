import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startService, WORKSPACE_ROOT, type RunningService } from '@clp/testing';
import type { RunningSystem } from '../system.fixtures';

/** Screenshots of the main pages, for a reviewer to look at (gitignored). */
export const SCREENSHOTS = join(WORKSPACE_ROOT, 'test-output', 'web');

/** `npm run build:web`: the tests look at the UI of this working tree, served by the gateway from apps/web/dist. */
export const buildWeb = async (): Promise<void> => {
  await promisify(execFile)(process.execPath, [join(WORKSPACE_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/web/vite.config.mts', '--logLevel', 'error'], {
    cwd: WORKSPACE_ROOT,
  });
};

/**
 * Discovery with a fast health monitor (startSystem runs none): a connection whose target stops
 * answering goes down after one failed probe, about every `intervalMs`.
 */
export const startHealthMonitor = (system: RunningSystem, intervalMs = 500): Promise<RunningService> =>
  startService({
    name: 'discovery',
    entry: 'apps/discovery/src/main.ts',
    env: {
      NATS_URL: system.natsUrlFor('discovery'),
      INSTANCE_NAME: 'e2e-web-discovery',
      HEALTH_INTERVAL_MS: String(intervalMs),
      HEALTH_FAILURES_TO_DISCONNECT: '1',
      SCAN_INTERVAL_MS: '0',
      CONNECTIVITY_TIMEOUT_MS: '2000',
      NODE_ENV: 'test',
    },
    ready: /listening on/,
  });

/** Discovery without a health monitor or scans (statuses change only by request): what the kubeconfig upload needs. */
export const startDiscovery = (system: RunningSystem): Promise<RunningService> =>
  startService({
    name: 'discovery',
    entry: 'apps/discovery/src/main.ts',
    env: { NATS_URL: system.natsUrlFor('discovery'), INSTANCE_NAME: 'e2e-web-discovery', HEALTH_MONITOR: 'off', SCAN_INTERVAL_MS: '0', NODE_ENV: 'test' },
    ready: /listening on/,
  });

/** Debian's chromium (`apt-get install chromium`), headless; playwright-core downloads no browser. */
export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });

/** A page of its own (its own session storage) at 1280×800 that records what the console said in red. */
export const openPage = async (browser: Browser, url: string): Promise<{ page: Page; consoleErrors: string[] }> => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(url);
  return { page, consoleErrors };
};

/** Pastes the token into the sign-in form. */
export const signIn = async (page: Page, token: string): Promise<void> => {
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByTestId('whoami').waitFor();
};

export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
};
