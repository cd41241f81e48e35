import type { ServerResponse } from 'node:http';
import type { FeedEntry } from '@clp/contracts';

/** One server-sent event per notification; the id is its place in the organization's feed. */
export const sseFrame = (entry: FeedEntry): string => `id: ${entry.seq}\ndata: ${JSON.stringify(entry.notification)}\n\n`;

/**
 * One client's server-sent events stream. Notifications are queued and written in one chunk per
 * turn of the event loop; while the socket is full the queue waits for `drain`, and a client
 * that lets more than `maxBuffered` notifications pile up is disconnected (it resumes with
 * Last-Event-ID), so it never holds back the others or the gateway's memory.
 */
export class LiveSubscriber {
  /** The highest seq written (or skipped as known to the client). */
  last: number;
  private replaying: boolean;
  private pending: FeedEntry[] = [];
  private queue: string[] = [];
  private flushScheduled = false;
  private waitingForDrain = false;
  private drainWaiters: Array<() => void> = [];
  closed = false;

  constructor(
    private readonly raw: ServerResponse,
    private readonly maxBuffered: number,
    last: number,
    replaying: boolean,
    private readonly onClose: () => void,
  ) {
    this.last = last;
    this.replaying = replaying;
    raw.once('close', () => this.close());
  }

  /** A notification of the organization's ordered feed; held back while the client catches up. */
  deliver(entry: FeedEntry): void {
    if (this.closed) return;
    if (this.replaying) {
      this.pending.push(entry);
      if (this.pending.length > this.maxBuffered) this.close();
      return;
    }
    this.write(entry);
  }

  /** A notification of the catch-up, or of the feed once caught up: written once, in order. */
  write(entry: FeedEntry): void {
    if (this.closed || entry.seq <= this.last) return;
    this.last = entry.seq;
    this.enqueue(sseFrame(entry));
  }

  /** Caught up: the feed's notifications held back meanwhile follow, those already written skipped. */
  caughtUp(): void {
    this.replaying = false;
    const pending = this.pending;
    this.pending = [];
    for (const entry of pending) this.write(entry);
  }

  comment(text: string): void {
    if (!this.closed) this.enqueue(`: ${text}\n\n`);
  }

  /** Resolves once everything queued is handed to the socket (a catch-up reads its next page then). */
  drained(): Promise<void> {
    if (this.closed || (this.queue.length === 0 && !this.waitingForDrain)) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.pending = [];
    if (!this.raw.writableEnded) this.raw.end();
    this.drainWaiters.splice(0).forEach((resolve) => resolve());
    this.onClose();
  }

  private enqueue(frame: string): void {
    this.queue.push(frame);
    if (this.queue.length > this.maxBuffered) return this.close();
    if (!this.flushScheduled && !this.waitingForDrain) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.closed || this.waitingForDrain) return;
    if (this.queue.length > 0) {
      const chunk = this.queue.join('');
      this.queue = [];
      if (!this.raw.write(chunk)) {
        this.waitingForDrain = true;
        this.raw.once('drain', () => {
          this.waitingForDrain = false;
          this.flush();
        });
        return;
      }
    }
    this.drainWaiters.splice(0).forEach((resolve) => resolve());
  }
}
