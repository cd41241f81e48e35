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
  acted_upon?: string;
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
      count_by_severity_level: Partial<Record<Severity, number>>;
    };
  };
  [N.markEvents]: { request: { caller: Caller; ids: string[]; status: 'read' | 'unread' }; reply: { updated: number } };
  [N.deleteEvents]: { request: { caller: Caller; ids: string[] }; reply: { deleted: number } };
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
