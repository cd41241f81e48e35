import { Logger } from '@nestjs/common';
import { ReplyError, type Caller, type ErrorReply } from '@clp/contracts';
import type { RawJson, Requester } from '@clp/messaging';
import type { RequestContext } from './auth/request-context';

type Api = Record<string, { request: { caller: Caller }; reply: unknown }>;
type Payload<A extends Api, S extends keyof A> = Omit<A[S]['request'], 'caller'>;

/**
 * A service's NATS API for one HTTP request: the caller from its token, its correlation id, and
 * an error reply thrown as the `ReplyError` it carries (the filter maps it to HTTP). A service
 * that does not answer in time is `unavailable`, never a hanging request.
 */
export abstract class ServiceClient<A extends Api> {
  private readonly logger = new Logger(this.constructor.name);

  protected constructor(private readonly requester: Requester) {}

  /** How long a subject may take: commands that run connectivity work take longer. */
  protected abstract timeoutOf(subject: keyof A & string): number;

  async call<S extends keyof A & string>(subject: S, context: RequestContext, payload: Payload<A, S>): Promise<A[S]['reply']> {
    const reply = await this.requester.send(subject, { ...payload, caller: context.caller }, this.optionsOf(subject, context));
    return this.resultOf(reply as { result: A[S]['reply'] } | ErrorReply, context);
  }

  /** The result left serialized, for a route that answers it as it is (a page the read model assembled). */
  async callRaw<S extends keyof A & string>(subject: S, context: RequestContext, payload: Payload<A, S>): Promise<RawJson<A[S]['reply']>> {
    const reply = await this.requester.requestRaw(subject as never, { ...payload, caller: context.caller } as never, this.optionsOf(subject, context));
    return this.resultOf(reply as { result: RawJson<A[S]['reply']> } | ErrorReply, context);
  }

  private optionsOf(subject: keyof A & string, context: RequestContext) {
    return { timeoutMs: this.timeoutOf(subject), correlation_id: context.correlation_id };
  }

  private resultOf<T>(reply: { result: T } | ErrorReply, context: RequestContext): T {
    if ('error' in reply) {
      const { code, message, details } = reply.error;
      // The client sees a 503; the operator needs to know too.
      if (code === 'unavailable') this.logger.warn(`${message} (correlation id ${context.correlation_id})`);
      throw new ReplyError(code, message, details ?? {});
    }
    return reply.result;
  }
}
