import { Inject, Injectable, Logger } from '@nestjs/common';
import { ReplyError, SUBJECTS, type ErrorReply, type RegistryApi } from '@clp/contracts';
import { Requester, type RawJson } from '@clp/messaging';
import type { RequestContext } from '../auth/request-context';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

type Subject = keyof RegistryApi;
type Payload<S extends Subject> = Omit<RegistryApi[S]['request'], 'caller'>;

const R = SUBJECTS.registry;

// Commands that may run a connectivity test before they answer.
const TESTING: ReadonlySet<Subject> = new Set<Subject>([R.registerConnection, R.completeRegistration, R.transition, R.testConnection]);

/**
 * The registry's NATS API for one HTTP request: the caller from its token, its correlation id,
 * and an error reply thrown as the `ReplyError` it carries (the filter maps it to HTTP). A
 * registry that does not answer in time is `unavailable`, never a hanging request.
 */
@Injectable()
export class RegistryClient {
  private readonly logger = new Logger('RegistryClient');

  constructor(
    private readonly requester: Requester,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async call<S extends Subject>(subject: S, context: RequestContext, payload: Payload<S>): Promise<RegistryApi[S]['reply']> {
    return this.resultOf(await this.requester.request(subject, this.requestOf<S>(context, payload), this.optionsOf(subject, context)), context);
  }

  /** The result left serialized, for a route that answers it as it is (a page of connections). */
  async callRaw<S extends Subject>(subject: S, context: RequestContext, payload: Payload<S>): Promise<RawJson<RegistryApi[S]['reply']>> {
    return this.resultOf(await this.requester.requestRaw(subject, this.requestOf<S>(context, payload), this.optionsOf(subject, context)), context);
  }

  private requestOf<S extends Subject>(context: RequestContext, payload: Payload<S>): RegistryApi[S]['request'] {
    return { ...payload, caller: context.caller } as RegistryApi[S]['request'];
  }

  private optionsOf(subject: Subject, context: RequestContext) {
    const timeoutMs = this.config.requestTimeoutMs + (TESTING.has(subject) ? this.config.connectivityTimeoutMs : 0);
    return { timeoutMs, correlation_id: context.correlation_id };
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
