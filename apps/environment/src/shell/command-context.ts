import { randomUUID } from 'node:crypto';
import type { NatsContext } from '@nestjs/microservices';
import { IsString, Matches, MaxLength } from 'class-validator';
import { LIST_ORDER, type Actor, type Caller } from '@clp/contracts';
import type { CommandMetadata } from '@clp/environments';
import { incomingContext, PageRequest, WhenPresent } from '@clp/messaging';

export interface TraceIds {
  correlation_id?: string;
  causation_id?: string | null;
  traceparent?: string;
}

/** Ids, time and actor of a command; the only place the service reads the clock for one. */
export const commandMetadata = (caller: Caller): CommandMetadata => ({
  command_id: randomUUID(),
  now: new Date().toISOString(),
  actor: { type: 'user', id: caller.user_id },
});

export const systemMetadata = (command_id: string, actor: Actor['id']): CommandMetadata => ({
  command_id,
  now: new Date().toISOString(),
  actor: { type: 'system', id: actor },
});

export const traceOf = (context: NatsContext | undefined): TraceIds => {
  const { correlation_id, causation_id, traceparent } = incomingContext(context?.getHeaders());
  return { correlation_id, causation_id, traceparent };
};

/** `page`, `pagesize`, `search` and `order` of every list query (design.md §10). */
export class ListRequest extends PageRequest {
  @WhenPresent()
  @IsString()
  @MaxLength(256)
  search?: string;

  @WhenPresent()
  @Matches(LIST_ORDER, { message: 'order must be updated_at, created_at or name, then asc or desc' })
  order?: string;
}

export const ORDERS = ['updated', 'created', 'name'] as const;
export type Order = { field: (typeof ORDERS)[number]; direction: 'asc' | 'desc' };

/** `updated_at desc` when absent; a field without a direction ascends, as in SQL (Meshery passes `order` to its database). */
export const orderOf = (order: string | undefined): Order => {
  const [field, direction] = (order ?? 'updated_at desc').split(' ');
  return { field: field === 'name' ? 'name' : field === 'created_at' ? 'created' : 'updated', direction: direction === 'desc' ? 'desc' : 'asc' };
};
