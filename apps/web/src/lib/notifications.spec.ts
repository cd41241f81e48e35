import type { Notification } from '@clp/contracts';
import {
  NO_FILTERS,
  bellLabel,
  chunks,
  countsWithNew,
  detailsOf,
  hasMore,
  isFiltered,
  matchesFilters,
  mergeLive,
  notificationQuery,
  notificationsOf,
  seqGate,
  unreadTotal,
  type NotificationPage,
} from './notifications';

const notification = (id: string, overrides: Partial<Notification> = {}): Notification => ({
  id,
  organization_id: 'org',
  category: 'connection',
  action: 'status_changed',
  severity: 'error',
  description: `prom-${id} went from connected to not found`,
  acted_upon: `c-${id}`,
  metadata: {},
  status: 'unread',
  created_at: '2026-12-03T10:00:00.000Z',
  ...overrides,
});

const page = (ids: string[], number = 0, total = ids.length, size = 20): NotificationPage => ({
  events: ids.map((id) => notification(id)),
  page: number,
  page_size: size,
  total_count: total,
  count_by_severity_level: [],
});

describe('notification filters ↔ the API query', () => {
  it('sends lists repeated, the status and a trimmed search, and always the page and its size', () => {
    expect(notificationQuery({ severity: ['error', 'warning'], status: 'unread', category: ['connection'], search: '  prom ' }, 2)).toBe(
      'severity=error&severity=warning&status=unread&category=connection&search=prom&page=2&pagesize=20',
    );
    expect(notificationQuery(NO_FILTERS, 0, 100)).toBe('page=0&pagesize=100');
  });

  it('knows when anything is filtered (blank search is not)', () => {
    expect(isFiltered(NO_FILTERS)).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, search: '  ' })).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, status: 'read' })).toBe(true);
    expect(isFiltered({ ...NO_FILTERS, severity: ['debug'] })).toBe(true);
  });

  it('matches a live notification as the API filters: severity, status, category, search in description, category or action', () => {
    const n = notification('1', { severity: 'warning', category: 'environment', action: 'archived', description: 'Staging archived' });
    expect(matchesFilters(n, NO_FILTERS)).toBe(true);
    expect(matchesFilters(n, { ...NO_FILTERS, severity: ['error', 'warning'] })).toBe(true);
    expect(matchesFilters(n, { ...NO_FILTERS, severity: ['error'] })).toBe(false);
    expect(matchesFilters(n, { ...NO_FILTERS, status: 'read' })).toBe(false);
    expect(matchesFilters(n, { ...NO_FILTERS, status: 'unread' })).toBe(true);
    expect(matchesFilters(n, { ...NO_FILTERS, category: ['connection'] })).toBe(false);
    for (const search of ['STAGING', 'environ', 'archiv']) expect(matchesFilters(n, { ...NO_FILTERS, search })).toBe(true);
    expect(matchesFilters(n, { ...NO_FILTERS, search: 'prod' })).toBe(false);
  });
});

describe('live notifications merged into the list', () => {
  it('puts new ones first, newest first, and counts them in the total', () => {
    const merged = mergeLive([page(['2', '1'], 0, 2)], [notification('3'), notification('4')], NO_FILTERS);
    expect(merged[0].events.map((n) => n.id)).toEqual(['4', '3', '2', '1']);
    expect(merged[0].total_count).toBe(4);
  });

  it('shows one already in a page, or said twice, once', () => {
    const pages = [page(['3', '2'], 0, 5, 2), page(['1', '0'], 1, 5, 2)];
    const merged = mergeLive(pages, [notification('1'), notification('5'), notification('5')], NO_FILTERS);
    expect(notificationsOf(merged).map((n) => n.id)).toEqual(['5', '3', '2', '1', '0']);
    expect(merged[0].total_count).toBe(6);
    expect(mergeLive(merged, [notification('5')], NO_FILTERS)).toBe(merged);
  });

  it('leaves out what the filters exclude, and a list not loaded yet alone', () => {
    const pages = [page(['1'])];
    expect(mergeLive(pages, [notification('2', { severity: 'success' })], { ...NO_FILTERS, severity: ['error'] })).toBe(pages);
    expect(mergeLive([], [notification('2')], NO_FILTERS)).toEqual([]);
  });

  it('lists each notification once over pages that overlap (a page read after live ones came first)', () => {
    expect(notificationsOf([page(['5', '4', '3'], 0, 6, 3), page(['3', '2', '1'], 1, 6, 3)]).map((n) => n.id)).toEqual(['5', '4', '3', '2', '1']);
  });

  it('has more to load while the pages read are fewer than the total', () => {
    expect(hasMore([page(['2', '1'], 0, 3, 2)])).toBe(true);
    expect(hasMore([page(['2', '1'], 0, 3, 2), page(['0'], 1, 3, 2)])).toBe(false);
    expect(hasMore([])).toBe(false);
  });
});

describe('unread counts', () => {
  it('counts a new unread notification in by its severity, in the API’s order of severities', () => {
    const counts = countsWithNew([{ severity: 'success', count: 1 }], notification('1', { severity: 'error' }));
    expect(counts).toEqual([
      { severity: 'error', count: 1 },
      { severity: 'success', count: 1 },
    ]);
    expect(countsWithNew(counts, notification('2', { severity: 'error' }))).toEqual([
      { severity: 'error', count: 2 },
      { severity: 'success', count: 1 },
    ]);
    expect(countsWithNew(counts, notification('3', { status: 'read' }))).toBe(counts);
    expect(unreadTotal(counts)).toBe(2);
  });

  it('says the counts to a screen reader', () => {
    expect(bellLabel([])).toBe('Notifications: none unread');
    expect(
      bellLabel([
        { severity: 'error', count: 2 },
        { severity: 'success', count: 1 },
      ]),
    ).toBe('Notifications: 3 unread (2 error, 1 success)');
  });
});

describe('a notification’s details', () => {
  it('reads the change, cause, reason, who and the connection from the metadata', () => {
    const n = notification('1', {
      acted_upon: 'conn-1',
      metadata: { from: 'connected', to: 'not found', cause: 'system', reason: '', actor: 'health-monitor', kind: 'prometheus', name: 'prom', event_type: 'StatusChanged' },
    });
    expect(detailsOf(n)).toEqual({ from: 'connected', to: 'not found', cause: 'system', who: 'health-monitor', kind: 'prometheus', name: 'prom', connectionId: 'conn-1' });
  });

  it('links only a connection’s notification to a connection page, and takes an actor object’s id', () => {
    expect(detailsOf(notification('1', { category: 'environment', acted_upon: 'env-1', metadata: { actor: { type: 'user', id: 'olga' } } }))).toEqual({ who: 'olga' });
  });
});

describe('the live stream’s seqs', () => {
  it('lets each through once and only increasing (a resumed stream repeating one shows it once)', () => {
    const gate = seqGate();
    expect([5, 6, 6, 4, 7, Number.NaN, 9].map(gate)).toEqual([true, true, false, false, true, false, true]);
  });
});

describe('bulk ids', () => {
  it('go in groups of at most 500', () => {
    const ids = Array.from({ length: 1001 }, (_, i) => String(i));
    expect(chunks(ids).map((group) => group.length)).toEqual([500, 500, 1]);
    expect(chunks([])).toEqual([]);
  });
});
