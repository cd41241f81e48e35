import type { Provider, Type } from '@nestjs/common';
import type { DiscoveryConfig } from './config';

/** A part of discovery (targets, health monitor, kubeconfig import, cluster scan): what it adds to the module. */
export type DiscoveryFeature = (config: DiscoveryConfig) => { controllers: Type[]; providers: Provider[] };

export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const DISCOVERY_CONFIG = Symbol('DISCOVERY_CONFIG');
