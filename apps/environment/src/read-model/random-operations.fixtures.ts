import { headers as natsHeaders, type JetStreamClient } from 'nats';
import { connectionEventSubject, HEADERS, ReplyError, SCHEMA_VERSION, type ConnectionEvent, type IntegrationEvent, type Status } from '@clp/contracts';
import { environmentDecider, workspaceDecider, type CommandMetadata, type EnvironmentCommand, type WorkspaceCommand } from '@clp/environments';
import { environmentStream, workspaceStream, type StreamCommands } from '../shell/stream-commands';

export const ORGANIZATIONS = ['org-r0', 'org-r1'];
const STATUSES: Status[] = ['registered', 'connected', 'maintenance', 'disconnected', 'ignored'];

/** mulberry32: a seeded PRNG, so that a failing run can be replayed with its seed. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

interface Known {
  id: string;
  org: string;
}

/**
 * Random commands on environments and workspaces through the service's command shell, and random
 * connection events published on CONNECTION_EVENTS as the registry's relay would: what the read
 * model is built from, in every combination the projections must handle.
 */
export class RandomOperations {
  readonly tally = { changed: 0, unchanged: 0, refused: 0, connectionEvents: 0 };
  private readonly random: () => number;
  private readonly environments: Known[] = [];
  private readonly workspaces: Known[] = [];
  private readonly connections: Array<Known & { status: Status | 'deleted'; name: string }> = [];
  private step = 0;

  constructor(
    private readonly commands: StreamCommands,
    private readonly js: JetStreamClient,
    seed: number,
  ) {
    this.random = prng(seed);
  }

  async run(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await this.one();
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  private uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.random() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }

  private metadata(): CommandMetadata {
    return { command_id: this.uuid(), now: new Date(Date.UTC(2026, 0, 1) + this.step * 1000).toISOString(), actor: { type: 'user', id: 'random' } };
  }

  private async one(): Promise<void> {
    this.step++;
    const r = this.random();
    if (r < 0.3 || this.connections.length < 5) return this.connectionEvent();
    if (r < 0.4 || this.environments.length < 3) return this.createEnvironment();
    if (r < 0.75) return this.environmentCommand();
    if (r < 0.8 || this.workspaces.length < 2) return this.createWorkspace();
    return this.workspaceCommand();
  }

  private async createEnvironment() {
    const id = this.uuid();
    const org = this.pick(ORGANIZATIONS);
    this.environments.push({ id, org });
    const data = { environment_id: id, organization_id: org, name: `env-${this.step}`, description: this.pick(['', 'the live ones', 'Staging']), owner: 'random', tags: this.random() < 0.5 ? [] : ['a', 'b'], metadata: this.random() < 0.5 ? {} : { region: 'eu', zones: [] } };
    await this.environment(id, { type: 'CreateEnvironment', data, metadata: this.metadata() });
  }

  private async environmentCommand() {
    const env = this.pick(this.environments);
    const r = this.random();
    const metadata = this.metadata();
    const sameOrg = this.connections.filter((c) => c.org === env.org);
    let command: EnvironmentCommand;
    if (r < 0.4 && sameOrg.length) command = { type: 'AssignConnection', data: { connection_id: this.pick(sameOrg).id }, metadata };
    else if (r < 0.55 && sameOrg.length) command = { type: 'UnassignConnection', data: { connection_id: this.pick(sameOrg).id, reason: 'removed' }, metadata };
    else if (r < 0.8) command = { type: 'UpdateEnvironment', data: { name: `env-${this.step}-renamed`, ...(this.random() < 0.5 ? { tags: [] } : { description: 'Changed' }) }, metadata };
    else if (r < 0.9) command = { type: 'UpdateEnvironment', data: { status: this.pick(['active', 'archived'] as const) }, metadata };
    else if (r < 0.95) command = { type: 'DeleteEnvironment', data: {}, metadata };
    // Soft deletion: recovered within the retention, or purged with none.
    else if (r < 0.98) command = { type: 'RecoverEnvironment', data: { retention_ms: 86_400_000 }, metadata };
    else command = { type: 'PurgeEnvironment', data: { retention_ms: 0 }, metadata };
    await this.environment(env.id, command);
  }

