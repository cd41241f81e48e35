import type { NatsConnection } from 'nats';
import type { Browser, Page } from 'playwright-core';
import { connectNats } from '@clp/messaging';
import { CONDITION_TIMEOUT_MS, waitFor } from '@clp/testing';
import { publishConnectionEvents, statusChangedEvent } from '../../../apps/notification/src/notification.fixtures';
import { startSystem, type RunningSystem } from '../system.fixtures';
import { buildWeb, launchBrowser, openPage, screenshot, signIn } from './web.fixtures';

// The notification center (issue 14, item 7) as a person uses it: the real system, the built UI
// served by the gateway, Debian's chromium. Notifications come from changes made through the API
// (and, while the gateway is down, from events on CONNECTION_EVENTS as the registry's relay
// publishes them); every count and list the page shows is checked against the API's answer.
const ORG = 'web-notifications-org';
const admin = { organization_id: ORG, role: 'admin' as const, user_id: 'ada' };
const viewer = { organization_id: ORG, role: 'viewer' as const, user_id: 'victor' };
const wait = { timeout: CONDITION_TIMEOUT_MS };
const until = { timeoutMs: CONDITION_TIMEOUT_MS, intervalMs: 100 };

interface Listed {
  events: Array<{ id: string; severity: string; status: string; description: string }>;
  total_count: number;
  count_by_severity_level: Array<{ severity: string; count: number }>;
}

