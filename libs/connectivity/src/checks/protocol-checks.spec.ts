import { authenticationOf } from '../credential';
import { grafana } from './grafana';
import { http } from './http';
import { kubernetes } from './kubernetes';
import { prometheus } from './prometheus';
import { scriptedGet } from './replies.fixtures';

const NO_AUTH = authenticationOf(new URL('http://x'));

describe('protocol checks', () => {
  it('kubernetes: reports gitVersion and the kube-system uid', async () => {
    const { get } = scriptedGet({
      '/version': { body: { gitVersion: 'v1.29.0' } },
      '/api/v1/namespaces/kube-system': { body: { metadata: { uid: 'uid-1' } } },
    });
    await expect(kubernetes.run(get, NO_AUTH)).resolves.toEqual({ version: 'v1.29.0', server_id: 'uid-1' });
  });

  it('kubernetes: fails when kube-system is forbidden, since the cluster id is required', async () => {
    const { get } = scriptedGet({ '/version': { body: { gitVersion: 'v1.29.0' } }, '/api/v1/namespaces/kube-system': { status: 403 } });
    await expect(kubernetes.run(get, NO_AUTH)).rejects.toThrow('HTTP 403 from /api/v1/namespaces/kube-system (forbidden: the credential lacks permission)');
  });

  it('kubernetes: fails on a 200 that is not the API server', async () => {
    const { get } = scriptedGet({ '/version': { body: '<html>' } });
    await expect(kubernetes.run(get, NO_AUTH)).rejects.toThrow('invalid JSON from /version');
  });

  it('prometheus: fails when not ready, naming the endpoint', async () => {
    const { get } = scriptedGet({ '/-/ready': { status: 503 } });
    await expect(prometheus.run(get, NO_AUTH)).rejects.toThrow('HTTP 503 from /-/ready');
  });

  it('prometheus: fails on build info without a version', async () => {
    const { get } = scriptedGet({ '/-/ready': {}, '/api/v1/status/buildinfo': { body: { status: 'success', data: {} } } });
    await expect(prometheus.run(get, NO_AUTH)).rejects.toThrow(/no data.version/);
  });

  it('grafana: fails on a health answer without a database field', async () => {
    const { get } = scriptedGet({ '/api/health': { body: { version: '1' } } });
    await expect(grafana.run(get, NO_AUTH)).rejects.toThrow(/not a Grafana server/);
  });

  it('http: fails on 5xx and passes on 204', async () => {
    await expect(http.run(scriptedGet({ '': { status: 502 } }).get, NO_AUTH)).rejects.toThrow('HTTP 502 from /');
    await expect(http.run(scriptedGet({ '': { status: 204 } }).get, NO_AUTH)).resolves.toEqual({ status: 204 });
  });
});
