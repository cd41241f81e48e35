import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { connectNats, Requester } from '@clp/messaging';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

export const NATS_CONNECTION = Symbol('NATS_CONNECTION');

/** The gateway's one NATS connection, drained when the application shuts down. */
@Injectable()
export class NatsShutdown implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain();
  }
}

export const natsProviders = (): Provider[] => [
  {
    provide: NATS_CONNECTION,
    inject: [GATEWAY_CONFIG],
    useFactory: (config: GatewayConfig) => connectNats({ servers: config.natsUrl, name: config.instanceName }),
  },
  {
    provide: Requester,
    inject: [NATS_CONNECTION, GATEWAY_CONFIG],
    useFactory: (nc: NatsConnection, config: GatewayConfig) => new Requester(nc, { timeoutMs: config.requestTimeoutMs }),
  },
  NatsShutdown,
];
