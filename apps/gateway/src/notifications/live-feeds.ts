import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { JSONCodec, type NatsConnection, type Subscription } from 'nats';
import { notificationLiveSubject, SUBJECTS, type Caller, type FeedEntry } from '@clp/contracts';
import type { RequestContext } from '../auth/request-context';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { NATS_CONNECTION } from '../registry/registry-connection';
import { LiveSubscriber } from './live-subscriber';
import { NotificationClient } from './notification-client';

const PAGE = 500;

type Fetch = (context: RequestContext, after: number, limit: number) => Promise<{ events: FeedEntry[]; head: number }>;

/**
 * One organization's live notifications in this gateway: one NATS subscription, however many
 * clients, turned into the organization's feed in order (`seq` after `seq`). The notification
 * service publishes after storing, replicas and streams in any order, so a notification past the
 * next expected one means others are stored and still on their way: the gap is read from the
 * service, and what arrives later is dropped as already sent.
 */
class OrganizationFeed {
  readonly subscribers = new Set<LiveSubscriber>();
  refs = 0;
  /** The last seq sent to the subscribers. */
  last = 0;
  readonly ready: Promise<void>;
  private chain: Promise<void>;
  private subscription?: Subscription;
  private readonly codec = JSONCodec<FeedEntry>();
  private readonly context: RequestContext;

  constructor(
    readonly org: string,
    nc: NatsConnection,
    private readonly fetch: Fetch,
    private readonly onFailure: (feed: OrganizationFeed, error: Error) => void,
  ) {
    const caller: Caller = { organization_id: org, user_id: 'gateway-live-feed', role: 'viewer' };
    const context: RequestContext = { caller, correlation_id: randomUUID() };
    this.context = context;
    this.ready = (async () => {
      this.subscription = nc.subscribe(notificationLiveSubject(org), { callback: (error, message) => !error && this.receive(message.data) });
      // Subscribed on the server before the head is read: whatever is stored after it arrives here.
      await nc.flush();
      this.last = (await this.fetch(context, 0, 0)).head;
    })();
    this.chain = this.ready.catch(() => undefined);
  }

  private receive(data: Uint8Array): void {
    let entry: FeedEntry;
    try {
      entry = this.codec.decode(data);
    } catch {
      return;
    }
    // Subjects escape organization names: another organization's may share this one.
    if (entry.notification?.organization_id !== this.org) return;
    this.chain = this.chain.then(() => this.next(entry)).catch((error: Error) => this.onFailure(this, error));
  }

  private async next(entry: FeedEntry): Promise<void> {
    if (entry.seq <= this.last) return;
    while (entry.seq > this.last + 1) {
      const { events } = await this.fetch(this.context, this.last, PAGE);
      for (const e of events) if (e.seq > this.last) this.send(e);
      if (events.length < PAGE) break;
    }
    // Stored, then deleted before the gap was read: it was still a notification of the feed.
    if (entry.seq > this.last) this.send(entry);
  }

  private send(entry: FeedEntry): void {
    this.last = entry.seq;
    for (const subscriber of this.subscribers) subscriber.deliver(entry);
  }

  close(): void {
    if (this.subscription && !this.subscription.isClosed()) this.subscription.unsubscribe();
    for (const subscriber of [...this.subscribers]) subscriber.close();
  }
}

/**
 * Live notifications for `GET /api/system/events/subscribe` (design.md §9): a client with
 * Last-Event-ID first gets, page by page from the notification service, everything after it,
 * while the feed's live notifications wait in its buffer; then those the catch-up did not
 * already send, then live ones. No gap (the feed subscribed before the catch-up read), no
 * duplicate (a seq is sent at most once per client).
 */
@Injectable()
export class LiveFeeds implements OnModuleDestroy {
  private readonly logger = new Logger(LiveFeeds.name);
  private readonly feeds = new Map<string, OrganizationFeed>();
  private readonly keepAlive: NodeJS.Timeout;
  private readonly maxBuffered: number;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly notifications: NotificationClient,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.maxBuffered = config.sseMaxBuffered ?? 10_000;
    this.keepAlive = setInterval(() => {
      for (const feed of this.feeds.values()) for (const subscriber of feed.subscribers) subscriber.comment('keep-alive');
    }, config.sseKeepAliveMs ?? 15_000);
    this.keepAlive.unref();
  }

  private readonly fetch: Fetch = (context, after, limit) => this.notifications.call(SUBJECTS.notification.eventsSince, context, { after, limit });

  /** How many clients are subscribed, for tests and metrics. */
  subscriberCount(): number {
    let n = 0;
    for (const feed of this.feeds.values()) n += feed.subscribers.size;
    return n;
  }

  /**
   * Joins the organization's feed; throws (`unavailable`) before `start` is called if the
   * notification service does not answer, so the client gets an HTTP error, not an empty stream.
   * `start` opens the stream on `raw` and catches up from `lastEventId`.
   */
  async open(context: RequestContext, lastEventId: number | undefined): Promise<(raw: ServerResponse) => void> {
    const org = context.caller.organization_id;
    let feed = this.feeds.get(org);
    if (!feed) {
      feed = new OrganizationFeed(org, this.nc, this.fetch, (failed, error) => this.fail(failed, error));
      this.feeds.set(org, feed);
    }
    feed.refs += 1;
    const joined = feed;
    try {
      await joined.ready;
    } catch (error) {
      this.release(joined);
      throw error;
    }
    return (raw) => {
      const replaying = lastEventId !== undefined;
      const subscriber = new LiveSubscriber(raw, this.maxBuffered, lastEventId ?? joined.last, replaying, () => {
        joined.subscribers.delete(subscriber);
        this.release(joined);
      });
      joined.subscribers.add(subscriber);
      if (replaying) void this.catchUp(context, subscriber);
    };
  }

  private async catchUp(context: RequestContext, subscriber: LiveSubscriber): Promise<void> {
    try {
      for (;;) {
        const { events } = await this.fetch(context, subscriber.last, PAGE);
        for (const entry of events) subscriber.write(entry);
        if (events.length < PAGE || subscriber.closed) break;
        // One page at a time into the socket: a slow client slows its own catch-up only.
        await subscriber.drained();
      }
      subscriber.caughtUp();
    } catch (error) {
      this.logger.warn(`a live subscriber could not catch up, closing its stream: ${(error as Error).message}`);
      subscriber.close();
    }
  }

  private release(feed: OrganizationFeed): void {
    feed.refs -= 1;
    if (feed.refs > 0) return;
    if (this.feeds.get(feed.org) === feed) this.feeds.delete(feed.org);
    feed.close();
  }

  /** The feed could not read a gap: its clients are disconnected and resume with Last-Event-ID. */
  private fail(feed: OrganizationFeed, error: Error): void {
    this.logger.warn(`live notifications interrupted, subscribers will resume: ${error.message}`);
    if (this.feeds.get(feed.org) === feed) this.feeds.delete(feed.org);
    feed.close();
  }

  onModuleDestroy(): void {
    clearInterval(this.keepAlive);
    for (const feed of [...this.feeds.values()]) feed.close();
    this.feeds.clear();
  }
}
