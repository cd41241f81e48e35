import { randomUUID } from 'node:crypto';
import { JSONCodec, type NatsConnection } from 'nats';
import { errorReply, type ApiSubject, type ErrorReply, type Reply, type ReplyOf, type RequestOf } from '@clp/contracts';
import { RawJson } from './raw-json';
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
const RESULT_MARKER = Buffer.from('"response":{"result":');
const CLOSING_BRACE = '}'.charCodeAt(0);

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

  /**
   * Like `request`, with the result left serialized, as the bytes it came in (no copy): for a
   * proxy that passes it on unread. The
   * services' serializer writes the response last (`ReplySerializer`); a reply in any other form,
   * and every error reply, is read whole.
   */
  async requestRaw<S extends ApiSubject>(subject: S, payload: RequestOf<S>, options: RequestOptions = {}): Promise<{ result: RawJson<ReplyOf<S>> } | ErrorReply> {
    const answer = await this.exchange(subject, payload, options);
    if (!(answer instanceof Uint8Array)) return answer;
    const bytes = Buffer.from(answer.buffer, answer.byteOffset, answer.byteLength);
    const at = bytes.indexOf(RESULT_MARKER);
    if (at >= 0 && bytes.at(-1) === CLOSING_BRACE && bytes.at(-2) === CLOSING_BRACE) {
      return { result: new RawJson(bytes.subarray(at + RESULT_MARKER.length, -2)) };
    }
    return this.read(subject, answer) as { result: RawJson<ReplyOf<S>> } | ErrorReply;
  }

  /** Untyped, for subjects outside the catalogue. */
  async send(subject: string, payload: unknown, options: RequestOptions = {}): Promise<Reply<unknown>> {
    const answer = await this.exchange(subject, payload, options);
    return answer instanceof Uint8Array ? this.read(subject, answer) : answer;
  }

  /** The reply packet's bytes, or `unavailable` when none came. */
  private async exchange(subject: string, payload: unknown, options: RequestOptions): Promise<Uint8Array | ErrorReply> {
    const timeout = options.timeoutMs ?? this.defaults.timeoutMs;
    const packet: RequestPacket = { pattern: subject, data: payload, id: randomUUID() };
    try {
      const message = await this.inbox.request(subject, codec.encode(packet), {
        timeoutMs: timeout,
        headers: outgoingHeaders({ correlation_id: options.correlation_id, causation_id: options.causation_id }),
      });
      // The server's own answer when no one subscribes to the subject.
      if (message.data.length === 0 && message.headers?.code === 503) return errorReply('unavailable', `no service answers ${subject}`, { subject });
      return message.data;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === '503') return errorReply('unavailable', `no service answers ${subject}`, { subject });
      if (code === 'TIMEOUT') return errorReply('unavailable', `${subject} did not answer within ${timeout} ms`, { subject, timeout_ms: timeout });
      if (code === 'DISCONNECT' || code === 'CONNECTION_CLOSED' || code === 'CONNECTION_DRAINING') {
        return errorReply('unavailable', 'the message bus is not reachable', { subject });
      }
      throw error;
    }
  }

  private read(subject: string, raw: Uint8Array): Reply<unknown> {
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
