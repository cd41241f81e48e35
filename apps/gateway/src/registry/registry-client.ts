import { Inject, Injectable } from '@nestjs/common';
import { SUBJECTS, type RegistryApi } from '@clp/contracts';
import { Requester } from '@clp/messaging';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { ServiceClient } from '../service-client';

const R = SUBJECTS.registry;

// Commands that may run a connectivity test before they answer.
const TESTING: ReadonlySet<string> = new Set([R.registerConnection, R.completeRegistration, R.transition, R.testConnection]);

/** The registry's NATS API for one HTTP request. */
@Injectable()
export class RegistryClient extends ServiceClient<RegistryApi> {
  constructor(requester: Requester, @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    super(requester);
  }

  protected timeoutOf(subject: keyof RegistryApi & string): number {
    return this.config.requestTimeoutMs + (TESTING.has(subject) ? this.config.connectivityTimeoutMs : 0);
  }
}
