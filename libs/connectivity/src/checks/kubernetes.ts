import { expectStatus, jsonOf, stringAt, type Check } from '../check';
import { CheckFailed } from '../failure';

const KUBE_SYSTEM = '/api/v1/namespaces/kube-system';

// The kube-system namespace lives as long as the cluster, so its UID is the cluster's identity:
// without it the connection has no server_id, and the test fails rather than guess one.
export const kubernetes: Check = {
  describe: () => `GET /version, GET ${KUBE_SYSTEM}`,
  run: async (get) => {
    const version = stringAt(jsonOf(expectStatus(await get('/version'))), 'gitVersion');
    if (!version) throw new CheckFailed('no gitVersion in /version: not a Kubernetes API server');
    const serverId = stringAt(jsonOf(expectStatus(await get(KUBE_SYSTEM))), 'metadata', 'uid');
    if (!serverId) throw new CheckFailed(`no metadata.uid in ${KUBE_SYSTEM}`);
    return { version, server_id: serverId };
  },
};
