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

  it('sends an API key as a bearer token and username and password as basic auth', async () => {
    const basic = `Basic ${Buffer.from('viewer:grafana-pass-3').toString('base64')}`;
    for (const [credential, authorization] of [
      [{ api_key: 'glsa_api_key_77' }, 'Bearer glsa_api_key_77'],
      [{ username: 'viewer', password: 'grafana-pass-3' }, basic],
    ] as const) {
      const grafana = await startGrafanaStandIn('ok', '11.1.0', authorization);
      try {
        expect(await testConnectivity({ check: 'grafana', url: grafana.url, credential })).toMatchObject({ ok: true, details: { database: 'ok' } });
        expect(grafana.authorizations).toEqual([authorization]);
        const refused = await testConnectivity({ check: 'grafana', url: grafana.url, credential: { api_key: 'glsa_wrong_key' } });
        expect(refused).toMatchObject({ ok: false, error: 'HTTP 401 from /api/health (unauthorized: check the credential)' });
        expect(JSON.stringify(refused)).not.toContain('glsa_wrong_key');
      } finally {
        await grafana.close();
      }
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
