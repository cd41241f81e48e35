import { Inject, Injectable, Logger } from '@nestjs/common';
import { ReplyError, type EnvironmentApi, type ErrorReply } from '@clp/contracts';
import { Requester, type RawJson } from '@clp/messaging';
import type { RequestContext } from '../auth/request-context';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

type Subject = keyof EnvironmentApi;
type Payload<S extends Subject> = Omit<EnvironmentApi[S]['request'], 'caller'>;

/**
 * The environment service's NATS API for one HTTP request, as `RegistryClient` is the registry's.
 * Assigning a connection asks the registry in turn, so it may take one more request's time.
 */
@Injectable()
export class EnvironmentClient {
  private readonly logger = new Logger('EnvironmentClient');

  constructor(
    private readonly requester: Requester,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async call<S extends Subject>(subject: S, context: RequestContext, payload: Payload<S>): Promise<EnvironmentApi[S]['reply']> {
    return this.resultOf(await this.requester.request(subject, this.requestOf<S>(context, payload), this.optionsOf(context)), context);
  }

  /** The result left serialized: the service's pages are JSON text assembled by its read model. */
  async callRaw<S extends Subject>(subject: S, context: RequestContext, payload: Payload<S>): Promise<RawJson<EnvironmentApi[S]['reply']>> {
    return this.resultOf(await this.requester.requestRaw(subject, this.requestOf<S>(context, payload), this.optionsOf(context)), context);
  }

  private requestOf<S extends Subject>(context: RequestContext, payload: Payload<S>): EnvironmentApi[S]['request'] {
    return { ...payload, caller: context.caller } as EnvironmentApi[S]['request'];
  }

  private optionsOf(context: RequestContext) {
    return { timeoutMs: 2 * this.config.requestTimeoutMs, correlation_id: context.correlation_id };
  }

  private resultOf<T>(reply: { result: T } | ErrorReply, context: RequestContext): T {
    if ('error' in reply) {
      const { code, message, details } = reply.error;
      if (code === 'unavailable') this.logger.warn(`${message} (correlation id ${context.correlation_id})`);
      throw new ReplyError(code, message, details ?? {});
    }
    return reply.result;
  }
}
