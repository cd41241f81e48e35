import { createInbox, NatsError, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from 'nats';

interface Waiting {
  resolve(reply: Msg): void;
  reject(error: Error): void;
  deadline: number;
}

const SWEEP_MS = 100;

/**
 * Many requests awaited at once for the cost of one: a single reply subscription and a single
 * timer for every deadline, where a nats.js request sets up a subscription entry, a timer and
 * three stack traces (`Error` objects) each. Hot paths (event store appends, the relay's
 * publishes, consumer acks) send thousands a second.
 */
export class ReplyInbox {
  private readonly prefix = `${createInbox()}.`;
  private readonly waiting = new Map<string, Waiting>();
  private subscription?: Subscription;
  private queued: Array<{ subject: string; payload: Uint8Array; headers?: MsgHdrs; waiting: Waiting }> = [];
  private sending?: NodeJS.Immediate;
  private sweeper?: NodeJS.Timeout;
  private next = 0;

  constructor(private readonly nc: NatsConnection) {}

  /**
   * Publishes with a reply subject of this inbox; the reply, or `TIMEOUT` after `timeoutMs`.
   * Requests made in one turn of the event loop leave together, in one socket write.
   */
  request(subject: string, payload: Uint8Array, { headers, timeoutMs }: { headers?: MsgHdrs; timeoutMs: number }): Promise<Msg> {
    this.subscription ??= this.nc.subscribe(`${this.prefix}*`, { callback: (error, reply) => this.answer(error, reply) });
    return new Promise<Msg>((resolve, reject) => {
      this.queued.push({ subject, payload, headers, waiting: { resolve, reject, deadline: Date.now() + timeoutMs } });
      this.sending ??= setImmediate(() => this.send());
    });
  }

  /** Fails what is still awaited and stops listening; the connection belongs to the caller. */
  close(): void {
    if (this.sending) clearImmediate(this.sending);
    this.sending = undefined;
    for (const { waiting } of this.queued.splice(0)) waiting.reject(new NatsError('closed', 'CONNECTION_CLOSED'));
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.sweep(Number.POSITIVE_INFINITY, () => new NatsError('closed', 'CONNECTION_CLOSED'));
  }

  private send(): void {
    this.sending = undefined;
    for (const { subject, payload, headers, waiting } of this.queued.splice(0)) {
      const token = (++this.next).toString(36);
      try {
        this.nc.publish(subject, payload, { reply: this.prefix + token, headers });
      } catch (error) {
        waiting.reject(error as Error);
        continue;
      }
      this.waiting.set(token, waiting);
    }
    if (this.waiting.size > 0) this.sweeper ??= setInterval(() => this.sweep(Date.now()), SWEEP_MS).unref();
  }

  private answer(error: NatsError | null, reply: Msg): void {
    if (error) return;
    const token = reply.subject.slice(this.prefix.length);
    const waiting = this.waiting.get(token);
    if (!waiting) return; // late: it timed out already
    this.waiting.delete(token);
    this.stopSweeperIfIdle();
    waiting.resolve(reply);
  }

  private sweep(now: number, failure = () => new NatsError('TIMEOUT', 'TIMEOUT')): void {
    for (const [token, waiting] of this.waiting) {
      if (waiting.deadline > now) continue;
      this.waiting.delete(token);
      waiting.reject(failure());
    }
    this.stopSweeperIfIdle();
  }

  private stopSweeperIfIdle(): void {
    if (this.waiting.size > 0 || !this.sweeper) return;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
