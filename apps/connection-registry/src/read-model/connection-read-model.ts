import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import type { AssignedEnvironment, ConnectionPage, ConnectionsStatusPage, ConnectionView, CredentialDescriptor, CredentialView, Status } from '@clp/contracts';
import { KIND_DEFINITIONS } from '@clp/connection-definitions';
import type { Checkpoint, RecordedEvent } from '@clp/event-store';
import { RawJson } from '@clp/messaging';
import { credentialViewOf } from '../credentials/credential-view';
import { luaScript, type LuaScript } from './lua-script';

export const REDIS = Symbol('REDIS');
/**
 * The read model's key prefix, `<namespace><version>:` (`registry:v1:`): versions live under the
 * namespace, with the pointer `<namespace>active` naming the one in use; until a rebuild sets the
 * pointer, the active version is the one this prefix names (`v1` when it names none).
 */
export const READ_MODEL_PREFIX = Symbol('READ_MODEL_PREFIX');

export const script = (name: string) => readFileSync(join(__dirname, name), 'utf8');
const APPLY = script('apply-events.lua');
const LIST = script('list-connections.lua');
// The active version and its checkpoint, read together so they cannot disagree.
const POSITION = `local v = redis.call('GET', ARGV[1] .. 'active') or ARGV[2]
return { v, redis.call('GET', ARGV[1] .. v .. ':checkpoint') or '' }`;
const CREDENTIALS = `local v = redis.call('GET', ARGV[1] .. 'active') or ARGV[2]
return redis.call('HVALS', ARGV[1] .. v .. ':org:' .. ARGV[3] .. ':credentials')`;
// A document with the environments of its connection (environment-memberships.ts) added last.
const SUMMARY = `local v = redis.call('GET', ARGV[1] .. 'active') or ARGV[2]
return redis.call('HGETALL', ARGV[1] .. v .. ':org:' .. ARGV[3] .. ':summary')`;
const GET = `local v = redis.call('GET', ARGV[1] .. 'active') or ARGV[2]
local doc = redis.call('GET', ARGV[1] .. v .. ':conn:' .. ARGV[3])
if not doc then return nil end
local environments = redis.call('GET', ARGV[1] .. 'environments:view:' .. ARGV[3]) or '[]'
return string.sub(doc, 1, -2) .. ',"environments":' .. environments .. '}'`;

const PAGE_OPEN = Buffer.from('{"connections":[');
const COMMA = Buffer.from(',');

/** The result of `apply` when the version is not in the role the writer assumed (see apply-events.lua). */
export const REFUSED = -1;
/** The result of `apply` when the checkpoint the writer had is gone: Redis was emptied. */
export const LOST = -2;

export const parseReadModelPrefix = (prefix: string): { namespace: string; initialVersion: string } => {
  const match = /^(.*?)(v\d+):$/.exec(prefix);
  return match ? { namespace: match[1], initialVersion: match[2] } : { namespace: prefix, initialVersion: 'v1' };
};

export interface ListCriteria {
  page: number;
  pagesize: number;
  order: 'updated' | 'created' | 'name';
  direction: 'asc' | 'desc';
  status?: string[];
  kind?: string[];
  type?: string[];
  tags?: string[];
  search?: string;
  name?: string;
}

/**
 * The kinds a list may hold: a kind has one type, so a type filter is the set of its kinds.
 * Undefined: any kind; empty: none (the filters exclude each other).
 */
const kindsFor = (kinds: string[] | undefined, types: string[] | undefined): string[] | undefined => {
  if (!types?.length) return kinds?.length ? kinds : undefined;
  const ofTypes = KIND_DEFINITIONS.filter((definition) => types.includes(definition.type)).map((definition) => definition.kind);
  return kinds?.length ? kinds.filter((kind) => ofTypes.includes(kind)) : ofTypes;
};

/** The registry's Redis read model (design.md §5): written only by projections, read by queries. */
@Injectable()
export class ConnectionReadModel {
  private readonly logger = new Logger(ConnectionReadModel.name);
  readonly namespace: string;
  readonly initialVersion: string;
  private readonly scripts: Record<'apply' | 'list' | 'position' | 'credentials' | 'get' | 'summary', LuaScript>;

  constructor(@Inject(REDIS) private readonly redis: Redis, @Inject(READ_MODEL_PREFIX) prefix: string) {
    ({ namespace: this.namespace, initialVersion: this.initialVersion } = parseReadModelPrefix(prefix));
    this.scripts = {
      apply: luaScript(redis, 'registryApplyEvents', APPLY),
      list: luaScript(redis, 'registryListConnections', LIST, 'bytes'),
      position: luaScript(redis, 'registryPosition', POSITION),
      credentials: luaScript(redis, 'registryCredentials', CREDENTIALS),
      get: luaScript(redis, 'registryGetConnection', GET),
      summary: luaScript(redis, 'registryStatusSummary', SUMMARY),
    };
  }

  prefixOf(version: string): string {
    return `${this.namespace}${version}:`;
  }

  /** Whether `version` still has its checkpoint (Redis may have been emptied under it). */
  async hasCheckpoint(version: string): Promise<boolean> {
    return (await this.redis.exists(`${this.prefixOf(version)}checkpoint`)) === 1;
  }

  /** The active version and the checkpoint it has reached (absent when it holds nothing yet). */
  async position(): Promise<{ version: string; checkpoint?: Checkpoint }> {
    const [version, checkpoint] = (await this.scripts.position(this.namespace, this.initialVersion)) as [string, string];
    return { version, checkpoint: checkpoint || undefined };
  }

