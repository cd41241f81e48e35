import { Inject, Injectable } from '@nestjs/common';
import type { NotificationApi, NotificationFeedApi } from '@clp/contracts';
import { Requester } from '@clp/messaging';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { ServiceClient } from '../service-client';

/** The notification service's NATS API for one HTTP request (or one live subscriber's catch-up). */
@Injectable()
export class NotificationClient extends ServiceClient<NotificationApi & NotificationFeedApi> {
  constructor(requester: Requester, @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    super(requester);
  }

  protected timeoutOf(): number {
    return this.config.requestTimeoutMs;
  }
}
