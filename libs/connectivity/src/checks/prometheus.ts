import { expectStatus, jsonOf, stringAt, type Check } from '../check';
import { CheckFailed } from '../failure';

export const prometheus: Check = {
  describe: () => 'GET /-/ready, GET /api/v1/status/buildinfo',
  run: async (get) => {
    expectStatus(await get('/-/ready'));
    const version = stringAt(jsonOf(expectStatus(await get('/api/v1/status/buildinfo'))), 'data', 'version');
    if (!version) throw new CheckFailed('no data.version in /api/v1/status/buildinfo: not a Prometheus server');
    return { version };
  },
};
