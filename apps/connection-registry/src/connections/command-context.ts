import { randomUUID } from 'node:crypto';
import type { NatsContext } from '@nestjs/microservices';
import { ReplyError, type Caller, type Cause } from '@clp/contracts';
import type { CommandMetadata } from '@clp/connection-lifecycle';
import { incomingContext } from '@clp/messaging';
import type { LoadedConnection, TraceIds } from './connection-commands';

/** Ids, time and actor of a command; the only place the registry reads the clock for one. */
export const commandMetadata = (caller: Caller, cause: Cause = 'user'): CommandMetadata => ({
  command_id: randomUUID(),
  now: new Date().toISOString(),
  actor: { type: cause, id: caller.user_id },
});

export const traceOf = (context: NatsContext | undefined): TraceIds => {
  const { correlation_id, causation_id, traceparent } = incomingContext(context?.getHeaders());
  return { correlation_id, causation_id, traceparent };
};

/** A connection the caller may see: it exists and is in the caller's organization. */
export const visibleTo = (caller: Caller, loaded: LoadedConnection, { includeDeleted = false } = {}): LoadedConnection => {
  const { state } = loaded;
  const visible =
    state.status !== 'none' && (includeDeleted || state.status !== 'deleted') && state.organization_id === caller.organization_id;
  if (!visible) throw new ReplyError('not_found', 'connection not found');
  return loaded;
};
