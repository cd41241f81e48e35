import { createInbox, NatsError, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from 'nats';
import { busLink, RESUBSCRIBE_GRACE_MS, type BusLink } from './reconnect';

interface Waiting {
  subject: string;
  payload: Uint8Array;
  headers?: MsgHdrs;
  resolve(reply: Msg): void;
  reject(error: Error): void;
  deadline: number;
}

const SWEEP_MS = 100;
const RETRY_MS = 50;

const isNoResponders = (reply: Msg): boolean => reply.data.length === 0 && reply.headers?.code === 503;

/**
 * Many requests awaited at once for the cost of one: a single reply subscription and a single
 * timer for every deadline, where a nats.js request sets up a subscription entry, a timer and
 * three stack traces (`Error` objects) each. Hot paths (event store appends, the relay's
 * publishes, consumer acks) send thousands a second.
 *
 * Across a NATS outage: a request made while disconnected is held and sent on reconnect (nats.js
 * would drop it), failing with `DISCONNECT` if its deadline comes first; a "no responders" answer
 * just after a reconnect is asked again until the responder has re-subscribed.
 */
export class ReplyInbox {
  private readonly prefix = `${createInbox()}.`;
  private readonly waiting = new Map<string, Waiting>();
  private readonly link: BusLink;
  private readonly stopListening: () => void;
  private subscription?: Subscription;
  private queued: Waiting[] = [];
  private held: Waiting[] = [];
  private sending?: NodeJS.Immediate;
  private sweeper?: NodeJS.Timeout;
  private readonly retrying = new Map<NodeJS.Timeout, Waiting>();
  private next = 0;

  constructor(private readonly nc: NatsConnection) {
    this.link = busLink(nc);
    this.stopListening = this.link.onReconnect(() => this.enqueue(...this.held.splice(0)));
  }

  /**
   * Publishes with a reply subject of this inbox; the reply, or `TIMEOUT` after `timeoutMs`.
   * Requests made in one turn of the event loop leave together, in one socket write.
   */
  request(subject: string, payload: Uint8Array, { headers, timeoutMs }: { headers?: MsgHdrs; timeoutMs: number }): Promise<Msg> {
    this.subscription ??= this.nc.subscribe(`${this.prefix}*`, { callback: (error, reply) => this.answer(error, reply) });
    return new Promise<Msg>((resolve, reject) => this.enqueue({ subject, payload, headers, resolve, reject, deadline: Date.now() + timeoutMs }));
  }

  /** Fails what is still awaited and stops listening; the connection belongs to the caller. */
  close(): void {
    this.stopListening();
    if (this.sending) clearImmediate(this.sending);
    this.sending = undefined;
    this.retrying.forEach((_, retry) => clearTimeout(retry));
    const pending = [...this.queued.splice(0), ...this.held.splice(0), ...this.retrying.values()];
    this.retrying.clear();
    for (const waiting of pending) waiting.reject(new NatsError('closed', 'CONNECTION_CLOSED'));
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.sweep(Number.POSITIVE_INFINITY, () => new NatsError('closed', 'CONNECTION_CLOSED'));
  }

  private enqueue(...requests: Waiting[]): void {
    if (requests.length === 0) return;
    this.queued.push(...requests);
    this.sending ??= setImmediate(() => this.send());
  }

  private send(): void {
    this.sending = undefined;
    const batch = this.queued.splice(0);
    if (!this.link.connected) {
      this.held.push(...batch);
      this.startSweeper();
      return;
    }
    for (const waiting of batch) {
      const token = (++this.next).toString(36);
      try {
        this.nc.publish(waiting.subject, waiting.payload, { reply: this.prefix + token, headers: waiting.headers });
      } catch (error) {
        waiting.reject(error as Error);
        continue;
      }
      this.waiting.set(token, waiting);
    }
    this.startSweeper();
  }

  private answer(error: NatsError | null, reply: Msg): void {
    if (error) return;
    const token = reply.subject.slice(this.prefix.length);
    const waiting = this.waiting.get(token);
    if (!waiting) return; // late: it timed out already
    this.waiting.delete(token);
    this.stopSweeperIfIdle();
    const now = Date.now();
    // Nobody had re-subscribed yet: a request can only have reached no one, so asking again is safe.
    if (isNoResponders(reply) && now < this.link.reconnectedAt + RESUBSCRIBE_GRACE_MS && now + RETRY_MS < waiting.deadline) {
      const retry = setTimeout(() => {
        this.retrying.delete(retry);
        this.enqueue(waiting);
      }, RETRY_MS);
      this.retrying.set(retry, waiting);
      return;
    }
    waiting.resolve(reply);
  }

  private startSweeper(): void {
    if (this.waiting.size > 0 || this.held.length > 0) this.sweeper ??= setInterval(() => this.sweep(Date.now()), SWEEP_MS).unref();
  }

  private sweep(now: number, failure = () => new NatsError('TIMEOUT', 'TIMEOUT')): void {
    for (const [token, waiting] of this.waiting) {
      if (waiting.deadline > now) continue;
      this.waiting.delete(token);
      waiting.reject(failure());
    }
    const expired = this.held.filter((waiting) => waiting.deadline <= now);
    if (expired.length > 0) {
      this.held = this.held.filter((waiting) => waiting.deadline > now);
      // Never sent: the bus was not there, which the caller should hear rather than a timeout.
      expired.forEach((waiting) => waiting.reject(new NatsError('disconnected', 'DISCONNECT')));
    }
    this.stopSweeperIfIdle();
  }

  private stopSweeperIfIdle(): void {
    if (this.waiting.size > 0 || this.held.length > 0 || !this.sweeper) return;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