  private async createWorkspace() {
    const id = this.uuid();
    const org = this.pick(ORGANIZATIONS);
    this.workspaces.push({ id, org });
    await this.workspace(id, { type: 'CreateWorkspace', data: { workspace_id: id, organization_id: org, name: `ws-${this.step}`, description: '', owner: 'random', metadata: this.random() < 0.5 ? {} : { team: `t-${this.step}` } }, metadata: this.metadata() });
  }

  private async workspaceCommand() {
    const ws = this.pick(this.workspaces);
    const r = this.random();
    const metadata = this.metadata();
    const envs = this.environments.filter((e) => e.org === ws.org);
    let command: WorkspaceCommand;
    if (r < 0.5 && envs.length) command = { type: 'LinkEnvironment', data: { environment_id: this.pick(envs).id }, metadata };
    else if (r < 0.7 && envs.length) command = { type: 'UnlinkEnvironment', data: { environment_id: this.pick(envs).id }, metadata };
    else if (r < 0.95) command = { type: 'UpdateWorkspace', data: { name: `ws-${this.step}`, description: this.pick(['', 'Ops']), ...(this.random() < 0.3 ? { metadata: { team: `t-${this.step}` } } : {}) }, metadata };
    else command = { type: 'DeleteWorkspace', data: {}, metadata };
    await this.workspace(ws.id, command);
  }

  private async environment(id: string, command: EnvironmentCommand) {
    await this.count(() => this.commands.execute(environmentDecider, environmentStream(id), command));
  }

  private async workspace(id: string, command: WorkspaceCommand) {
    await this.count(() => this.commands.execute(workspaceDecider, workspaceStream(id), command));
  }

  private async count(run: () => Promise<{ events: unknown[] }>) {
    try {
      this.tally[(await run()).events.length > 0 ? 'changed' : 'unchanged']++;
    } catch (error) {
      if (!(error instanceof ReplyError)) throw error;
      this.tally.refused++;
    }
  }

  /** A connection event as the registry's relay publishes it. */
  private async connectionEvent() {
    const live = this.connections.filter((c) => c.status !== 'deleted');
    const r = this.random();
    let event: ConnectionEvent;
    if (r < 0.35 || live.length < 3) {
      const c = { id: this.uuid(), org: this.pick(ORGANIZATIONS), status: 'registered' as Status, name: `conn-${this.step}` };
      this.connections.push(c);
      const descriptor = { connection_id: c.id, organization_id: c.org, kind: 'prometheus', type: 'observability', sub_type: 'monitoring', name: c.name, fingerprint: c.id, identity: {}, metadata: { url: `http://${c.name}:9090`, labels: [] }, credential_id: null };
      event = { type: 'ConnectionRegistered', data: { ...descriptor, status: 'registered' } };
    } else {
      const c = this.pick(live);
      const base = { connection_id: c.id, organization_id: c.org, kind: 'prometheus' };
      if (r < 0.7) {
        const to = this.pick(STATUSES);
        event = { type: 'StatusChanged', data: { ...base, name: c.name, from: c.status as Status, to, cause: 'user', actor: 'random', reason: '' } };
        c.status = to;
      } else if (r < 0.9) {
        c.name = `conn-${this.step}-renamed`;
        event = { type: 'ConnectionUpdated', data: { ...base, changes: { name: c.name, metadata: { url: `http://${c.name}:9091` } } } };
      } else {
        c.status = 'deleted';
        event = { type: 'ConnectionDeleted', data: { ...base, fingerprint: c.id } };
      }
    }
    const id = this.uuid();
    const integration: IntegrationEvent<ConnectionEvent> = {
      ...event,
      metadata: { event_id: id, occurred_at: this.metadata().now, correlation_id: id, causation_id: null, actor: { type: 'user', id: 'random' }, schema_version: SCHEMA_VERSION },
      stream: `connection-${event.data.connection_id}`,
      revision: String(this.step),
    };
    const headers = natsHeaders();
    headers.set(HEADERS.messageId, id);
    await this.js.publish(connectionEventSubject('prometheus', event.type), JSON.stringify(integration), { headers });
    this.tally.connectionEvents++;
  }
}
