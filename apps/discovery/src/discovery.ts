import type { INestMicroservice, LoggerService, LogLevel } from '@nestjs/common';
import { QUEUE_GROUPS } from '@clp/contracts';
import { createNatsService } from '@clp/messaging';
import type { DiscoveryConfig } from './config';
import { DiscoveryModule } from './discovery.module';

/** Discovery as a NestJS microservice on NATS, in its queue group, so replicas share commands. */
export const createDiscovery = async (config: DiscoveryConfig, logger?: LoggerService | LogLevel[] | false): Promise<INestMicroservice> =>
  createNatsService(DiscoveryModule.forRoot(config), { servers: config.natsUrl, name: config.instanceName }, QUEUE_GROUPS.discovery, logger);
