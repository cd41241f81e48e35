import type { Browser, Page } from 'playwright-core';
import {
  CONDITION_TIMEOUT_MS,
  KUBECONFIG_TOKEN,
  MALFORMED_KUBECONFIGS,
  SETUP_TIMEOUT_MS,
  freePort,
  kubeconfigOf,
  startKubernetesApi,
  startPrometheus,
  waitFor,
  type KubernetesApiStandIn,
  type RunningService,
  type TestServer,
} from '@clp/testing';
import { startSystem, type RunningSystem } from '../system.fixtures';
import { buildWeb, launchBrowser, openPage, screenshot, signIn, startDiscovery } from './web.fixtures';

// The registration modal as a person uses it (issue 14, item 4): the real system, a real
// Prometheus, a Kubernetes API stand-in behind discovery, the built UI, Debian's chromium.
const ORG = 'web-registration';
const operator = { organization_id: ORG, role: 'operator' as const, user_id: 'rita' };
const viewer = { organization_id: ORG, role: 'viewer' as const, user_id: 'vince' };
const wait = { timeout: CONDITION_TIMEOUT_MS };

describe('web UI: the registration modal', () => {
  let system: RunningSystem;
  let prometheus: TestServer;
  let kubernetes: KubernetesApiStandIn;
  let discovery: RunningService;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  let environmentId: string;
  let nowhere: string;

  const dialog = () => page.getByRole('dialog', { name: 'Register connection' });
  const openModal = async () => {
    await page.getByRole('button', { name: 'Register connection' }).click();
    await dialog().getByRole('heading', { name: 'Choose a kind' }).waitFor(wait);
  };

  beforeAll(async () => {
    [system, prometheus, kubernetes, browser] = await Promise.all([startSystem(), startPrometheus(), startKubernetesApi({ token: KUBECONFIG_TOKEN }), launchBrowser(), buildWeb()]).then(
      ([s, p, k, b]) => [s, p, k, b] as const,
    );
    discovery = await startDiscovery(system);
    // A port nothing listens on: the wrong URL of the failing Test.
    nowhere = `http://127.0.0.1:${await freePort()}`;
    const environment = await system.http('POST', '/api/environments', { as: operator, body: { name: 'production' } });
    expect(environment.status).toBe(201);
    environmentId = environment.body.id;
    ({ page, consoleErrors } = await openPage(browser, system.url));
    await signIn(page, system.token(operator));
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await discovery?.stop();
    await Promise.all([prometheus?.stop(), kubernetes?.close()]);
    await system?.stop();
  });

  it('is usable by keyboard: opened with Enter, a kind chosen with Tab and Enter, the name field then focused, closed with Escape', async () => {
    await page.getByRole('button', { name: 'Register connection' }).focus();
    await page.keyboard.press('Enter');
    await dialog().getByRole('heading', { name: 'Choose a kind' }).waitFor(wait);
    const first = await dialog().locator('[data-kind]').first().getAttribute('data-kind');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    // The form of the first kind in the list, the one Tab reached.
    await dialog().getByRole('heading', { name: `${first} (`, exact: false }).waitFor(wait);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe('connection_name');
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'hidden', ...wait });
  });

  it("offers the kinds of the API's definitions, and generates the Prometheus forms from its schemas", async () => {
    await openModal();
    const definitions: Array<{ kind: string }> = (await system.http('GET', '/api/integrations/connection-definitions', { as: operator })).body.definitions;
    const offered = await dialog().locator('[data-kind]').evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')));
    expect(offered).toEqual(definitions.map((d) => d.kind).filter((kind) => kind !== 'meshery').sort());
    await dialog().locator('[data-kind="prometheus"]').click();
    const form = dialog().getByTestId('connection-form');
    await form.getByLabel('URL').waitFor(wait);
    expect(await form.locator('input').evaluateAll((inputs) => inputs.map((input) => input.id))).toEqual(['connection_name', 'connection_url']);
    // Prometheus' credential schema: an API key, a token or basic auth, or none.
    expect(await dialog().getByRole('radiogroup').getByRole('radio').evaluateAll((radios) => radios.map((radio) => radio.getAttribute('value')))).toEqual([
      'none',
      'new:api_key',
      'new:token',
      'new:username+password',
      'existing',
    ]);
    await dialog().getByLabel('New: Username and password').check();
    const credential = dialog().getByTestId('credential-form');
    expect(await credential.locator('input').evaluateAll((inputs) => inputs.map((input) => [input.id, input.getAttribute('type')]))).toEqual([
      ['credential_username', 'text'],
      ['credential_password', 'password'],
    ]);
    await dialog().getByLabel('None').check();
    expect(await dialog().getByTestId('credential-form').count()).toBe(0);
  });

  it('checks the form before testing: a missing name and URL are shown, and nothing is asked of the API', async () => {
    await dialog().getByRole('button', { name: 'Test' }).click();
    await dialog().getByTestId('connection-form').locator('.Mui-error').first().waitFor(wait);
    expect(await dialog().getByTestId('test-result').count()).toBe(0);
  });

  it("shows a failing Test inline with the API's message (a wrong URL)", async () => {
    const form = dialog().getByTestId('connection-form');
    await form.getByLabel('Name').fill('prom-modal');
    await form.getByLabel('URL').fill(nowhere);
    await dialog().getByRole('button', { name: 'Test' }).click();
    const shown = await dialog().getByTestId('test-result').textContent(wait);
    const probe = (await system.http('POST', '/api/integrations/connections/test', { as: operator, body: { kind: 'prometheus', metadata: { url: nowhere } } })).body;
    expect(probe.ok).toBe(false);
    expect(shown).toBe(`Test failed (${probe.check}): ${probe.error}`);
    await screenshot(page, 'registration-test-failed');
  });

  it('shows a passing Test inline against the real Prometheus, the failed result gone once the URL changed', async () => {
    await dialog().getByTestId('connection-form').getByLabel('URL').fill(prometheus.url);
    // The failed result was of the old URL.
    await dialog().getByTestId('test-result').waitFor({ state: 'detached', ...wait });
    await dialog().getByRole('button', { name: 'Test' }).click();
    await dialog().locator('[data-testid="test-result"]', { hasText: 'Test passed' }).waitFor(wait);
    expect(await dialog().getByTestId('test-result').textContent()).toMatch(/^Test passed in \d+ ms \(GET [^)]+\)/);
    await screenshot(page, 'registration-test-passed');
  });

  it('registers (init, register, connect) and assigns it to an environment in the same modal', async () => {
    await dialog().getByRole('button', { name: 'Register' }).click();
    expect(await dialog().getByTestId('registered').textContent(wait)).toBe('Registered prom-modal: connected');
    await dialog().getByLabel('production').check();
    await dialog().getByRole('button', { name: 'Assign' }).click();
    expect(await dialog().getByTestId('registration-done').textContent(wait)).toBe('prom-modal is connectedin production');
    await screenshot(page, 'registration-done');

    const listed = (await system.http('GET', '/api/integrations/connections?kind=prometheus', { as: operator })).body.connections;
    expect(listed.map((c: { name: string; status: string; metadata: object; environments: unknown }) => [c.name, c.status, c.metadata, c.environments])).toEqual([
      ['prom-modal', 'connected', expect.objectContaining({ url: prometheus.url }), [{ id: environmentId, name: 'production' }]],
    ]);
    const inEnvironment = (await system.http('GET', `/api/environments/${environmentId}/connections`, { as: operator })).body.connections;
    expect(inEnvironment.map((c: { name: string }) => c.name)).toEqual(['prom-modal']);
    const history = (await system.http('GET', `/api/integrations/connections/${listed[0].id}/history`, { as: operator })).body.events;
    // The two steps in its history, both by the person: registered (its test passed), then connected.
    const steps = history.filter((e: { type: string }) => e.type === 'ConnectionRegistered' || e.type === 'StatusChanged');
    expect(steps.map((e: { type: string; actor: string; data: { status?: string; to?: string } }) => [e.type, e.data.status ?? e.data.to, e.actor])).toEqual([
      ['ConnectionRegistered', 'registered', 'rita'],
      ['StatusChanged', 'connected', 'rita'],
    ]);

    await dialog().getByRole('button', { name: 'Close' }).click();
    const row = page.locator('tr[data-connection="prom-modal"]');
    await row.waitFor(wait);
    expect((await row.locator('td').allTextContents()).slice(0, 5)).toEqual(['prom-modal', 'prometheus', 'observability', 'connected', 'production']);
  });

  it("shows the API's message when Register is refused (the same Prometheus again)", async () => {
    await openModal();
    await dialog().locator('[data-kind="prometheus"]').click();
    const form = dialog().getByTestId('connection-form');
    await form.getByLabel('Name').fill('prom-again');
    await form.getByLabel('URL').fill(prometheus.url);
    await dialog().getByRole('button', { name: 'Register' }).click();
    const shown = await dialog().getByTestId('register-error').textContent(wait);
    const tracker = (await system.http('POST', '/api/integrations/connections/register', { as: operator, body: { status: 'init', kind: 'prometheus' } })).body.id;
    const answer = await system.http('POST', '/api/integrations/connections/register', {
      as: operator,
      body: { status: 'register', id: tracker, kind: 'prometheus', name: 'prom-again', metadata: { url: prometheus.url } },
    });
    expect(answer.status).toBe(409);
    expect(shown).toBe(`Registration failed: ${answer.body.error.message}`);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
  });

  it('registers with a stored credential of the kind, picked from the API’s list, and skips the environments', async () => {
    const admin = { organization_id: ORG, role: 'admin' as const, user_id: 'ada' };
    const stored = await system.http('POST', '/api/integrations/credentials', { as: admin, body: { name: 'prom-key', kind: 'prometheus', secret: { api_key: 'k-1' } } });
    expect(stored.status).toBe(201);
    await system.http('POST', '/api/integrations/credentials', { as: admin, body: { name: 'grafana-key', kind: 'grafana', secret: { api_key: 'k-2' } } });
    await openModal();
    await dialog().locator('[data-kind="prometheus"]').click();
    const form = dialog().getByTestId('connection-form');
    await form.getByLabel('Name').fill('prom-keyed');
    // Another address of the same Prometheus: another connection.
    const url = prometheus.url.replace('127.0.0.1', 'localhost');
    await form.getByLabel('URL').fill(url);
    await dialog().locator('input[value="existing"]:not([disabled])').check(wait);
    await dialog().getByRole('combobox', { name: 'Stored credential' }).click();
    // Only the credentials of this kind, with their secret fields' names.
    expect(await page.getByRole('listbox').getByRole('option').allTextContents()).toEqual(['prom-key (api_key)']);
    await page.getByRole('option', { name: 'prom-key (api_key)' }).click();
    await dialog().getByRole('button', { name: 'Test' }).click();
    await dialog().locator('[data-testid="test-result"]', { hasText: 'Test passed' }).waitFor(wait);
    await dialog().getByRole('button', { name: 'Register' }).click();
    expect(await dialog().getByTestId('registered').textContent(wait)).toBe('Registered prom-keyed: connected');
    await dialog().getByRole('button', { name: 'Skip' }).click();
    expect(await dialog().getByTestId('registration-done').textContent(wait)).toBe('prom-keyed is connectedin no environment');
    const listed = (await system.http('GET', '/api/integrations/connections?search=prom-keyed', { as: operator })).body.connections;
    expect(listed.map((c: { name: string; credential_id: string; environments: unknown[] }) => [c.name, c.credential_id, c.environments])).toEqual([['prom-keyed', stored.body.id, []]]);
    await dialog().getByRole('button', { name: 'Close' }).click();
  });

  it("uploads a kubeconfig and shows each context: connected, or registered and why not connected; a malformed one shows the API's message", async () => {
    await openModal();
    await dialog().getByRole('button', { name: 'Upload a kubeconfig' }).click();
    const malformed = MALFORMED_KUBECONFIGS[0].kubeconfig;
    await dialog().getByLabel('Kubeconfig file').setInputFiles({ name: 'config', mimeType: 'application/yaml', buffer: Buffer.from(malformed) });
    await dialog().getByRole('button', { name: 'Upload' }).click();
    const refusal = await dialog().getByTestId('kubeconfig-error').textContent(wait);
    const refused = await system.http('POST', '/api/system/kubernetes', { as: operator, body: { kubeconfig: malformed } });
    expect([refused.status, refusal]).toEqual([400, `The kubeconfig was refused: ${refused.body.error.message}`]);
    const kubeconfig = kubeconfigOf({ server: kubernetes.url, caData: Buffer.from(kubernetes.certificates.ca).toString('base64') });
    await dialog().getByLabel('Kubeconfig file').setInputFiles({ name: 'config', mimeType: 'application/yaml', buffer: Buffer.from(kubeconfig) });
    await dialog().getByRole('button', { name: 'Upload' }).click();
    expect(await dialog().getByTestId('kubeconfig-summary').textContent({ timeout: 3 * CONDITION_TIMEOUT_MS })).toBe('3 contexts: 1 connected, 2 registered, 0 ignored, 0 failed.');
    const rows = await dialog()
      .locator('tr[data-context]')
      .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-context'), tr.querySelector('[data-column="outcome"]')?.textContent, tr.querySelector('[data-column="summary"]')?.textContent]));
    expect(rows).toEqual([
      ['dev-admin', 'connected', 'registered and connected'],
      ['dev-viewer', 'registered', expect.stringMatching(/^registered as discovered: the connectivity test failed/)],
      ['staging', 'registered', expect.stringMatching(/^registered as discovered: .+/)],
    ]);
    await screenshot(page, 'registration-kubeconfig');
    const clusters = await waitFor(async () => {
      const answer = (await system.http('GET', '/api/integrations/connections?kind=kubernetes&order=name%20asc', { as: operator })).body;
      return answer.total_count === 3 ? answer.connections : undefined;
    });
    expect(clusters.map((c: { name: string; status: string }) => [c.name, c.status])).toEqual([
      ['dev-admin', 'connected'],
      ['dev-viewer', 'discovered'],
      ['staging', 'discovered'],
    ]);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await page.locator('tr[data-connection="dev-admin"]').waitFor(wait);
  });

  it('fills a narrow window', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await openModal();
    await dialog().locator('[data-kind="grafana"]').click();
    await dialog().getByTestId('connection-form').waitFor(wait);
    expect((await page.locator('.MuiDialog-paper').boundingBox())?.width).toBe(390);
    await screenshot(page, 'registration-narrow');
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('offers a viewer no Register connection button', async () => {
    const other = await openPage(browser, system.url);
    await signIn(other.page, system.token(viewer));
    await other.page.locator('tr[data-connection="prom-modal"]').waitFor(wait);
    expect(await other.page.getByRole('button', { name: 'Register connection' }).count()).toBe(0);
    expect(other.consoleErrors).toEqual([]);
    await other.page.context().close();
  });

  it('said nothing in red on the console but the refused registration and kubeconfig it was asked to make', () => {
    expect(consoleErrors.filter((text) => !/Failed to load resource: the server responded with a status of (409|400)/.test(text))).toEqual([]);
  });
});
