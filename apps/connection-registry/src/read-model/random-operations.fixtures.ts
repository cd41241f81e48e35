import { ReplyError, STATUSES, type Cause, type ProbeResult, type Status } from '@clp/contracts';
import { KIND_DEFINITIONS, type KindDefinition } from '@clp/connection-definitions';
import { allowedTransitions, type ConnectionCommand } from '@clp/connection-lifecycle';
import type { ConnectionCommands } from '../connections/connection-commands';

export const ORGANIZATIONS = ['org-r0', 'org-r1', 'org-r2'];
const TEAMS = ['sre', 'data', 'web', 'ml'];

/** mulberry32: a seeded PRNG, so that a failing run can be replayed with its seed. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export interface Tally {
  changed: number;
  unchanged: number;
  refused: number;
}

interface Known {
  kind: KindDefinition;
  organization_id: string;
  name: string;
  status: Status | 'none';
}

/**
 * One worker's random commands on connections only it touches: with its own PRNG, the history of
 * each connection is the same on every run with the same seed, however the workers interleave.
 */
export class RandomOperations {
  readonly known = new Map<string, Known>();
  readonly tally: Tally = { changed: 0, unchanged: 0, refused: 0 };
  private readonly random: () => number;
  private step = 0;

  constructor(
    private readonly commands: ConnectionCommands,
    private readonly worker: number,
    seed: number,
  ) {
    this.random = prng(seed * 1009 + worker);
  }

  /** Runs `count` operations, or until `stop()` answers true. */
  async run(count: number, stop: () => boolean = () => false): Promise<void> {
    for (let i = 0; i < count && !stop(); i++) await this.one();
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  private uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.random() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }

  private probe(ok: boolean): ProbeResult {
    return { ok, checked_at: '2026-01-01T00:00:00.000Z', latency_ms: 1, check: 'GET /', ...(ok ? {} : { error: 'refused' }) };
  }

  private async one(): Promise<void> {
    this.step++;
    const cause: Cause = this.random() < 0.7 ? 'user' : 'system';
    // A clock of its own per worker: whole seconds apart, and never the same instant as another worker.
    const metadata = { command_id: this.uuid(), now: new Date(Date.UTC(2026, 0, 1) + this.step * 1000 + this.worker).toISOString(), actor: { type: cause, id: `w${this.worker}` } };
    const ids = [...this.known.keys()];
    const r = ids.length < 20 ? 0 : this.random();
    if (r < 0.2) return this.create(metadata);
    const id = this.pick(ids);
    const known = this.known.get(id)!;
    let command: ConnectionCommand;
    if (r < 0.25) {
      command = { type: 'DiscoverConnection', data: { ...this.descriptor(id, known), source: 'again' }, metadata };
    } else if (r < 0.7) {
      const ok = this.random() < 0.85;
      // Half the time a target the table allows from the status the worker last saw, so that
      // connections travel far; otherwise any status, mostly refused.
      const allowed = known.status === 'none' ? [] : allowedTransitions(known.status, cause, { auto_connect: known.kind.auto_connect });
      const to = allowed.length > 0 && this.random() < 0.5 ? this.pick(allowed) : this.pick(STATUSES);
      const data = { to, reason: 'random', auto_connect: known.kind.auto_connect, probe: this.probe(ok), skip_connectivity_test: this.random() < 0.1 };
      command = { type: 'RequestTransition', data, metadata };
    } else if (r < 0.9) {
      const name = this.random() < 0.6 ? `${known.kind.kind}-w${this.worker}-u${this.step}` : known.name;
      const data = { name, ...(this.random() < 0.5 ? { metadata: { team: this.pick(TEAMS) } } : {}), ...(this.random() < 0.1 ? { credential_id: this.uuid() } : {}) };
      command = { type: 'UpdateConnection', data, metadata };
    } else {
      command = { type: 'DeleteConnection', data: { reason: 'random' }, metadata };
    }
    await this.execute(id, command, known);
  }

  private descriptor(id: string, known: Known) {
    const url = `http://${id.slice(0, 8)}.example:9090`;
    return {
      connection_id: id,
      organization_id: known.organization_id,
      kind: known.kind.kind,
      type: known.kind.type,
      sub_type: known.kind.sub_type,
      name: known.name,
      fingerprint: id.replace(/-/g, ''),
      identity: { url },
      metadata: { url, team: this.pick(TEAMS) },
      credential_id: null,
    };
  }

  private async create(metadata: Extract<ConnectionCommand, { type: 'DiscoverConnection' }>['metadata']): Promise<void> {
    const id = this.uuid();
    const kind = this.pick(KIND_DEFINITIONS);
    const known: Known = { kind, organization_id: this.pick(ORGANIZATIONS), name: `${kind.kind}-w${this.worker}-c${this.step}`, status: 'none' };
    this.known.set(id, known);
    const descriptor = this.descriptor(id, known);
    const command: ConnectionCommand =
      this.random() < 0.5
        ? { type: 'DiscoverConnection', data: { ...descriptor, source: 'random' }, metadata }
        : { type: 'RegisterConnection', data: { ...descriptor, auto_connect: kind.auto_connect, probe: this.probe(this.random() < 0.8) }, metadata };
    await this.execute(id, command, known);
  }

  private async execute(id: string, command: ConnectionCommand, known: Known): Promise<void> {
    try {
      const result = await this.commands.execute(id, command);
      this.tally[result.changed ? 'changed' : 'unchanged']++;
      known.status = result.state.status;
      if (result.state.status !== 'none') known.name = result.state.name;
    } catch (error) {
      if (!(error instanceof ReplyError)) throw error;
      this.tally.refused++;
    }
  }
}

/** The status counts of each organization that the operations should have left in the read model. */
export const expectedSummaries = (workers: RandomOperations[]): Record<string, Partial<Record<Status, number>>> => {
  const summaries: Record<string, Partial<Record<Status, number>>> = Object.fromEntries(ORGANIZATIONS.map((org) => [org, {}]));
  for (const { known } of workers) {
    for (const { organization_id, status } of known.values()) {
      if (status === 'none' || status === 'deleted') continue;
      const summary = summaries[organization_id];
      summary[status] = (summary[status] ?? 0) + 1;
    }
  }
  return summaries;
};
