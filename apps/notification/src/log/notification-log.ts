import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { DeliverPolicy, headers as natsHeaders, JSONCodec, nanos, type ConsumerMessages, type JetStreamManager, type NatsConnection, type StoredMsg } from 'nats';
import { HEADERS, NOTIFICATION_LOG_STREAM, notificationLiveSubject, ReplyError, type FeedEntry } from '@clp/contracts';
import { batchesOf } from '@clp/event-store';
import { ensureStream, isNotFound } from '@clp/messaging';
import type { NewNotification } from '../notifications/notification-of';
import { REDIS, STORE_SETTINGS, type StoreSettings } from '../store/notification-store';
import { IDS_PER_RECORD, logSubject, scriptMessageOf, type LogRecord, type ScriptMessage } from './log-records';

export const NATS_CONNECTION = Symbol('NATS_CONNECTION');

const STREAM = NOTIFICATION_LOG_STREAM;
/** What the script answers when the checkpoint vanished under a running reader. */
const LOST = -1;
/** How often an idle reader looks whether Redis still holds its checkpoint. */
const CHECK_EVERY_MS = 2000;
/** Messages per script call. */
const BATCH = 500;
/** JetStream's default: a re-published notification within it is dropped by the server. */
const DUPLICATE_WINDOW_MS = 2 * 60_000;
/** How long a mark or a delete waits for this replica's projection before answering unavailable. */
const APPLY_TIMEOUT_MS = 10_000;
/** Appends racing for one organization's next seq: each retry lost to another replica's append. */
const MAX_APPEND_ATTEMPTS = 50;
const APPLY = readFileSync(join(__dirname, '..', 'store', 'apply-log.lua'), 'utf8');

type Script = (...args: Array<string | number>) => Promise<unknown>;
type Answer = -1 | [number, number[], Array<string | number>];

/** JetStream's answer to an append whose expected last subject sequence is no longer the last. */
const isWrongLastSequence = (error: unknown): boolean => {
  const e = error as { api_error?: { err_code?: number }; message?: string };
  return e?.api_error?.err_code === 10071 || /wrong last sequence/i.test(e?.message ?? '');
};

/**
 * The notification center's log (docs/notification.md, "The log and its projection"): the intake and
 * the mark and delete commands append to the NOTIFICATIONS stream, and every replica applies the
 * stream in order to Redis through an ordered consumer (nothing acknowledged, nothing left on the
 * server). The checkpoint in the script makes a batch another replica applied a no-op; a Redis
 * without it is rebuilt from the stream's first message, by itself.
 */
