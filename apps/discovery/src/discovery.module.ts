import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { connectNats } from '@clp/messaging';
import { clusterScanFeature } from './cluster-scan/cluster-scan.feature';
import type { DiscoveryConfig } from './config';
import { DISCOVERY_CONFIG, NATS_CONNECTION } from './discovery-feature';
import { healthMonitorFeature } from './health-monitor/health-monitor.feature';
import { kubeconfigFeature } from './kubeconfig/kubeconfig.feature';
import { targetsFeature } from './targets/targets.feature';

const FEATURES = [targetsFeature, healthMonitorFeature, kubeconfigFeature, clusterScanFeature];

@Module({})
export class DiscoveryModule implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  static forRoot(config: DiscoveryConfig): DynamicModule {
    const parts = FEATURES.map((feature) => feature(config));
    return {
      module: DiscoveryModule,
      controllers: parts.flatMap((part) => part.controllers),
      providers: [
        { provide: DISCOVERY_CONFIG, useValue: config },
        { provide: NATS_CONNECTION, useFactory: () => connectNats({ servers: config.natsUrl, name: config.instanceName }) },
        ...parts.flatMap((part) => part.providers),
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.nc.drain().catch(() => undefined);
  }
}
