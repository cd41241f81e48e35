import type { Caller } from './registry-api';
import { SUBJECTS } from './subjects';

export const SEVERITIES = [
  'emergency',
  'alert',
  'critical',
  'error',
  'warning',
  'informational',
  'debug',
  'success',
] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Notification {
  id: string;
  organization_id: string;
  category: string;
  action: string;
  severity: Severity;
  description: string;
  /** The connection (or environment) the notification is about. */
  acted_upon: string;
  metadata: Record<string, unknown>;
  status: 'read' | 'unread';
  created_at: string;
}

export interface ListNotificationsQuery {
  caller: Caller;
  page?: number;
  pagesize?: number;
  severity?: Severity[];
  status?: 'read' | 'unread';
  category?: string[];
  action?: string[];
  search?: string;
  acted_upon?: string[];
  /** The one field an index orders by: absent, the feed's order (`seq`, the order they were stored). */
  sort?: NotificationSortField;
  order?: 'asc' | 'desc';
}

/** Sort fields the store answers from an index (`created_at`: the event's time). */
export const NOTIFICATION_SORT_FIELDS = ['created_at'] as const;
export type NotificationSortField = (typeof NOTIFICATION_SORT_FIELDS)[number];

/** Meshery's shape of the unread counts: `[{severity: "error", count: 3}, …]`, on which its UI calls `.find`. */
export interface SeverityCount {
  severity: Severity;
  count: number;
}

/** The distinct categories and actions of an organization's notifications, as Meshery's `/api/system/events/types` answers. */
export interface NotificationTypes {
  category: string[];
  action: string[];
}

const N = SUBJECTS.notification;

export type NotificationApi = {
  [N.listEvents]: {
    request: ListNotificationsQuery;
    reply: {
      events: Notification[];
      page: number;
      page_size: number;
      total_count: number;
      count_by_severity_level: SeverityCount[];
    };
  };
  [N.markEvents]: { request: { caller: Caller; ids: string[]; status: 'read' | 'unread' }; reply: { updated: number } };
  [N.deleteEvents]: { request: { caller: Caller; ids: string[] }; reply: { deleted: number } };
  [N.eventTypes]: { request: { caller: Caller }; reply: NotificationTypes };
};

/**
 * A notification with its place in the organization's feed: `seq` grows by one per notification
 * stored in the organization, and is the `id:` of its server-sent event (`Last-Event-ID`).
 */
export interface FeedEntry {
  seq: number;
  notification: Notification;
}

export type NotificationFeedApi = {
  /** The organization's notifications after `after`, oldest first, and the highest `seq` given out so far. */
  [N.eventsSince]: { request: { caller: Caller; after: number; limit?: number }; reply: { events: FeedEntry[]; head: number } };
};