  /**
   * Applies a batch and its checkpoint to `version` in one script: a crash never applies half of
   * it. `live` writes only while the version is active, `rebuild` only while it is not; otherwise
   * nothing is written and the answer is REFUSED. `after`: the checkpoint the writer applied last
   * (or started from); when the version no longer has one, nothing is written and the answer is LOST.
   */
  async apply(events: RecordedEvent[], version: string, role: 'live' | 'rebuild' = 'live', after: Checkpoint = ''): Promise<number> {
    if (events.length === 0) return 0;
    const encoded = events.flatMap((e) => [
      e.position,
      e.type,
      e.stream,
      JSON.stringify({
        type: e.type,
        data: e.data,
        occurred_at: e.metadata.occurred_at,
        at_ms: Date.parse(e.metadata.occurred_at),
        user_id: e.metadata.actor.type === 'user' ? e.metadata.actor.id : undefined,
      }),
    ]);
    const result = (await this.scripts.apply(this.namespace, this.initialVersion, version, role, after, ...encoded)) as number | [number, ...string[]];
    if (!Array.isArray(result)) return result;
    const [passed, ...dead] = result;
    for (let i = 0; i < dead.length; i += 4) {
      this.logger.error(`dead letter: ${dead[i + 1]} at ${dead[i]} of ${dead[i + 2]} cannot be applied to ${version}, skipped: ${dead[i + 3]}`);
    }
    return passed;
  }

  /**
   * The events the active version could not apply and skipped (apply-events.lua), with the
   * messages the environment memberships skipped (apply-environment-events.lua), for readiness.
   */
  async deadLetters(): Promise<number> {
    const { version } = await this.position();
    const [connections, memberships] = await Promise.all([
      this.redis.hlen(`${this.prefixOf(version)}dead-letters`),
      this.redis.hlen(`${this.namespace}environments:dead-letters`),
    ]);
    return connections + memberships;
  }

  /** The environments a connection is assigned to, as its document shows them (environment-memberships.ts). */
  async environmentsOf(connectionId: string): Promise<AssignedEnvironment[]> {
    const raw = await this.redis.get(`${this.namespace}environments:view:${connectionId}`);
    return raw ? (JSON.parse(raw) as AssignedEnvironment[]) : [];
  }

  async get(organizationId: string, connectionId: string): Promise<ConnectionView | undefined> {
    const raw = (await this.scripts.get(this.namespace, this.initialVersion, connectionId)) as string | null;
    const view = raw ? (JSON.parse(raw) as ConnectionView) : undefined;
    return view?.organization_id === organizationId ? view : undefined;
  }

  /** The organization's connections per status, kept as they change (apply-events.lua): no scan. */
  async statusCounts(organizationId: string): Promise<ConnectionsStatusPage> {
    const flat = (await this.scripts.summary(this.namespace, this.initialVersion, organizationId)) as string[];
    const connections_status: ConnectionsStatusPage['connections_status'] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const count = Number(flat[i + 1]);
      if (count > 0) connections_status.push({ status: flat[i] as Status, count });
    }
    return { connections_status: connections_status.sort((a, b) => a.status.localeCompare(b.status)) };
  }

  /** The connections using a credential, as the projection indexes them (apply-events.lua). */
  async credentialUsers(organizationId: string, credentialId: string): Promise<string[]> {
    const { version } = await this.position();
    return this.redis.smembers(`${this.prefixOf(version)}org:${organizationId}:credential-users:${credentialId}`);
  }

  /** An organization's credentials by name (they are few: sorted here, not indexed). */
  async credentials(organizationId: string, page: number, pagesize: number) {
    const raw = (await this.scripts.credentials(this.namespace, this.initialVersion, organizationId)) as string[];
    const all = raw
      .map((r) => {
        const { created_at, updated_at, ...descriptor } = JSON.parse(r) as CredentialDescriptor & Pick<CredentialView, 'created_at' | 'updated_at'>;
        return credentialViewOf(descriptor, created_at, updated_at);
      })
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return { credentials: all.slice(page * pagesize, (page + 1) * pagesize), page, page_size: pagesize, total_count: all.length };
  }

  /**
   * A page, serialized: the documents are stored as the API shows them (apply-events.lua), so
   * they are read as bytes and passed on as they are, never decoded and encoded again. (Joining
   * them in Lua instead costs Redis more than the bytes cost here.)
   */
  async list(organizationId: string, criteria: ListCriteria): Promise<RawJson<ConnectionPage>> {
    const kinds = kindsFor(criteria.kind, criteria.type);
    const query = {
      status: criteria.status ?? [],
      kind: kinds ?? [],
      tags: criteria.tags ?? [],
      none: kinds?.length === 0,
      order: criteria.order,
      direction: criteria.direction,
      offset: criteria.page * criteria.pagesize,
      limit: criteria.pagesize,
      search: criteria.search?.toLowerCase() ?? '',
      name: criteria.name?.toLowerCase() ?? '',
    };
    const [total, docs, summary] = (await this.scripts.list(this.namespace, this.initialVersion, organizationId, JSON.stringify(query))) as [
      number,
      Array<Buffer | null>,
      Buffer[],
    ];
    const status_summary: Partial<Record<Status, number>> = {};
    for (let i = 0; i < summary.length; i += 2) {
      const count = Number(summary[i + 1]);
      if (count > 0) status_summary[summary[i].toString() as Status] = count;
    }
    const parts: Buffer[] = [PAGE_OPEN];
    for (const doc of docs) {
      if (!doc) continue;
      if (parts.length > 1) parts.push(COMMA);
      parts.push(doc);
    }
    parts.push(Buffer.from(`],"page":${criteria.page},"page_size":${criteria.pagesize},"total_count":${total},"status_summary":${JSON.stringify(status_summary)}}`));
    return new RawJson(Buffer.concat(parts));
  }
}