describe('web UI: the notification center', () => {
  let system: RunningSystem;
  let browser: Browser;
  let nc: NatsConnection;
  let page: Page;
  let consoleErrors: string[];
  let promA: string;
  /** How many console errors there were when the test stopped the gateway (the browser then says it cannot reach it). */
  let errorsAtKill: number | undefined;

  const bell = () => page.getByTestId('notification-bell');
  const drawer = () => page.getByTestId('notification-drawer');
  const items = () => drawer().locator('[data-notification]');
  const shownIds = () => items().evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-notification')));
  const bellCount = async () => Number(await bell().getAttribute('data-unread'));
  const list = async (query = ''): Promise<Listed> => {
    const answer = await system.http<Listed>('GET', `/api/system/events?pagesize=100${query}`, { as: admin });
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const unreadOf = (listed: Listed) => Object.fromEntries(listed.count_by_severity_level.map(({ severity, count }) => [severity, count]));
  /** Waits until the drawer shows exactly the API's list for the query (ids, in order). */
  const drawerShowsApi = async (query = '') => {
    await waitFor(async () => JSON.stringify(await shownIds()) === JSON.stringify((await list(query)).events.map((event) => event.id)), {
      ...until,
      message: `the drawer shows GET /api/system/events?${query}`,
    });
  };
  const pickSeverities = async (severities: string[]) => {
    await page.locator('#notification-filter-severity').click();
    for (const severity of severities) await page.locator(`[role="listbox"] [data-option="${severity}"]`).click();
    await page.keyboard.press('Escape');
    await page.locator('[role="listbox"]').waitFor({ state: 'detached', ...wait });
  };
  const create = async (body: Record<string, unknown>) => {
    const created = await system.http('POST', '/api/integrations/connections', { as: admin, body: { kind: 'prometheus', ...body } });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const transition = async (id: string, status: string) => {
    const answer = await system.http('PUT', `/api/integrations/connections/${id}`, { as: admin, body: { status } });
    expect([answer.status, answer.body.status]).toEqual([200, status]);
  };

  beforeAll(async () => {
    [system, browser] = await Promise.all([startSystem(), launchBrowser(), buildWeb()]).then(([s, b]) => [s, b] as const);
    nc = await connectNats({ servers: system.nats.url, name: 'web-notifications-e2e' });
    ({ page, consoleErrors } = await openPage(browser, system.url));
    await signIn(page, system.token(admin));
  });

  afterAll(async () => {
    await browser?.close();
    await nc?.close();
    await system?.stop();
  });

  it('opens an empty drawer from the bell, and shows a change made through the API live in the count and the list', async () => {
    expect(await bell().getAttribute('aria-label', wait)).toBe('Notifications: none unread');
    await bell().click();
    expect(await drawer().getByTestId('notifications-empty').textContent(wait)).toBe('No notifications yet.');
    await page.evaluate(() => ((globalThis as unknown as { marker: boolean }).marker = true));

    // Registered without a test (an admin's): success; a failed test: registered as not found, a warning
    // (another address: one resource is registered once);
    // a person's move to maintenance: informational.
    promA = await create({ name: 'prom-a', metadata: { url: 'http://127.0.0.1:1' }, skip_connectivity_test: true });
    await create({ name: 'prom-b', metadata: { url: 'http://127.0.0.1:2' } });
    await transition(promA, 'maintenance');

    await waitFor(async () => (await items().count()) === 3, { ...until, message: 'three notifications in the drawer' });
    await drawerShowsApi();
    expect(await bellCount()).toBe(3);
    expect(unreadOf(await list())).toEqual({ warning: 1, informational: 1, success: 1 });
    expect(await bell().getAttribute('aria-label')).toBe('Notifications: 3 unread (1 warning, 1 informational, 1 success)');
    expect(await drawer().locator('[data-unread]').allTextContents()).toEqual(['warning: 1', 'informational: 1', 'success: 1']);
    expect(await items().first().getByTestId('notification-description').textContent()).toMatch(/^prometheus connection "prom-a" went from registered to maintenance/);
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: boolean }).marker)).toBe(true);

    // Its details: from → to, who, and the connection's page.
    await items().first().getByRole('button', { name: 'Details' }).click();
    const details = items().first().getByTestId('notification-details');
    expect(await details.textContent(wait)).toMatch(/^Changeregistered → maintenanceWhen.+Whoada.*Causeuser.*Connectionprom-a \(prometheus\)$/);
    expect(await details.getByRole('link', { name: 'prom-a (prometheus)' }).getAttribute('href')).toBe(`/connections/${promA}`);
    await items().first().locator('.MuiCollapse-entered').waitFor(wait);
    await screenshot(page, 'notifications');
  });

  it('filters by severity and search as the API does', async () => {
    await pickSeverities(['warning']);
    await drawerShowsApi('&severity=warning');
    expect(await items().evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-severity')))).toEqual(['warning']);
    expect(await items().first().getByTestId('notification-description').textContent()).toMatch(/^prometheus connection "prom-b" was registered as not found/);
    await drawer().getByLabel('Search').fill('PROM-B');
    await drawerShowsApi('&severity=warning&search=PROM-B');
    expect(await items().count()).toBe(1);
    await drawer().getByLabel('Search').fill('prom-a');
    expect(await drawer().getByTestId('notifications-empty').textContent(wait)).toBe('No notification matches these filters.');
    await drawer().getByLabel('Search').fill('');
    await pickSeverities(['warning', 'debug']);
    expect(await drawer().getByTestId('notifications-empty').textContent(wait)).toBe('No notification matches these filters.');
    await drawer().getByRole('button', { name: 'Clear filters' }).click();
    await drawerShowsApi();
  });

  it('marks one read: the count drops, as the API counts it', async () => {
    const warning = drawer().locator('[data-severity="warning"]');
    await warning.getByRole('button', { name: 'Mark read' }).click();
    await drawer().locator('[data-severity="warning"][data-read-status="read"]').waitFor(wait);
    await waitFor(async () => (await bellCount()) === 2, { ...until, message: 'the bell counts 2' });
    expect(unreadOf(await list())).toEqual({ informational: 1, success: 1 });
    expect((await list('&status=read')).events.map((event) => event.severity)).toEqual(['warning']);
    // And back: unread again, then read for the rest of the test.
    await warning.getByRole('button', { name: 'Mark unread' }).click();
    await waitFor(async () => (await bellCount()) === 3, { ...until, message: 'the bell counts 3 again' });
    await warning.getByRole('button', { name: 'Mark read' }).click();
    await waitFor(async () => (await bellCount()) === 2, { ...until, message: 'the bell counts 2 again' });
  });

  it('marks all that match a filter, and only those', async () => {
    await transition(promA, 'disconnected');
    await waitFor(async () => (await bellCount()) === 3, { ...until, message: 'the new one counted' });
    await pickSeverities(['informational']);
    await drawerShowsApi('&severity=informational');
    expect(await items().count()).toBe(2);
    await drawer().getByLabel('Select all 2 matching').check();
    expect(await drawer().getByTestId('selected-count').textContent()).toBe('2 selected');
    await drawer().getByRole('toolbar').getByRole('button', { name: 'Mark read' }).click();
    expect(await drawer().getByTestId('notification-done').textContent(wait)).toBe('Marked 2 read.');
    await waitFor(async () => (await bellCount()) === 1, { ...until, message: 'the bell counts 1' });
    expect(unreadOf(await list())).toEqual({ success: 1 });
    expect((await list('&status=unread')).events.map((event) => event.severity)).toEqual(['success']);
    await drawer().getByRole('button', { name: 'Clear filters' }).click();
    await drawerShowsApi();
  });

  it('deletes one as an admin; a viewer sees no delete', async () => {
    const before = await list();
    const warning = before.events.find((event) => event.severity === 'warning');
    await drawer().getByRole('button', { name: `Delete: ${warning?.description}` }).click();
    await drawer().locator(`[data-notification="${warning?.id}"]`).waitFor({ state: 'detached', ...wait });
    const after = await list();
    expect([after.total_count, after.events.some((event) => event.id === warning?.id)]).toEqual([before.total_count - 1, false]);
    await drawerShowsApi();

    const other = await openPage(browser, system.url);
    await signIn(other.page, system.token(viewer));
    await other.page.getByTestId('notification-bell').click();
    await other.page.locator('[data-notification]').nth(2).waitFor(wait);
    expect(await other.page.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    expect(await other.page.getByRole('button', { name: 'Mark read' }).count()).toBe(1);
    await other.page.setViewportSize({ width: 390, height: 800 });
    await screenshot(other.page, 'notifications-narrow');
    expect(other.consoleErrors).toEqual([]);
    await other.page.context().close();
  });

  it('closes on Escape and gives the focus back to the bell', async () => {
    await drawer().getByRole('button', { name: 'Close notifications' }).focus();
    await page.keyboard.press('Escape');
    await drawer().waitFor({ state: 'hidden', ...wait });
    await waitFor(() => bell().evaluate((node) => node === node.ownerDocument.activeElement), { ...until, message: 'the bell has the focus' });
    await screenshot(page, 'notifications-bell');
    await page.keyboard.press('Enter');
    await drawer().waitFor(wait);
  });

  it('gets what it missed while its stream was down once each, then live ones again', async () => {
    await drawerShowsApi();
    const before = await shownIds();
    const unreadBefore = await bellCount();
    errorsAtKill = consoleErrors.length;

    await system.gateway.kill();
    // The registry's relay goes on publishing while the gateway is down: the health monitor lost prom-a and found it again.
    const missed = [
      statusChangedEvent(ORG, promA, 'connected', 'disconnected', { revision: 101 }),
      statusChangedEvent(ORG, promA, 'disconnected', 'connected', { revision: 102 }),
      statusChangedEvent(ORG, promA, 'connected', 'disconnected', { revision: 103 }),
    ];
    await publishConnectionEvents(nc, missed);
    const missedIds = missed.map((event) => event.metadata.event_id);
    await system.startGateway();

    await waitFor(async () => (await items().count()) === before.length + 3, { ...until, message: 'the three missed ones in the drawer' });
    const after = await shownIds();
    expect([[...after.slice(0, 3)].sort(), after.slice(3)]).toEqual([[...missedIds].sort(), before]);
    await drawerShowsApi();
    await waitFor(async () => (await bellCount()) === unreadBefore + 3, { ...until, message: 'the bell counts the missed ones' });
    expect(unreadOf(await list())).toEqual({ error: 2, success: 2 });

    // Live again: one more change through the API, shown once.
    await create({ name: 'prom-c', metadata: { url: 'http://127.0.0.1:3' }, skip_connectivity_test: true });
    await waitFor(async () => (await items().count()) === before.length + 4, { ...until, message: 'the live one after the resume' });
    await drawerShowsApi();
    expect(new Set(await shownIds()).size).toBe(before.length + 4);
    await screenshot(page, 'notifications-resumed');
    // While the gateway was down the browser could not reach it (EventSource retrying): that is all it said.
    expect(consoleErrors.slice(errorsAtKill).filter((text) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(text))).toEqual([]);
  });

  it('said nothing in red on the console before the gateway went down', () => {
    expect(consoleErrors.slice(0, errorsAtKill)).toEqual([]);
  });
});
