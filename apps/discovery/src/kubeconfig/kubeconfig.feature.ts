import type { DiscoveryFeature } from '../discovery-feature';
import { KubeconfigImport } from './import-kubeconfig';
import { KubeconfigController } from './kubeconfig.controller';

/** Kubeconfig import (`discovery.cmd.import-kubeconfig`): one `kubernetes` connection per context. */
export const kubeconfigFeature: DiscoveryFeature = () => ({ controllers: [KubeconfigController], providers: [KubeconfigImport] });
