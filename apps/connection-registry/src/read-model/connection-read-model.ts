import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { ConnectionPage, ConnectionView, Status } from '@clp/contracts';
import type { Checkpoint, RecordedEvent } from '@clp/event-store';

export const REDIS = Symbol('REDIS');
/** The key prefix of the read model version in use, e.g. `registry:v1:`; a rebuild writes another. */
export const READ_MODEL_PREFIX = Symbol('READ_MODEL_PREFIX');

const script = (name: string) => readFileSync(join(__dirname, name), 'utf8');
const APPLY = script('apply-events.lua');
const LIST = script('list-connections.lua');

export interface ListCriteria {
  page: number;
  pagesize: number;
  order: 'updated' | 'created' | 'name';
  direction: 'asc' | 'desc';
  status?: string[];
  kind?: string[];
  type?: string[];
  search?: string;
  name?: string;
}

type Doc = ConnectionView & { created_ms?: number; updated_ms?: number };

const toView = (raw: string): ConnectionView => {
  const { created_ms: _c, updated_ms: _u, ...view } = JSON.parse(raw) as Doc;
  return view;
};

/** The registry's Redis read model (DESIGN 5): written only by the projection, read by queries. */
@Injectable()
export class ConnectionReadModel {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(READ_MODEL_PREFIX) readonly prefix: string,
  ) {}

  async checkpoint(): Promise<Checkpoint | undefined> {
    return (await this.redis.get(`${this.prefix}checkpoint`)) ?? undefined;
  }

  /** Applies a batch and its checkpoint in one script: a crash never applies half of it. */
  async apply(events: RecordedEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const encoded = events.map((e) =>
      JSON.stringify({ position: e.position, type: e.type, data: e.data, occurred_at: e.metadata.occurred_at, at_ms: Date.parse(e.metadata.occurred_at) }),
    );
    return (await this.redis.eval(APPLY, 0, this.prefix, ...encoded)) as number;
  }

  async get(organizationId: string, connectionId: string): Promise<ConnectionView | undefined> {
    const raw = await this.redis.get(`${this.prefix}conn:${connectionId}`);
    const view = raw ? toView(raw) : undefined;
    return view?.organization_id === organizationId ? view : undefined;
  }

  async list(organizationId: string, criteria: ListCriteria): Promise<ConnectionPage> {
    const query = {
      status: criteria.status ?? [],
      kind: criteria.kind ?? [],
      type: criteria.type ?? [],
      order: criteria.order,
      direction: criteria.direction,
      offset: criteria.page * criteria.pagesize,
      limit: criteria.pagesize,
      search: criteria.search?.toLowerCase() ?? '',
      name: criteria.name?.toLowerCase() ?? '',
      token: randomUUID(),
    };
    const [total, docs, summary] = (await this.redis.eval(LIST, 0, this.prefix, organizationId, JSON.stringify(query))) as [
      number,
      Array<string | null>,
      string[],
    ];
    const status_summary: Partial<Record<Status, number>> = {};
    for (let i = 0; i < summary.length; i += 2) {
      const count = Number(summary[i + 1]);
      if (count > 0) status_summary[summary[i] as Status] = count;
    }
    return {
      connections: docs.filter((d): d is string => d !== null).map(toView),
      page: criteria.page,
      page_size: criteria.pagesize,
      total_count: total,
      status_summary,
    };
  }
}
