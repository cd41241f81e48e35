import { randomUUID } from 'node:crypto';
import { context, propagation, type Context } from '@opentelemetry/api';
import { headers as natsHeaders, type MsgHdrs } from 'nats';
import { HEADERS } from '@clp/contracts';

/** What travels with every message besides its payload (design.md §3, 11). */
export interface MessageContext {
  correlation_id: string;
  causation_id: string | null;
  /** The W3C trace context, when a propagator is registered and a span is active. */
  traceparent?: string;
}

const setter = {
  set: (carrier: MsgHdrs, key: string, value: string) => carrier.set(key, value),
};

const getter = {
  get: (carrier: MsgHdrs, key: string) => carrier.get(key) || undefined,
  keys: (carrier: MsgHdrs) => [...carrier.keys()],
};

/** Headers for an outgoing message: the active trace context, and the correlation and causation ids. */
export const outgoingHeaders = (
  ids: Partial<Pick<MessageContext, 'correlation_id' | 'causation_id'>> = {},
  active: Context = context.active(),
): MsgHdrs => {
  const h = natsHeaders();
  propagation.inject(active, h, setter);
  h.set(HEADERS.correlationId, ids.correlation_id ?? randomUUID());
  if (ids.causation_id) h.set(HEADERS.causationId, ids.causation_id);
  return h;
};

/** The trace context to continue, and the ids, of an incoming message. */
export const incomingContext = (h: MsgHdrs | undefined): MessageContext & { otel: Context } => {
  const otel = h ? propagation.extract(context.active(), h, getter) : context.active();
  const traceparent = h?.get(HEADERS.traceparent) || undefined;
  return {
    otel,
    correlation_id: h?.get(HEADERS.correlationId) || randomUUID(),
    causation_id: h?.get(HEADERS.causationId) || null,
    ...(traceparent ? { traceparent } : {}),
  };
};
