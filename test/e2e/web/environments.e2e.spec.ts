import type { Browser, Locator, Page } from 'playwright-core';
import { CONDITION_TIMEOUT_MS, SETUP_TIMEOUT_MS, waitFor } from '@clp/testing';
import { startSystem, type RunningSystem } from '../system.fixtures';
import { buildWeb, launchBrowser, openPage, screenshot, signIn } from './web.fixtures';

// Environments, workspaces and credentials as a person manages them (issue 14, items 5 and 6):
// the real system, the built UI, Debian's chromium; each step checked through the API too.
const ORG = 'web-environments';
const admin = { organization_id: ORG, role: 'admin' as const, user_id: 'ada' };
const viewer = { organization_id: ORG, role: 'viewer' as const, user_id: 'vince' };
const wait = { timeout: CONDITION_TIMEOUT_MS };

describe('web UI: environments, workspaces and credentials', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  let connectionId: string;
  let environmentId: string;
  let workspaceId: string;
  let credentialId: string;
  let keyedId: string;

  const nav = (name: string) => page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name });
  const dialog = (name: string) => page.getByRole('dialog', { name });
  const chip = () => page.locator('h1 ~ [data-status]');
  const texts = (locator: Locator) => locator.evaluateAll((elements) => elements.map((element) => element.textContent));
  // A prometheus at an address nothing answers, registered by an admin without the connectivity test.
  const connection = async (name: string, extra: Record<string, unknown> = {}) => {
    const created = await system.http('POST', '/api/integrations/connections', {
      as: admin,
      body: { kind: 'prometheus', name, skip_connectivity_test: true, metadata: { url: `http://${name}.example:9090` }, ...extra },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  beforeAll(async () => {
    [system, browser] = await Promise.all([startSystem(), launchBrowser(), buildWeb()]).then(([s, b]) => [s, b] as const);
    connectionId = await connection('prom-env');
    ({ page, consoleErrors } = await openPage(browser, system.url));
    await signIn(page, system.token(admin));
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('creates an environment from the app bar, shown on its page and answered by the API', async () => {
    await nav('Environments').click();
    await page.getByRole('heading', { name: 'Environments', level: 1 }).waitFor(wait);
    expect(await page.getByTestId('empty').textContent(wait)).toBe('No environments yet.');
    await page.getByRole('button', { name: 'Create environment' }).click();
    const form = dialog('Create environment');
    await form.getByLabel('Name').fill('staging');
    await form.getByLabel('Description').fill('before production');
    await form.getByLabel('Tags').fill('eu, web');
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'staging', level: 1 }).waitFor(wait);
    const listed = (await system.http('GET', '/api/environments?search=staging', { as: viewer })).body.environments;
    expect(listed.map((e: { name: string; description: string; tags: string[]; status: string }) => [e.name, e.description, e.tags, e.status])).toEqual([
      ['staging', 'before production', ['eu', 'web'], 'active'],
    ]);
    environmentId = listed[0].id;
    expect(page.url()).toBe(`${system.url}/environments/${environmentId}`);
    expect(await chip().getAttribute('data-status')).toBe('active');
    expect(await page.locator('[data-field="tags"]').textContent()).toBe('eu, web');
  });

  it("refuses a name in use with the API's message, and the dialog stays", async () => {
    await nav('Environments').click();
    await page.locator('tr[data-environment="staging"]').waitFor(wait);
    await page.getByRole('button', { name: 'Create environment' }).click();
    const form = dialog('Create environment');
    await form.getByLabel('Name').fill('STAGING');
    await form.getByRole('button', { name: 'Create' }).click();
    const shown = await form.getByTestId('form-error').textContent(wait);
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'hidden', ...wait });
    const refused = await system.http('POST', '/api/environments', { as: admin, body: { name: 'STAGING' } });
    expect([refused.status, shown]).toEqual([409, refused.body.error.message]);
  });

  it('assigns a connection with the picker of the unassigned ones, and removes it', async () => {
    await page.locator('tr[data-environment="staging"] a').click();
    await page.getByRole('heading', { name: 'staging', level: 1 }).waitFor(wait);
    const picker = page.getByRole('combobox', { name: 'Add a connection' });
    await picker.click();
    await picker.fill('prom-env');
    await page.getByRole('option', { name: 'prom-env (prometheus', exact: false }).click();
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.locator('tr[data-connection="prom-env"]').waitFor(wait);
    const assigned = (await system.http('GET', `/api/environments/${environmentId}/connections`, { as: viewer })).body.connections;
    expect(assigned.map((c: { id: string; assigned: boolean }) => [c.id, c.assigned])).toEqual([[connectionId, true]]);
    const unassigned = (await system.http('GET', `/api/environments/${environmentId}/connections?filter=${encodeURIComponent('{"assigned":false}')}`, { as: viewer })).body;
    expect(unassigned.total_count).toBe(0);
    await page.locator('[data-field="connection_count"]', { hasText: '1' }).waitFor(wait);
    await screenshot(page, 'environment');

    await page.getByRole('button', { name: 'Remove prom-env' }).click();
    expect(await page.getByTestId('empty').textContent(wait)).toBe('No connections yet: add one above.');
    expect((await system.http('GET', `/api/environments/${environmentId}/connections`, { as: viewer })).body.total_count).toBe(0);
    // Back in for the workspace.
    await picker.click();
    await picker.fill('prom');
    await page.getByRole('option', { name: 'prom-env (prometheus', exact: false }).click();
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.locator('tr[data-connection="prom-env"]').waitFor(wait);
  });

  it('archives and reactivates it: archived, its connections cannot change', async () => {
    await page.getByRole('button', { name: 'Archive' }).click();
    await page.locator('h1 ~ [data-status="archived"]').waitFor(wait);
    expect((await system.http('GET', `/api/environments/${environmentId}`, { as: viewer })).body.status).toBe('archived');
    expect(await page.getByRole('combobox', { name: 'Add a connection' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Remove prom-env' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Reactivate' }).click();
    await page.locator('h1 ~ [data-status="active"]').waitFor(wait);
    expect((await system.http('GET', `/api/environments/${environmentId}`, { as: viewer })).body.status).toBe('active');
    await page.getByRole('combobox', { name: 'Add a connection' }).waitFor(wait);
  });

  it('edits it', async () => {
    await page.getByRole('button', { name: 'Edit' }).click();
    const form = dialog('Edit staging');
    await form.getByLabel('Description').fill('the last stop');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-field="description"]', { hasText: 'the last stop' }).waitFor(wait);
    expect((await system.http('GET', `/api/environments/${environmentId}`, { as: viewer })).body.description).toBe('the last stop');
  });

  it('creates a workspace, links the environment and shows the connection it makes available', async () => {
    await nav('Workspaces').click();
    await page.getByRole('heading', { name: 'Workspaces', level: 1 }).waitFor(wait);
    await page.getByRole('button', { name: 'Create workspace' }).click();
    const form = dialog('Create workspace');
    await form.getByLabel('Name').fill('team-a');
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'team-a', level: 1 }).waitFor(wait);
    workspaceId = page.url().split('/').pop() as string;
    expect((await system.http('GET', `/api/workspaces/${workspaceId}`, { as: viewer })).body.name).toBe('team-a');
    expect(await page.getByRole('table', { name: 'Connections available' }).getByTestId('empty').textContent(wait)).toBe('No connections: its environments have none.');

    const picker = page.getByRole('combobox', { name: 'Link an environment' });
    await picker.click();
    await picker.fill('stag');
    await page.getByRole('option', { name: 'staging (active)' }).click();
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await page.getByRole('table', { name: 'Its environments' }).locator('tr[data-environment="staging"]').waitFor(wait);
    const available = page.getByRole('table', { name: 'Connections available' }).locator('tr[data-connection="prom-env"]');
    await available.waitFor(wait);
    expect(await available.locator('[data-column="environments"]').textContent()).toBe('staging');
    const apiAvailable = (await system.http('GET', `/api/workspaces/${workspaceId}/connections`, { as: viewer })).body.connections;
    expect(apiAvailable.map((c: { id: string }) => c.id)).toEqual([connectionId]);
    const linked = (await system.http('GET', `/api/workspaces/${workspaceId}/environments`, { as: viewer })).body.environments;
    expect(linked.map((e: { id: string }) => e.id)).toEqual([environmentId]);
    await screenshot(page, 'workspace');
  });

  it('deletes the environment, lists it with the deleted ones, and recovers it', async () => {
    await page.getByRole('table', { name: 'Its environments' }).getByRole('link', { name: 'staging' }).click();
    await page.getByRole('heading', { name: 'staging', level: 1 }).waitFor(wait);
    await page.getByRole('button', { name: 'Delete' }).click();
    await dialog('Delete staging?').getByRole('button', { name: 'Delete' }).click();
    const row = page.locator('tr[data-environment="staging"]');
    await row.locator('[data-status="deleted"]').waitFor(wait);
    expect(new URL(page.url()).search).toBe('?deleted=true');
    expect((await system.http('GET', `/api/environments/${environmentId}`, { as: viewer })).status).toBe(404);
    const deleted = (await system.http('GET', `/api/environments?filter=${encodeURIComponent('{"deleted_at":true}')}`, { as: viewer })).body.environments;
    expect(deleted.map((e: { id: string }) => e.id)).toEqual([environmentId]);
    await screenshot(page, 'environments-deleted');

    await row.getByRole('button', { name: 'Recover' }).click();
    expect(await page.getByTestId('empty').textContent(wait)).toBe('No deleted environment to recover.');
    const recovered = (await system.http('GET', `/api/environments/${environmentId}`, { as: viewer })).body;
    expect([recovered.status, recovered.connection_count]).toEqual(['active', 0]);
    await page.getByLabel('Deleted ones').uncheck();
    await page.locator('tr[data-environment="staging"] [data-status="active"]').waitFor(wait);
  });

  it('creates a credential from the form generated from its kind\'s schema', async () => {
    await nav('Credentials').click();
    await page.getByRole('heading', { name: 'Credentials', level: 1 }).waitFor(wait);
    await page.getByRole('button', { name: 'Create credential' }).click();
    const form = dialog('Create credential');
    await form.getByLabel('Name').fill('prom-key');
    await form.getByRole('combobox', { name: 'Kind' }).click();
    await page.getByRole('option', { name: 'prometheus', exact: true }).click();
    // Prometheus authenticates with an API key, a token or a user name and password.
    expect(await texts(form.getByRole('radiogroup').locator('label'))).toEqual(['API key', 'Bearer token', 'Username and password']);
    const fields = form.getByTestId('credential-form').locator('input');
    expect(await fields.evaluateAll((inputs) => inputs.map((input) => [input.id, input.getAttribute('type')]))).toEqual([['credential_api_key', 'password']]);
    await form.getByRole('button', { name: 'Create' }).click();
    // An empty API key is refused by the schema before anything is sent.
    await form.getByTestId('credential-form').locator('.Mui-error').first().waitFor(wait);
    await fields.fill('first-secret');
    await form.getByRole('button', { name: 'Create' }).click();
    await form.waitFor({ state: 'hidden', ...wait });
    const row = page.locator('tr[data-credential="prom-key"]');
    await row.waitFor(wait);
    const listed = (await system.http('GET', '/api/integrations/credentials', { as: viewer })).body.credentials;
    expect(listed.map((c: { name: string; kind: string; secret_fields: string[] }) => [c.name, c.kind, c.secret_fields])).toEqual([['prom-key', 'prometheus', ['api_key']]]);
    credentialId = listed[0].id;
    expect(await row.locator('[data-column="used_by"]').textContent(wait)).toBe('no connection');
  });

  it('shows which connections use it, and rotates its secret', async () => {
    keyedId = await connection('prom-keyed', { credential_id: credentialId });
    await page.reload();
    const row = page.locator('tr[data-credential="prom-key"]');
    await row.locator('[data-column="used_by"] a', { hasText: 'prom-keyed' }).waitFor(wait);
    const before = (await system.http('GET', `/api/integrations/credentials/${credentialId}`, { as: viewer })).body.updated_at;

    await page.getByRole('button', { name: 'Rotate prom-key' }).click();
    const form = dialog('Rotate prom-key');
    await form.getByTestId('credential-form').locator('#credential_api_key').fill('second-secret');
    await form.getByRole('button', { name: 'Rotate' }).click();
    await form.waitFor({ state: 'hidden', ...wait });
    const after = (await system.http('GET', `/api/integrations/credentials/${credentialId}`, { as: viewer })).body;
    expect(after.updated_at > before).toBe(true);
    expect(after.secret_fields).toEqual(['api_key']);
    // Secrets go in and never come out: not in the page once the form is gone.
    expect(await page.content()).not.toMatch(/first-secret|second-secret/);
    await screenshot(page, 'credentials');
  });

  it("is refused deletion while in use, showing the 409's connections, and deletes with force", async () => {
    await page.getByRole('button', { name: 'Delete prom-key' }).click();
    const confirm = dialog('Delete prom-key?');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    const error = confirm.getByTestId('delete-error');
    await error.waitFor(wait);
    const refused = await system.http('DELETE', `/api/integrations/credentials/${credentialId}`, { as: admin });
    expect([refused.status, refused.body.error.details.connection_ids]).toEqual([409, [keyedId]]);
    expect(await error.locator('[data-connection-id]').evaluateAll((items) => items.map((item) => [item.getAttribute('data-connection-id'), item.textContent]))).toEqual([[keyedId, 'prom-keyed']]);
    expect(await error.textContent()).toContain(refused.body.error.message);
    await screenshot(page, 'credential-in-use');

    await confirm.getByRole('button', { name: 'Detach them and delete' }).click();
    await confirm.waitFor({ state: 'hidden', ...wait });
    expect(await page.getByTestId('empty').textContent(wait)).toBe('No credentials yet: create one, or register a connection with a new one.');
    expect((await system.http('GET', `/api/integrations/credentials/${credentialId}`, { as: viewer })).status).toBe(404);
    const detached = await waitFor(async () => {
      const answer = (await system.http('GET', `/api/integrations/connections/${keyedId}`, { as: viewer })).body;
      return answer.credential_id === null ? answer : undefined;
    });
    expect(detached.name).toBe('prom-keyed');
  });

  it('offers a viewer no write action, also on a narrow window', async () => {
    const other = await openPage(browser, system.url);
    const p = other.page;
    await signIn(p, system.token(viewer));
    const writes = () => p.getByRole('button', { name: /^(Create|Edit|Archive|Reactivate|Delete|Recover|Remove|Unlink|Rotate|Assign|Link)/ }).count();
    await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Environments' }).click();
    await p.locator('tr[data-environment="staging"]').waitFor(wait);
    expect(await writes()).toBe(0);
    await p.locator('tr[data-environment="staging"] a').click();
    await p.getByRole('heading', { name: 'staging', level: 1 }).waitFor(wait);
    await p.locator('[data-field="description"]').waitFor(wait);
    expect([await writes(), await p.getByRole('combobox', { name: 'Add a connection' }).count()]).toEqual([0, 0]);
    await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Workspaces' }).click();
    await p.locator('tr[data-workspace="team-a"]').waitFor(wait);
    expect(await writes()).toBe(0);
    await p.locator('tr[data-workspace="team-a"] a').click();
    await p.getByRole('heading', { name: 'team-a', level: 1 }).waitFor(wait);
    await p.getByRole('table', { name: 'Its environments' }).getByTestId('empty').waitFor(wait);
    expect([await writes(), await p.getByRole('combobox', { name: 'Link an environment' }).count()]).toEqual([0, 0]);
    await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Credentials' }).click();
    await p.getByRole('table', { name: 'Credentials' }).getByTestId('empty').waitFor(wait);
    expect(await writes()).toBe(0);
    await p.setViewportSize({ width: 390, height: 800 });
    await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Environments' }).click();
    await p.locator('tr[data-environment="staging"]').waitFor(wait);
    expect(await p.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(p, 'environments-narrow');
    expect(other.consoleErrors).toEqual([]);
    await p.context().close();
  });

  it('said nothing in red on the console but the refused requests it was asked to make', () => {
    expect(consoleErrors.filter((text) => !/Failed to load resource: the server responded with a status of 409/.test(text))).toEqual([]);
  });
});
