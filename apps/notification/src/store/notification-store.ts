import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { SEVERITIES, type FeedEntry, type Notification, type NotificationSortField, type NotificationTypes, type SeverityCount } from '@clp/contracts';

export const REDIS = Symbol('REDIS');
export const STORE_SETTINGS = Symbol('STORE_SETTINGS');

export interface StoreSettings {
  /** `notification:` by default: every key of the service is under it (design.md §5). */
  prefix: string;
  /** How long a notification is kept, and how long its event id is remembered against redelivery. */
  retentionMs: number;
}

export interface ListFilter {
  org: string;
  page: number;
  pagesize: number;
  status?: 'read' | 'unread';
  acted_upon?: string[];
  search?: string;
  severity?: string[];
  category?: string[];
  action?: string[];
  /** Absent: the feed's order (`seq`). */
  sort?: NotificationSortField;
  order?: 'asc' | 'desc';
}

/** The sorted set each sort field is answered from: never a scan to order a page. */
const SORT_INDEX: Record<NotificationSortField | 'feed', string> = { feed: 'all', created_at: 'time' };

export interface NotificationPage {
  events: Notification[];
  page: number;
  page_size: number;
  total_count: number;
  count_by_severity_level: SeverityCount[];
}

type Script = (...args: Array<string | number>) => Promise<unknown>;

const load = (redis: Redis, name: string): Script => {
  const command = `notification${name[0].toUpperCase()}${name.slice(1)}`;
  if (!(command in redis)) redis.defineCommand(command, { numberOfKeys: 0, lua: readFileSync(join(__dirname, `${name}.lua`), 'utf8') });
  const run = (redis as unknown as Record<string, Script>)[command];
  return (...args) => run.apply(redis, args);
};

const withStatus = (doc: string, status: string): Notification => ({ ...(JSON.parse(doc) as Omit<Notification, 'status'>), status: status as Notification['status'] });

/**
 * The notifications of every organization in Redis (keys in docs/notification.md). Each
 * organization's notifications are numbered by a counter of its own (`seq`), which orders its
 * feed and is the id of the server-sent events; every write is one Lua script, so a document,
 * its indexes and the unread counts never disagree.
 */
@Injectable()
export class NotificationStore {
  private readonly scripts: Record<'remove' | 'list' | 'since' | 'backfill', Script>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(STORE_SETTINGS) private readonly settings: StoreSettings,
  ) {
    this.scripts = {
      remove: load(redis, 'remove'),
      list: load(redis, 'list'),
      since: load(redis, 'since'),
      backfill: load(redis, 'backfill'),
    };
  }

  private get p(): string {
    return this.settings.prefix;
  }

  async list(filter: ListFilter): Promise<NotificationPage> {
    const json = (values?: string[]) => (values?.length ? JSON.stringify(values) : '');
    const [total, unread, ...docs] = (await this.scripts.list(
      this.p,
      filter.org,
      filter.page,
      filter.pagesize,
      filter.status ?? '',
      (filter.search ?? '').toLowerCase(),
      json(filter.severity),
      json(filter.category),
      json(filter.action),
      json(filter.acted_upon),
      SORT_INDEX[filter.sort ?? 'feed'],
      filter.order ?? 'desc',
    )) as [number, string[], ...string[]];
    const events: Notification[] = [];
    for (let i = 0; i < docs.length; i += 2) events.push(withStatus(docs[i], docs[i + 1]));
    const byName = new Map<string, number>();
    for (let i = 0; i < unread.length; i += 2) byName.set(unread[i], Number(unread[i + 1]));
    const counts = SEVERITIES.filter((severity) => (byName.get(severity) ?? 0) > 0).map((severity) => ({ severity, count: byName.get(severity) ?? 0 }));
    return { events, page: filter.page, page_size: filter.pagesize, total_count: total, count_by_severity_level: counts };
  }

  /** The organization's distinct categories and actions, from the counts the scripts keep (no scan). */
  async types(org: string): Promise<NotificationTypes> {
    const o = `${this.p}org:${org}`;
    const [category, action] = await Promise.all([this.redis.hkeys(`${o}:categories`), this.redis.hkeys(`${o}:actions`)]);
    return { category: category.sort(), action: action.sort() };
  }

  async since(org: string, after: number, limit: number): Promise<{ events: FeedEntry[]; head: number }> {
    const [head, ...rows] = (await this.scripts.since(this.p, org, after, limit)) as [number, ...Array<number | string>];
    const events: FeedEntry[] = [];
    for (let i = 0; i < rows.length; i += 3) events.push({ seq: Number(rows[i]), notification: withStatus(rows[i + 1] as string, rows[i + 2] as string) });
    return { events, head: Number(head) };
  }

  /** The ids that are the organization's notifications now: what a mark or a delete is about. */
  async own(org: string, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const orgs = await this.redis.pipeline(ids.map((id) => ['hget', `${this.p}n:${id}`, 'org'])).exec();
    return ids.filter((_, i) => orgs?.[i]?.[1] === org);
  }

  /**
   * Puts the notifications stored before the filter indexes and type counts existed into them,
   * once per Redis (`indexed:v1` is set when done; until then every pass is idempotent, per
   * notification).
   */
  async backfill(batch = 500): Promise<void> {
    const done = `${this.p}indexed:v1`;
    if (await this.redis.exists(done)) return;
    let cursor = '0';
    do {
      const [next, orgs] = await this.redis.sscan(`${this.p}orgs`, cursor, 'COUNT', 100);
      cursor = next;
      for (const org of orgs) {
        for (let after = 0; ; ) {
          const last = Number(await this.scripts.backfill(this.p, org, after, batch));
          if (last === 0) break;
          after = last;
        }
      }
    } while (cursor !== '0');
    await this.redis.set(done, '1');
  }

  /** Drops every organization's notifications older than the retention, a batch at a time. */
  async trim(now: number, batch = 500): Promise<number> {
    const cutoff = now - this.settings.retentionMs;
    let removed = 0;
    let cursor = '0';
    do {
      const [next, orgs] = await this.redis.sscan(`${this.p}orgs`, cursor, 'COUNT', 100);
      cursor = next;
      for (const org of orgs) {
        for (;;) {
          const n = Number(await this.scripts.remove(this.p, org, 'older', cutoff, batch));
          removed += n;
          if (n < batch) break;
        }
      }
    } while (cursor !== '0');
    return removed;
  }
}
