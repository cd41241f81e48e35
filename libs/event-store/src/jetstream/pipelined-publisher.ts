import { headers as natsHeaders, NatsError, type Msg, type MsgHdrs, type NatsConnection, type PubAck } from 'nats';
import { ReplyInbox } from '@clp/messaging';

export interface PipelinedPublishOptions {
  msgID?: string;
  /** `Nats-Expected-Last-Subject-Sequence`: `0` = nothing on the subject yet. */
  lastSubjectSequence?: number;
  headers?: MsgHdrs;
  timeoutMs: number;
}

const decoder = new TextDecoder();

/** The error `js.publish` throws for the same answer, so callers read `code` and `api_error` alike. */
const apiError = (error: { code: number; err_code?: number; description?: string }): NatsError => {
  const failure = new NatsError(error.description ?? `JetStream error ${error.code}`, error.code === 503 ? '503' : String(error.code));
  failure.api_error = { code: error.code, err_code: error.err_code ?? 0, description: error.description ?? '' };
  return failure;
};

/**
 * JetStream publishing with many acknowledgements awaited at once, the same messages and answers
 * as `js.publish` (so callers read `code` and `api_error` alike), for a fraction of its cost per
 * message: the replies come through one `ReplyInbox`, and everything published in one turn of
 * the event loop goes out in one socket write.
 */
export class PipelinedPublisher {
  private readonly inbox: ReplyInbox;

  constructor(nc: NatsConnection) {
    this.inbox = new ReplyInbox(nc);
  }

  publish(subject: string, payload: Uint8Array, options: PipelinedPublishOptions): Promise<PubAck> {
    const h = options.headers ?? natsHeaders();
    if (options.msgID !== undefined) h.set('Nats-Msg-Id', options.msgID);
    if (options.lastSubjectSequence !== undefined) h.set('Nats-Expected-Last-Subject-Sequence', String(options.lastSubjectSequence));
    return this.inbox.request(subject, payload, { headers: h, timeoutMs: options.timeoutMs }).then(toPubAck);
  }

  /** Fails what is still awaited and stops listening; the connection belongs to the caller. */
  close(): void {
    this.inbox.close();
  }
}

/** A JetStream publish's answer: the acknowledgement, or the error `js.publish` would throw. */
const toPubAck = (msg: Msg): PubAck => {
  if (msg.data.length === 0 && msg.headers?.code === 503) throw new NatsError('503', '503'); // no stream takes the subject (yet)
  const answer = JSON.parse(decoder.decode(msg.data)) as PubAck & { error?: { code: number; err_code?: number; description?: string } };
  if (answer.error) throw apiError(answer.error);
  if (!answer.stream) throw new NatsError('invalid JetStream ack', 'JESTREAM_INVALID_ACK');
  return { stream: answer.stream, seq: answer.seq, duplicate: answer.duplicate ?? false, domain: answer.domain } as PubAck;
};
