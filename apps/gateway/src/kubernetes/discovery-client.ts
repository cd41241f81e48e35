import { Inject, Injectable, Logger } from '@nestjs/common';
import { ReplyError, SUBJECTS, type DiscoveryApi } from '@clp/contracts';
import { Requester } from '@clp/messaging';
import type { RequestContext } from '../auth/request-context';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

type Subject = keyof DiscoveryApi;
type Payload<S extends Subject> = Omit<DiscoveryApi[S]['request'], 'caller'>;

const D = SUBJECTS.discovery;

/**
 * Discovery's NATS API for one HTTP request, as `RegistryClient` is the registry's. Both commands
 * run connectivity work before they answer: an import up to two tests per context (all contexts
 * at once), a scan one listing per cluster.
 */
@Injectable()
export class DiscoveryClient {
  private readonly logger = new Logger('DiscoveryClient');

  constructor(
    private readonly requester: Requester,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async call<S extends Subject>(subject: S, context: RequestContext, payload: Payload<S>): Promise<DiscoveryApi[S]['reply']> {
    const { requestTimeoutMs, connectivityTimeoutMs } = this.config;
    const timeoutMs = subject === D.importKubeconfig ? 2 * (requestTimeoutMs + connectivityTimeoutMs) : requestTimeoutMs + 2 * connectivityTimeoutMs;
    const request = { ...payload, caller: context.caller } as DiscoveryApi[S]['request'];
    const reply = await this.requester.request(subject, request, { timeoutMs, correlation_id: context.correlation_id });
    if ('error' in reply) {
      const { code, message, details } = reply.error;
      if (code === 'unavailable') this.logger.warn(`${message} (correlation id ${context.correlation_id})`);
      throw new ReplyError(code, message, details ?? {});
    }
    return reply.result;
  }
}