@Injectable()
export class NotificationLog implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationLog.name);
  private readonly codec = JSONCodec<FeedEntry>();
  private readonly apply: Script;
  private stopped = false;
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  /** The last stream sequence this replica applied or saw applied. */
  private seen = 0;
  /** Messages up to this sequence are being re-applied after Redis lost them: not published live again. */
  private rebuildUntil = 0;
  private rebuilding = false;
  private waiters: Array<{ seq: number; resolve: () => void }> = [];
  private manager?: Promise<JetStreamManager>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(STORE_SETTINGS) private readonly settings: StoreSettings,
  ) {
    if (!('notificationApplyLog' in redis)) redis.defineCommand('notificationApplyLog', { numberOfKeys: 0, lua: APPLY });
    const run = (redis as unknown as Record<string, Script>).notificationApplyLog;
    this.apply = (...args) => run.apply(redis, args);
  }

  private get p(): string {
    return this.settings.prefix;
  }

  /**
   * The stream exists before the intake appends to it; its messages live as long as the
   * notifications, also after the retention setting changed (the stream is updated to it).
   */
  async onModuleInit(): Promise<void> {
    const limits = { max_age: nanos(this.settings.retentionMs), duplicate_window: nanos(Math.min(DUPLICATE_WINDOW_MS, this.settings.retentionMs)) };
    const jsm = await this.jsm();
    const { config } = await ensureStream(jsm, STREAM, limits);
    if (config.max_age !== limits.max_age || config.duplicate_window !== limits.duplicate_window) {
      await jsm.streams.update(STREAM.name, { ...config, ...limits });
      this.logger.log(`${STREAM.name} now keeps messages for ${this.settings.retentionMs} ms`);
    }
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    // nats.js resolves close() only when the iterator is read again: not awaited.
    void this.messages?.close();
    await this.loop;
    for (const waiter of this.waiters) waiter.resolve();
  }

  /**
   * Appends a new notification, `Nats-Msg-Id` = its id: a second one within the duplicate window
   * is dropped by the server, a later one by the projection's "seen" guard. Resolves on the
   * server's ack, so the source event is acked only after its notification is durable.
   *
   * Its feed `seq` is given out here, one more than the organization's last "stored" record, and
   * the append expects that record to still be the subject's last (the server refuses it
   * otherwise, and it is numbered again): the stream's order is the seqs' order, and the seq is in
   * the record, so a rebuild repeats it even after `max_age` dropped older records.
   */
  async stored(notification: NewNotification): Promise<void> {
    const subject = logSubject({ type: 'stored', seq: 0, notification });
    const h = natsHeaders();
    h.set(HEADERS.messageId, notification.id);
    for (let attempt = 1; ; attempt++) {
      const last = await this.lastStored(subject, notification.organization_id);
      const record: LogRecord = { type: 'stored', seq: last.seq + 1, notification };
      try {
        await this.nc.jetstream().publish(subject, JSON.stringify(record), { headers: h, expect: { lastSubjectSequence: last.streamSeq } });
        return;
      } catch (error) {
        // Another replica appended for the organization meanwhile: number it again.
        if (!isWrongLastSequence(error) || attempt >= MAX_APPEND_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * The organization's last "stored" record (its stream sequence and seq). None in the stream
   * (its records aged out, or none yet): the counter Redis has, so the feed never numbers back.
   */
  private async lastStored(subject: string, org: string): Promise<{ streamSeq: number; seq: number }> {
    const counter = async () => Number((await this.redis.get(`${this.p}org:${org}:seq`)) ?? 0);
    let message: StoredMsg;
    try {
      message = await (await this.jsm()).streams.getMessage(STREAM.name, { last_by_subj: subject });
    } catch (error) {
      if (!isNotFound(error) && !/no message found/i.test((error as Error).message)) throw error;
      return { streamSeq: 0, seq: await counter() };
    }
    // A last record without a seq (a dead letter) must not stop the organization's intake.
    const seq = scriptMessageOf(message.seq, message.data);
    return { streamSeq: message.seq, seq: seq.type === 'stored' ? Number(seq.feed_seq) : await counter() };
  }

  private jsm(): Promise<JetStreamManager> {
    return (this.manager ??= this.nc.jetstreamManager());
  }

  /** Appends a change of state and resolves once this replica's projection applied it (read-your-writes). */
  async change(record: Exclude<LogRecord, { type: 'stored' }>): Promise<void> {
    let last = 0;
    for (let i = 0; i < record.ids.length; i += IDS_PER_RECORD) {
      const chunk = { ...record, ids: record.ids.slice(i, i + IDS_PER_RECORD) };
      last = (await this.nc.jetstream().publish(logSubject(chunk), JSON.stringify(chunk))).seq;
    }
    if (last > 0) await this.applied(last);
  }

  /** How many stream messages the projection could not apply and skipped (shown by readiness). */
  deadLetters(): Promise<number> {
    return this.redis.hlen(`${this.p}dead-letters`);
  }

  private async applied(seq: number): Promise<void> {
    if (this.seen >= seq) return;
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve) => this.waiters.push({ seq, resolve }));
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), APPLY_TIMEOUT_MS)));
    const outcome = await Promise.race([done, late]).finally(() => clearTimeout(timer));
    // Stored, but not yet visible here: say so rather than answer as if it were.
    if (outcome === 'late' && Number((await this.redis.get(`${this.p}checkpoint`)) ?? 0) < seq) {
      throw new ReplyError('unavailable', 'the change is recorded but not applied yet; retry the read');
    }
  }

  private advance(seq: number): void {
    this.seen = seq;
    const ready = this.waiters.filter((waiter) => waiter.seq <= seq);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => waiter.seq > seq);
    for (const waiter of ready) waiter.resolve();
  }

  private lost(messages: ConsumerMessages): void {
    if (!this.rebuilding) this.logger.warn('notifications gone from Redis: rebuilding them from the NOTIFICATIONS stream');
    this.rebuilding = true;
    void messages.close();
  }

  /** The checkpoint is gone or behind what this reader applied: Redis lost what it held. */
  private async isLost(): Promise<boolean> {
    return this.seen > 0 && Number((await this.redis.get(`${this.p}checkpoint`)) ?? 0) < this.seen;
  }

  /** The stream's last sequence now: what a rebuild starting now re-applies without publishing it live. */
  private async streamLast(): Promise<number> {
    return (await (await this.jsm()).streams.info(STREAM.name)).state.last_seq;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const last = Number((await this.redis.get(`${this.p}checkpoint`)) ?? 0);
        // A rebuild (this replica's, or another's it joins half-way) re-applies up to here.
        if (last === 0 || this.rebuilding) this.rebuildUntil = Math.max(this.rebuildUntil, await this.streamLast());
        this.rebuilding = false;
        this.seen = last;
        const consumer = await this.nc.jetstream().consumers.get(STREAM.name, {
          ...(last > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: last + 1 } : {}),
        });
        this.messages = await consumer.consume({ max_messages: 1024 });
        if (this.stopped) void this.messages.close();
        const messages = this.messages;
        const decoded = (async function* () {
          for await (const message of messages) yield scriptMessageOf(message.seq, message.data);
        })();
        // Redis emptied while nothing arrives: seen by a look now and then, as the script sees it
        // when something does. Either way the reader starts again, from the stream's start.
        const watch = setInterval(() => {
          void this.isLost().then(
            (lost) => lost && this.lost(messages),
            () => undefined,
          );
        }, CHECK_EVERY_MS);
        try {
          for await (const batch of batchesOf(decoded, BATCH)) {
            if (this.stopped) break;
            const answer = (await this.apply(this.p, this.seen, this.settings.retentionMs, ...batch.map((m) => JSON.stringify(m)))) as Answer;
            if (answer === LOST) {
              this.lost(messages);
              break;
            }
            this.deliver(batch, answer[1]);
            const dead = answer[2];
            for (let i = 0; i < dead.length; i += 3) {
              this.logger.error(`dead letter: ${dead[i + 1]} at ${STREAM.name} sequence ${dead[i]} cannot be applied to the notifications, skipped: ${dead[i + 2]}`);
            }
            this.advance(batch.at(-1)?.seq ?? this.seen);
          }
        } finally {
          clearInterval(watch);
          void messages.close();
        }
      } catch (error) {
        if (this.stopped) break;
        this.logger.error(`notification projection interrupted, resuming from its checkpoint: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /**
   * Publishes live the notifications this replica's script stored new (so each goes out once),
   * except those a rebuild re-applies: their subscribers had them when they were new.
   */
  private deliver(batch: ScriptMessage[], fresh: number[]): void {
    if (fresh.length === 0) return;
    const bySeq = new Map(batch.map((m) => [m.seq, m]));
    for (let i = 0; i < fresh.length; i += 2) {
      const [streamSeq, seq] = [Number(fresh[i]), Number(fresh[i + 1])];
      const m = bySeq.get(streamSeq);
      if (streamSeq <= this.rebuildUntil || m?.type !== 'stored') continue;
      const notification = JSON.parse(m.doc) as NewNotification;
      this.nc.publish(notificationLiveSubject(m.org), this.codec.encode({ seq, notification: { ...notification, status: 'unread' } }));
    }
  }
}
