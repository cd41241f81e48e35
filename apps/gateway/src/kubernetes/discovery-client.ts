import { Inject, Injectable } from '@nestjs/common';
import { SUBJECTS, type DiscoveryApi } from '@clp/contracts';
import { Requester } from '@clp/messaging';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { ServiceClient } from '../service-client';

/**
 * Discovery's NATS API for one HTTP request. Both commands run connectivity work before they
 * answer: an import up to two tests per context (all contexts at once), a scan one listing per cluster.
 */
@Injectable()
export class DiscoveryClient extends ServiceClient<DiscoveryApi> {
  constructor(requester: Requester, @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    super(requester);
  }

  protected timeoutOf(subject: keyof DiscoveryApi & string): number {
    const { requestTimeoutMs, connectivityTimeoutMs } = this.config;
    return subject === SUBJECTS.discovery.importKubeconfig ? 2 * (requestTimeoutMs + connectivityTimeoutMs) : requestTimeoutMs + 2 * connectivityTimeoutMs;
  }
}
