import { randomUUID } from 'node:crypto';
import { JSONCodec, type NatsConnection } from 'nats';
import { errorReply, type ApiSubject, type Reply, type ReplyOf, type RequestOf } from '@clp/contracts';
import { ReplyInbox } from './reply-inbox';
import { outgoingHeaders } from './trace-headers';

/** The request and reply packets of `@nestjs/microservices`' NATS transport, which serves the commands. */
interface RequestPacket {
  pattern: string;
  data: unknown;
  id: string;
}
interface ResponsePacket {
  id: string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

const codec = JSONCodec<unknown>();

export interface RequestOptions {
  timeoutMs?: number;
  correlation_id?: string;
  causation_id?: string;
}

/**
 * Typed request/reply over NATS: the reply is the result or a typed error, never an exception.
 * A service that does not answer in time, or is not there at all, is `unavailable`.
 */
export class Requester {
  /** Replies come back through one subscription: a gateway sends thousands of requests a second. */
  private readonly inbox: ReplyInbox;

  constructor(
    nc: NatsConnection,
    private readonly defaults: { timeoutMs: number } = { timeoutMs: 5000 },
  ) {
    this.inbox = new ReplyInbox(nc);
  }

  async request<S extends ApiSubject>(subject: S, payload: RequestOf<S>, options: RequestOptions = {}): Promise<Reply<ReplyOf<S>>> {
    return this.send(subject, payload, options) as Promise<Reply<ReplyOf<S>>>;
  }

  /** Untyped, for subjects outside the catalogue. */
  async send(subject: string, payload: unknown, options: RequestOptions = {}): Promise<Reply<unknown>> {
    const timeout = options.timeoutMs ?? this.defaults.timeoutMs;
    const packet: RequestPacket = { pattern: subject, data: payload, id: randomUUID() };
    let raw: Uint8Array;
    try {
      const message = await this.inbox.request(subject, codec.encode(packet), {
        timeoutMs: timeout,
        headers: outgoingHeaders({ correlation_id: options.correlation_id, causation_id: options.causation_id }),
      });
      // The server's own answer when no one subscribes to the subject.
      if (message.data.length === 0 && message.headers?.code === 503) return errorReply('unavailable', `no service answers ${subject}`, { subject });
      raw = message.data;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === '503') return errorReply('unavailable', `no service answers ${subject}`, { subject });
      if (code === 'TIMEOUT') return errorReply('unavailable', `${subject} did not answer within ${timeout} ms`, { subject, timeout_ms: timeout });
      if (code === 'DISCONNECT' || code === 'CONNECTION_CLOSED' || code === 'CONNECTION_DRAINING') {
        return errorReply('unavailable', 'the message bus is not reachable', { subject });
      }
      throw error;
    }
    const response = codec.decode(raw) as ResponsePacket;
    if (response.err !== undefined && response.err !== null) {
      // A handler that threw past the reply filter: its message may hold internals, so it stays here.
      return errorReply('unavailable', `${subject} failed`, { subject });
    }
    const reply = response.response as Reply<unknown>;
    if (typeof reply !== 'object' || reply === null || !('result' in reply || 'error' in reply)) {
      return errorReply('unavailable', `${subject} gave no reply in the expected form`, { subject });
    }
    return reply;
  }
}
