import type { Browser, Page } from 'playwright-core';
import { SETUP_TIMEOUT_MS } from '@clp/testing';
import { startSystem, type RunningSystem } from '../system.fixtures';
import { buildWeb, launchBrowser, openPage, screenshot } from './web.fixtures';

const wait = { timeout: 30_000 };

// Issue 14 item 1: with the gateway's dev login on, a person picks an organization, a user and a
// role on the sign-in page instead of pasting a token.
describe('web UI sign-in with the dev login (DEV_LOGIN=true)', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    [system, browser] = await Promise.all([startSystem({ gatewayEnv: { DEV_LOGIN: 'true', NODE_ENV: 'development' } }), launchBrowser(), buildWeb()]).then(([s, b]) => [s, b] as const);
    ({ page, consoleErrors } = await openPage(browser, system.url));
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('offers the dev login, signs in as the viewer picked, and shows no write action', async () => {
    const form = page.getByRole('form', { name: 'Dev login' });
    await form.waitFor(wait);
    await form.getByLabel('Organization').fill('dev-org');
    await form.getByLabel('User').fill('dana');
    await form.getByRole('combobox', { name: 'Role' }).click();
    await page.getByRole('option', { name: 'viewer' }).click();
    await screenshot(page, 'dev-login');
    await form.getByRole('button', { name: 'Sign in as dana (viewer)' }).click();
    expect(await page.getByTestId('whoami').textContent(wait)).toBe('dana · dev-org · viewer');
    // The token is the gateway's: the API answers this organization's (empty) list to it.
    await page.getByText('No connections yet').first().waitFor(wait);
    expect(await page.getByRole('button', { name: /Register connection/ }).count()).toBe(0);
  });

  it('said nothing in red on the console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
