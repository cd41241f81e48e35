import { httpFailure, jsonOf, stringAt, type Check } from '../check';
import { CheckFailed } from '../failure';

export const grafana: Check = {
  describe: () => 'GET /api/health',
  run: async (get) => {
    const reply = await get('/api/health');
    // Grafana answers 503 with the same body when its database is down: read it either way.
    if (reply.status !== 200 && reply.status !== 503) throw httpFailure(reply);
    const health = jsonOf(reply);
    const database = stringAt(health, 'database');
    if (!database) throw new CheckFailed('no database in /api/health: not a Grafana server');
    const details = { version: stringAt(health, 'version') ?? 'unknown', database };
    if (database !== 'ok') throw new CheckFailed(`Grafana database is "${database}"`, details);
    if (reply.status !== 200) throw httpFailure(reply);
    return details;
  },
};
