import { Inject, Injectable } from '@nestjs/common';
import type { EnvironmentApi } from '@clp/contracts';
import { Requester } from '@clp/messaging';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { ServiceClient } from '../service-client';

/** The environment service's NATS API for one HTTP request. Assigning a connection asks the registry in turn. */
@Injectable()
export class EnvironmentClient extends ServiceClient<EnvironmentApi> {
  constructor(requester: Requester, @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    super(requester);
  }

  protected timeoutOf(): number {
    return 2 * this.config.requestTimeoutMs;
  }
}
