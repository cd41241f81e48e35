import { testConnectivity } from '../test-connectivity';
import { startGrafanaStandIn } from './grafana-api.fixtures';

describe('Grafana connectivity test (against a stand-in /api/health)', () => {
  it('passes when the database is ok, with the version', async () => {
    const grafana = await startGrafanaStandIn('ok', '11.1.0');
    try {
      const result = await testConnectivity({ check: 'grafana', url: grafana.url, credential: { token: 'glsa_secret_api_key_1' } });
      expect(result).toMatchObject({ ok: true, check: 'GET /api/health', details: { version: '11.1.0', database: 'ok' } });
      expect(JSON.stringify(result)).not.toContain('glsa_secret_api_key_1');
    } finally {
      await grafana.close();
    }
  });

  it('fails when the database is not ok, still reporting what it learned', async () => {
    const grafana = await startGrafanaStandIn('failing');
    try {
      const result = await testConnectivity({ check: 'grafana', url: grafana.url });
      expect(result).toMatchObject({ ok: false, error: 'Grafana database is "failing"', details: { database: 'failing' } });
    } finally {
      await grafana.close();
    }
  });
});
