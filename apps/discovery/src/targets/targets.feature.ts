import type { DiscoveryFeature } from '../discovery-feature';

/** Controllers and providers of this part of discovery, composed by DiscoveryModule. */
export const targetsFeature: DiscoveryFeature = () => ({ controllers: [], providers: [] });
