import type { DiscoveryFeature } from '../discovery-feature';
import { checkTargets } from './configured-targets';
import { TargetsPublisher } from './targets-publisher';

/** Configured targets (`DISCOVERY_TARGETS`): discovered at start-up, so a machine without Kubernetes still finds something. */
export const targetsFeature: DiscoveryFeature = (config) => {
  checkTargets(config.targets);
  return { controllers: [], providers: config.targets.length ? [TargetsPublisher] : [] };
};
