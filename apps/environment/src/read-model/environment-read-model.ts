import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { RawJson } from '@clp/messaging';
import type { Order } from '../shell/command-context';
import type { EncodedEvent } from './encode-events';
import { luaScript, script, type LuaScript } from './lua-script';

export const REDIS = Symbol('REDIS');
/**
 * The read model's key prefix, `<namespace><version>:` (`environment:v1:`): versions live under
 * the namespace, with the pointer `<namespace>active` naming the one in use.
 */
export const READ_MODEL_PREFIX = Symbol('READ_MODEL_PREFIX');

/** The two sources of the read model, each with its own checkpoint. */
export type Source = 'store' | 'connections';

// The active version and its checkpoints, read together so they cannot disagree.
const POSITION = `local v = redis.call('GET', ARGV[1] .. 'active') or ARGV[2]
return { v, redis.call('GET', ARGV[1] .. v .. ':checkpoint') or '', redis.call('GET', ARGV[1] .. v .. ':connections:checkpoint') or '' }`;
const MEMBERS = `local v = redis.call('GET', ARGV[1] .. 'active') or ARGV[2]
return redis.call('SMEMBERS', ARGV[1] .. v .. ':' .. ARGV[3])`;
const DELETED_BEFORE = `local v = redis.call('GET', ARGV[1] .. 'active') or ARGV[2]
return redis.call('ZRANGEBYSCORE', ARGV[1] .. v .. ':deleted_envs', '-inf', ARGV[3], 'LIMIT', 0, 100)`;
const IS_MEMBER = `local v = redis.call('GET', ARGV[1] .. 'active') or ARGV[2]
return redis.call('SISMEMBER', ARGV[1] .. v .. ':' .. ARGV[3], ARGV[4])`;

/** The result of `apply` when the version is not in the role the writer assumed (see apply-events.lua). */
export const REFUSED = -1;
/** The result of `apply` when the source's checkpoint the writer had is gone: Redis was emptied. */
export const LOST = -2;

export const parseReadModelPrefix = (prefix: string): { namespace: string; initialVersion: string } => {
  const match = /^(.*?)(v\d+):$/.exec(prefix);
  return match ? { namespace: match[1], initialVersion: match[2] } : { namespace: prefix, initialVersion: 'v1' };
};

export interface Position {
  version: string;
  /** The store's checkpoint (absent when the version holds none of its events yet). */
  checkpoint?: string;
  /** The sequence in CONNECTION_EVENTS reached, zero-padded (absent: none yet). */
  connections?: string;
}

export interface ListQuery {
  org: string;
  /** `denvs`: the deleted environments. */
  scope: 'envs' | 'denvs' | 'ws' | 'conns';
  /** The environment or workspace the list belongs to, which must be in `org`. */
  owner?: { key: string; org: string };
  sets?: string[];
  nested?: { key: string; prefix: string; suffix: string };
  exclude?: string;
  order: Order;
  page: number;
  pagesize: number;
  search?: string;
  /** Documents with any of these tags. */
  tags?: string[];
}

const DOC = { envs: 'env:', denvs: 'env:', ws: 'ws:', conns: 'conn:' } as const;

/** The environment service's Redis read model (design.md §5): written only by its projections, read by queries. */
@Injectable()
export class EnvironmentReadModel {
  private readonly logger = new Logger(EnvironmentReadModel.name);
  readonly namespace: string;
  readonly initialVersion: string;
  private readonly scripts: Record<'apply' | 'list' | 'position' | 'members' | 'deletedBefore' | 'isMember' | 'switch', LuaScript>;

  constructor(@Inject(REDIS) private readonly redis: Redis, @Inject(READ_MODEL_PREFIX) prefix: string) {
    ({ namespace: this.namespace, initialVersion: this.initialVersion } = parseReadModelPrefix(prefix));
    this.scripts = {
      apply: luaScript(redis, 'environmentApplyEvents', script('apply-events.lua')),
      list: luaScript(redis, 'environmentList', script('list.lua')),
      position: luaScript(redis, 'environmentPosition', POSITION),
      members: luaScript(redis, 'environmentMembers', MEMBERS),
      deletedBefore: luaScript(redis, 'environmentDeletedBefore', DELETED_BEFORE),
      isMember: luaScript(redis, 'environmentIsMember', IS_MEMBER),
      switch: luaScript(redis, 'environmentSwitchVersion', script('switch-version.lua')),
    };
  }

  prefixOf(version: string): string {
    return `${this.namespace}${version}:`;
  }

