import type { ConnectionEvent, ProbeResult, Status } from '@clp/contracts';
import { definitionOf } from '@clp/connection-definitions';
import { DueQueue } from './due-queue';
import { afterProbe, isProbed, NO_STREAK, type HealthFacts, type Hysteresis, type ProbeStreak } from './health-rules';
import type { ConnectivityProber, MonitorLogger, ProbeObservation, TransitionOutcome, TransitionRequester } from './ports';
import { nextProbeAt, ownerOf, type ProbeSchedule } from './schedule';
import { evolveWatched, type WatchedConnection } from './watched-connection';

export interface HealthMonitorSettings extends ProbeSchedule, Hysteresis {
  concurrency: number;
}

interface Entry {
  watched: WatchedConnection;
  streak: ProbeStreak;
  owned: boolean;
  /** The token of its current entry in the due queue; undefined when it has none. */
  token?: number;
  /** Waiting for, or in, a probe: one at a time per connection. */
  busy: boolean;
}

const factsOf = (watched: WatchedConnection): HealthFacts => ({
  status: watched.status,
  disconnected_by: watched.disconnected_by,
  auto_connect: definitionOf(watched.kind)?.auto_connect ?? false,
});

/**
 * The health monitor of one replica: keeps the connections the event stream tells it about,
 * probes those it owns (rendezvous hashing over the live members) at their place in each cycle,
 * at most `concurrency` at a time, and requests the system transitions the probes call for.
 * Knows nothing of NATS: the feed, the membership and the ports are given.
 */
export class HealthMonitor {
  private readonly entries = new Map<string, Entry>();
  private readonly queue = new DueQueue();
  private ready: Array<{ id: string; at: number }> = [];
  private readyHead = 0;
  private running = 0;
  private tokens = 0;
  private members: string[];
  private started = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private timerAt = Infinity;
  private readonly listeners = new Set<(observation: ProbeObservation) => void>();
  private idle?: () => void;
  readonly counters = { probes: 0, failed_probes: 0, requests: 0, changed: 0, refused: 0, failed_requests: 0 };

  constructor(
    readonly member: string,
    private readonly settings: HealthMonitorSettings,
    private readonly prober: ConnectivityProber,
    private readonly transitions: TransitionRequester,
    private readonly logger: MonitorLogger,
    private readonly clock: () => number = () => Date.now(),
  ) {
    this.members = [member];
  }

  /** One event of `CONNECTION_EVENTS`, in the stream's order. */
  apply(event: ConnectionEvent): void {
    const id = event.data.connection_id;
    const entry = this.entries.get(id);
    const watched = evolveWatched(entry?.watched, event);
    if (!watched) {
      this.entries.delete(id);
      return;
    }
    if (entry) entry.watched = watched;
    else this.entries.set(id, { watched, streak: NO_STREAK, owned: ownerOf(id, this.members) === this.member, busy: false });
    this.reconsider(this.entries.get(id) as Entry);
  }

  /** The feed has replayed the stream: from now on the statuses are current, and probing starts. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.entries.forEach((entry) => this.reconsider(entry));
    this.logger.log(`watching ${this.entries.size} connections, ${this.ownedCount()} of them here (${this.members.length} members)`);
  }

  /** The live members (this one is always among them); ownership moves only when they change. */
  setMembers(members: readonly string[]): void {
    const next = [...new Set([...members, this.member])].sort();
    if (next.join('\n') === this.members.join('\n')) return;
    this.members = next;
    for (const [id, entry] of this.entries) {
      entry.owned = ownerOf(id, next) === this.member;
      if (entry.owned) this.reconsider(entry);
      else [entry.token, entry.streak] = [undefined, NO_STREAK];
    }
    this.logger.log(`members: ${next.join(', ')}; ${this.ownedCount()} of ${this.entries.size} connections probed here`);
  }

