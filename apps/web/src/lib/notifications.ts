import { SEVERITIES, type Notification, type Severity, type SeverityCount, type Status } from '@clp/contracts';

/** What the notification center's drawer shows: the API's filters of GET /api/system/events. */
export interface NotificationFilters {
  severity: Severity[];
  /** `''`: read and unread. */
  status: '' | 'read' | 'unread';
  category: string[];
  search: string;
}

export const NO_FILTERS: NotificationFilters = { severity: [], status: '', category: [], search: '' };
/** The drawer's page ("Load more"); 100 is the API's largest, what resolving a filter to ids reads. */
export const NOTIFICATION_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** The bulk routes take at most this many ids per request. */
export const MAX_BULK_IDS = 500;

export const isFiltered = (filters: NotificationFilters): boolean =>
  filters.severity.length > 0 || filters.status !== '' || filters.category.length > 0 || filters.search.trim() !== '';

/** The API's query of the filters and a page (from 0): lists as the parameter repeated, blanks left out. */
export const notificationQuery = (filters: NotificationFilters, page: number, pageSize = NOTIFICATION_PAGE_SIZE): string => {
  const params = new URLSearchParams();
  for (const severity of filters.severity) params.append('severity', severity);
  if (filters.status) params.set('status', filters.status);
  for (const category of filters.category) params.append('category', category);
  const search = filters.search.trim();
  if (search) params.set('search', search);
  params.set('page', String(page));
  params.set('pagesize', String(pageSize));
  return params.toString();
};

/**
 * Whether a notification that arrived live belongs in a list with these filters, as the API
 * decides it (search: the description, category or action, case-insensitive).
 */
export const matchesFilters = (notification: Notification, filters: NotificationFilters): boolean => {
  if (filters.severity.length > 0 && !filters.severity.includes(notification.severity)) return false;
  if (filters.status && notification.status !== filters.status) return false;
  if (filters.category.length > 0 && !filters.category.includes(notification.category)) return false;
  const search = filters.search.trim().toLowerCase();
  if (!search) return true;
  return [notification.description, notification.category, notification.action].some((text) => text.toLowerCase().includes(search));
};

/** A list answer's page, as the drawer keeps it. */
export interface NotificationPage {
  events: Notification[];
  page: number;
  page_size: number;
  total_count: number;
  count_by_severity_level: SeverityCount[];
}

/**
 * The live notifications merged into the first page of a list: those that match its filters and
 * that no page already holds go first (newest first: the feed's order), and the total grows by them.
 * The same notification arriving twice (a replay, a refetch that already had it) changes nothing.
 */
export const mergeLive = (pages: NotificationPage[], incoming: Notification[], filters: NotificationFilters): NotificationPage[] => {
  if (pages.length === 0) return pages;
  const known = new Set(pages.flatMap((page) => page.events.map((event) => event.id)));
  const fresh: Notification[] = [];
  for (const notification of incoming) {
    if (known.has(notification.id) || !matchesFilters(notification, filters)) continue;
    known.add(notification.id);
    fresh.unshift(notification);
  }
  if (fresh.length === 0) return pages;
  const [first, ...rest] = pages;
  return [{ ...first, events: [...fresh, ...first.events], total_count: first.total_count + fresh.length }, ...rest];
};

/**
 * The notifications of every page loaded, each once: a page read after live ones were put first
 * starts that many earlier, so it repeats some of the previous page's.
 */
export const notificationsOf = (pages: NotificationPage[]): Notification[] => {
  const seen = new Set<string>();
  return pages.flatMap((page) => page.events).filter((event) => !seen.has(event.id) && (seen.add(event.id), true));
};

/** Whether the list has more to load than is shown. */
export const hasMore = (pages: NotificationPage[]): boolean => {
  const last = pages.at(-1);
  return last !== undefined && (last.page + 1) * last.page_size < last.total_count;
};

/** The unread counts by severity in SEVERITIES' order, each severity once (the API's array, or one built up). */
const normalized = (counts: SeverityCount[]): SeverityCount[] =>
  SEVERITIES.map((severity) => ({ severity, count: counts.filter((entry) => entry.severity === severity).reduce((sum, entry) => sum + entry.count, 0) })).filter(
    (entry) => entry.count > 0,
  );

/** A new unread notification counted in, as the API will count it. */
export const countsWithNew = (counts: SeverityCount[], notification: Notification): SeverityCount[] =>
  notification.status === 'unread' ? normalized([...counts, { severity: notification.severity, count: 1 }]) : counts;

export const unreadTotal = (counts: SeverityCount[]): number => counts.reduce((sum, entry) => sum + entry.count, 0);

/** The severities that are trouble: the bell turns red for them. */
const ALARMING: readonly Severity[] = ['emergency', 'alert', 'critical', 'error'];
export const isAlarming = (severity: Severity): boolean => ALARMING.includes(severity);

/** The bell's words for a screen reader: `3 unread notifications: 2 error, 1 success`. */
export const bellLabel = (counts: SeverityCount[]): string => {
  const total = unreadTotal(counts);
  if (total === 0) return 'Notifications: none unread';
  return `Notifications: ${total} unread (${normalized(counts)
    .map(({ severity, count }) => `${count} ${severity}`)
    .join(', ')})`;
};

/** Ids in groups the bulk routes take. */
export const chunks = <T>(items: T[], size = MAX_BULK_IDS): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));

/** What a notification's details show: the change, its cause, who, when, and what it is about. */
export interface NotificationDetails {
  from?: Status;
  to?: Status;
  cause?: string;
  reason?: string;
  who?: string;
  kind?: string;
  name?: string;
  /** The connection's id when the notification is about one (its page's link). */
  connectionId?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export const detailsOf = (notification: Notification): NotificationDetails => {
  const metadata = notification.metadata ?? {};
  const actor = metadata.actor;
  const who = text(actor) ?? (actor && typeof actor === 'object' ? text((actor as { id?: unknown }).id) : undefined);
  const details: NotificationDetails = {
    from: text(metadata.from) as Status | undefined,
    to: text(metadata.to) as Status | undefined,
    cause: text(metadata.cause),
    reason: text(metadata.reason),
    who,
    kind: text(metadata.kind),
    name: text(metadata.name),
    connectionId: notification.category === 'connection' && notification.acted_upon ? notification.acted_upon : undefined,
  };
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined)) as NotificationDetails;
};

/**
 * The live stream's sequence numbers, each let through once and only increasing: EventSource
 * resumes with Last-Event-ID, and one seq said twice (or an older one) is shown once.
 */
export const seqGate = (): ((seq: number) => boolean) => {
  let last = -Infinity;
  return (seq) => {
    if (!Number.isFinite(seq) || seq <= last) return false;
    last = seq;
    return true;
  };
};