  async position(): Promise<Position> {
    const [version, checkpoint, connections] = (await this.scripts.position(this.namespace, this.initialVersion)) as [string, string, string];
    return { version, checkpoint: checkpoint || undefined, connections: connections || undefined };
  }

  /**
   * Applies a batch of one source and its checkpoint to `version` in one script. `live` writes
   * only while the version is active, `rebuild` only while it is not; otherwise nothing is
   * written and the answer is REFUSED. `after`: the source's checkpoint the writer applied last (or
   * started from); when the version no longer has it, nothing is written and the answer is LOST.
   */
  async apply(source: Source, events: EncodedEvent[], version: string, role: 'live' | 'rebuild' = 'live', after = ''): Promise<number> {
    if (events.length === 0) return 0;
    // Position first: the script reads it without decoding (a dead letter is kept by it).
    const result = (await this.scripts.apply(this.namespace, this.initialVersion, version, role, source, after, ...events.map(({ position, ...rest }) => JSON.stringify({ position, ...rest })))) as
      | number
      | [number, ...string[]];
    if (!Array.isArray(result)) return result;
    const [passed, ...dead] = result;
    for (let i = 0; i < dead.length; i += 3) {
      this.logger.error(`dead letter: ${dead[i + 1]} at ${dead[i]} of ${source} cannot be applied to ${version}, skipped: ${dead[i + 2]}`);
    }
    return passed;
  }

  /** Whether `version` still has the checkpoint of `source` (Redis may have been emptied under it). */
  async hasCheckpoint(source: Source, version: string): Promise<boolean> {
    return (await this.redis.exists(`${this.namespace}${version}:${source === 'connections' ? 'connections:checkpoint' : 'checkpoint'}`)) === 1;
  }

  /** The events the active version could not apply and skipped (apply-events.lua), for readiness. */
  async deadLetters(): Promise<number> {
    const { version } = await this.position();
    return this.redis.hlen(`${this.namespace}${version}:dead-letters`);
  }

  /** Makes `version` active once it has caught up; otherwise answers the live checkpoints to reach. */
  async switchTo(version: string): Promise<{ switched: true; previous: string } | { switched: false; checkpoint: string; connections: string }> {
    const [switched, a, b] = (await this.scripts.switch(this.namespace, this.initialVersion, version)) as [number, string, string];
    return switched === 1 ? { switched: true, previous: a } : { switched: false, checkpoint: a, connections: b };
  }

  /** The environments holding a connection. */
  environmentsOf(connectionId: string): Promise<string[]> {
    return this.scripts.members(this.namespace, this.initialVersion, `conn_envs:${connectionId}`) as Promise<string[]>;
  }

  /** The workspaces linking an environment. */
  workspacesOf(environmentId: string): Promise<string[]> {
    return this.scripts.members(this.namespace, this.initialVersion, `env_ws:${environmentId}`) as Promise<string[]>;
  }

  /** Deleted environments (of every organization) deleted at or before `ms`, up to 100 at a time. */
  deletedBefore(ms: number): Promise<string[]> {
    return this.scripts.deletedBefore(this.namespace, this.initialVersion, String(ms)) as Promise<string[]>;
  }

  async isDeletedConnection(connectionId: string): Promise<boolean> {
    return (await this.scripts.isMember(this.namespace, this.initialVersion, 'deleted_connections', connectionId)) === 1;
  }

  /**
   * A page, serialized: documents are assembled as JSON text in Redis and passed on as they are.
   * Undefined when the list's owner is not in the read model (or in another organization).
   */
  async list<T>(key: string, query: ListQuery, decorate: (doc: string) => string = (doc) => doc): Promise<RawJson<T> | undefined> {
    const lua = {
      org: query.org,
      scope: query.scope,
      doc: DOC[query.scope],
      owner: query.owner,
      sets: query.sets,
      nested: query.nested,
      exclude: query.exclude,
      order: query.order.field,
      direction: query.order.direction,
      offset: query.page * query.pagesize,
      limit: query.pagesize,
      search: query.search?.toLowerCase() ?? '',
      tags: query.tags ?? [],
    };
    const [total, docs] = (await this.scripts.list(this.namespace, this.initialVersion, JSON.stringify(lua))) as [number, string[]];
    if (total === REFUSED) return undefined;
    return new RawJson(`{"${key}":[${docs.map(decorate).join(',')}],"page":${query.page},"page_size":${query.pagesize},"total_count":${total}}`);
  }
}
