import { useQueryClient, type InfiniteData, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Notification, SeverityCount } from '@clp/contracts';
import { request } from '../../lib/api';
import { MAX_PAGE_SIZE, chunks, countsWithNew, mergeLive, notificationQuery, type NotificationFilters, type NotificationPage } from '../../lib/notifications';
import { onLive } from '../../live';
import { NOTIFICATIONS_KEY } from '../../queries';

const COUNTS_KEY = [NOTIFICATIONS_KEY, 'counts'];
const EVENTS = '/api/system/events';

const fetching = (client: QueryClient, key: QueryKey) => client.getQueryState(key)?.fetchStatus === 'fetching';

/** A live notification written into the bell's counts and every list on screen that it matches. */
const receive = (client: QueryClient, notification: Notification) => {
  // Shown at once; then the API's count, since a count read meanwhile may already hold this one.
  client.setQueryData<SeverityCount[]>(COUNTS_KEY, (counts) => counts && countsWithNew(counts, notification));
  void client.invalidateQueries({ queryKey: COUNTS_KEY });
  for (const [key, data] of client.getQueriesData<InfiniteData<NotificationPage, number>>({ queryKey: [NOTIFICATIONS_KEY, 'list'] })) {
    if (!data) continue;
    // A page being read may have been read before this one was stored: read it again instead.
    if (fetching(client, key)) {
      void client.invalidateQueries({ queryKey: key, exact: true });
      continue;
    }
    const pages = mergeLive(data.pages, [notification], key[2] as NotificationFilters);
    if (pages !== data.pages) client.setQueryData(key, { ...data, pages });
  }
  // A category (or action) not seen before is a new filter option.
  const types = client.getQueryData<{ category: string[]; action: string[] }>([NOTIFICATIONS_KEY, 'types']);
  if (types && !(types.category.includes(notification.category) && types.action.includes(notification.action))) {
    void client.invalidateQueries({ queryKey: [NOTIFICATIONS_KEY, 'types'] });
  }
};

/** The app's notification stream into the notification queries (mounted once, with the bell). */
export const useLiveNotifications = (): void => {
  const client = useQueryClient();
  useEffect(
    () =>
      onLive((event) => {
        if (event.type === 'resync') void client.invalidateQueries({ queryKey: [NOTIFICATIONS_KEY] });
        else receive(client, event.notification);
      }),
    [client],
  );
};

/** Every id a filter matches now, read page by page (the bulk routes take ids, docs/notification.md). */
export const idsMatching = async (token: string, filters: NotificationFilters): Promise<string[]> => {
  const ids: string[] = [];
  for (let page = 0; ; page++) {
    const answer = await request<NotificationPage>(token, 'GET', `${EVENTS}?${notificationQuery(filters, page, MAX_PAGE_SIZE)}`);
    ids.push(...answer.events.map((event) => event.id));
    if (answer.events.length < MAX_PAGE_SIZE || (page + 1) * MAX_PAGE_SIZE >= answer.total_count) return [...new Set(ids)];
  }
};

export const markOne = (token: string, id: string, status: 'read' | 'unread') =>
  request<{ id: string; status: string }>(token, 'PUT', `${EVENTS}/status/${encodeURIComponent(id)}`, { status });

export const deleteOne = (token: string, id: string) => request<{ id: string }>(token, 'DELETE', `${EVENTS}/${encodeURIComponent(id)}`);

/** Marks the ids, 500 per request; how many were the organization's. */
export const markMany = async (token: string, ids: string[], status: 'read' | 'unread'): Promise<number> => {
  let updated = 0;
  for (const group of chunks(ids)) updated += (await request<{ updated: number }>(token, 'PUT', `${EVENTS}/status/bulk`, { ids: group, status })).updated;
  return updated;
};

export const deleteMany = async (token: string, ids: string[]): Promise<number> => {
  let deleted = 0;
  for (const group of chunks(ids)) deleted += (await request<{ deleted: number }>(token, 'DELETE', `${EVENTS}/bulk`, { ids: group })).deleted;
  return deleted;
};
