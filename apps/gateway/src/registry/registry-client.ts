import { Inject, Injectable, Logger } from '@nestjs/common';
import { ReplyError, SUBJECTS, type RegistryApi } from '@clp/contracts';
import { Requester } from '@clp/messaging';
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
    const timeoutMs = this.config.requestTimeoutMs + (TESTING.has(subject) ? this.config.connectivityTimeoutMs : 0);
    const reply = await this.requester.request(subject, { ...payload, caller: context.caller } as RegistryApi[S]['request'], {
      timeoutMs,
      correlation_id: context.correlation_id,
    });
    if ('error' in reply) {
      const { code, message, details } = reply.error;
      // The client sees a 503; the operator needs to know too.
      if (code === 'unavailable') this.logger.warn(`${message} (correlation id ${context.correlation_id})`);
      throw new ReplyError(code, message, details ?? {});
    }
    return reply.result;
  }
}