  observe(listener: (observation: ProbeObservation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops scheduling; resolves once the probes in flight have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.queue.clear();
    [this.ready, this.readyHead] = [[], 0];
    if (this.running > 0) await new Promise<void>((resolve) => (this.idle = resolve));
  }

  ownedCount(): number {
    let owned = 0;
    for (const entry of this.entries.values()) if (entry.owned && isProbed(factsOf(entry.watched))) owned++;
    return owned;
  }

  /** What the monitor currently knows of a connection. */
  watched(connectionId: string): Readonly<WatchedConnection> | undefined {
    return this.entries.get(connectionId)?.watched;
  }

  get size(): number {
    return this.entries.size;
  }

  private reconsider(entry: Entry): void {
    if (!this.started || this.stopped || !entry.owned || entry.token !== undefined) return;
    if (!isProbed(factsOf(entry.watched))) return;
    this.schedule(entry, nextProbeAt(entry.watched.connection_id, this.clock(), this.settings));
  }

  private schedule(entry: Entry, at: number): void {
    entry.token = ++this.tokens;
    this.queue.push({ at, id: entry.watched.connection_id, token: entry.token });
    this.arm();
  }

  private arm(): void {
    const next = this.queue.peek();
    if (!next || this.stopped || this.timerAt <= next.at) return;
    clearTimeout(this.timer);
    this.timerAt = next.at;
    // Rounded up: a timer that fires before the probe is due would only be set again.
    this.timer = setTimeout(() => this.fire(), Math.max(0, Math.ceil(next.at - this.clock())));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock();
    for (let due = this.queue.peek(); due && due.at <= now; due = this.queue.peek()) {
      this.queue.pop();
      const entry = this.entries.get(due.id);
      if (!entry || entry.token !== due.token) continue;
      entry.token = undefined;
      if (!entry.owned || !isProbed(factsOf(entry.watched))) continue;
      // The next place in the cycle; when behind, the next one still ahead (no catching up in a burst).
      this.schedule(entry, nextProbeAt(due.id, Math.max(due.at, now), this.settings));
      if (entry.busy) continue;
      entry.busy = true;
      this.ready.push({ id: due.id, at: due.at });
    }
    this.drain();
    this.arm();
  }

  private drain(): void {
    while (this.running < this.settings.concurrency && this.readyHead < this.ready.length && !this.stopped) {
      const { id, at } = this.ready[this.readyHead++];
      this.running++;
      void this.probe(id, at).finally(() => {
        this.running--;
        if (this.stopped && this.running === 0) this.idle?.();
        else this.drain();
      });
    }
    if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.readyHead);
      this.readyHead = 0;
    }
  }

  private async probe(id: string, due_at: number): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    try {
      if (!entry.owned || !isProbed(factsOf(entry.watched))) return;
      const started_at = this.clock();
      const probe = await this.prober.probe(entry.watched);
      if (!probe) return;
      this.counters.probes++;
      if (!probe.ok) this.counters.failed_probes++;
      const observation: ProbeObservation = { connection_id: id, member: this.member, due_at, started_at, ok: probe.ok };
      // Decided on what the stream says now: the status may have moved while the probe ran.
      const current = this.entries.get(id);
      if (current && !this.stopped) {
        const decision = afterProbe(factsOf(current.watched), current.streak, probe, this.settings);
        current.streak = decision.streak;
        if (decision.request) {
          observation.requested = decision.request.to;
          observation.outcome = await this.request(current.watched, decision.request, probe);
        }
      }
      this.listeners.forEach((listener) => listener(observation));
    } catch (error) {
      this.logger.warn(`probing ${id} failed: ${(error as Error).message}`);
    } finally {
      entry.busy = false;
    }
  }

  private async request(watched: WatchedConnection, { to, reason }: { to: Status; reason: string }, probe: ProbeResult): Promise<TransitionOutcome> {
    this.counters.requests++;
    const outcome = await this.transitions.request(watched, to, reason, probe);
    if (outcome === 'changed') this.counters.changed++;
    else if (outcome === 'refused') this.counters.refused++;
    else this.counters.failed_requests++;
    return outcome;
  }
}
