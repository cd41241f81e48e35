import { testConnectivity } from '../test-connectivity';
import { makeTestCertificates, type TestCertificates } from '../test-certificates.fixtures';
import { GIT_VERSION, KUBE_SYSTEM_UID, startKubernetesStandIn, type KubernetesStandIn } from './kubernetes-api.fixtures';

const TOKEN = 'kube-token-7f3a9c2e1d';
const WRONG_TOKEN = 'wrong-token-0b4d6e8f';

describe('Kubernetes connectivity test (against a stand-in API server over TLS)', () => {
  let certificates: TestCertificates;
  let api: KubernetesStandIn;

  beforeAll(async () => {
    certificates = makeTestCertificates();
    api = await startKubernetesStandIn(certificates, TOKEN);
  });
  afterAll(() => api.close());

  it('passes with the right bearer token and reports the cluster id and version', async () => {
    const result = await testConnectivity({
      check: 'kubernetes',
      url: api.url,
      credential: { token: TOKEN, certificate_authority: certificates.ca },
    });
    expect(result).toMatchObject({ ok: true, details: { server_id: KUBE_SYSTEM_UID, version: GIT_VERSION } });
    expect(result.check).toBe('GET /version, GET /api/v1/namespaces/kube-system');
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('fails with a wrong token, naming the 401 and neither token', async () => {
    const result = await testConnectivity({
      check: 'kubernetes',
      url: api.url,
      credential: { token: WRONG_TOKEN, certificate_authority: certificates.ca },
    });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/HTTP 401 from \/version/);
    const serialized = JSON.stringify(result);
    expect(serialized).not.toContain(WRONG_TOKEN);
    expect(serialized).not.toContain(TOKEN);
  });

  it('passes with a client certificate and key, given as base64 PEM as in a kubeconfig', async () => {
    const base64 = (pem: string) => Buffer.from(pem).toString('base64');
    const credential = {
      client_certificate: base64(certificates.clientCert),
      client_key: base64(certificates.clientKey),
      certificate_authority: base64(certificates.ca),
    };
    const result = await testConnectivity({ check: 'kubernetes', url: api.url, credential });
    expect(result).toMatchObject({ ok: true, details: { server_id: KUBE_SYSTEM_UID } });
    const serialized = JSON.stringify(result);
    for (const secret of [...Object.values(credential), certificates.clientKey]) expect(serialized).not.toContain(secret);
  });

  it('refuses a server its CA did not sign, unless told to skip verification', async () => {
    const untrusted = await testConnectivity({
      check: 'kubernetes',
      url: api.url,
      credential: { token: TOKEN, certificate_authority: certificates.otherCa },
    });
    expect(untrusted).toMatchObject({ ok: false, error: expect.stringMatching(/^TLS: /) });

    const skipped = await testConnectivity({ check: 'kubernetes', url: api.url, credential: { token: TOKEN }, insecure_skip_tls_verify: true });
    expect(skipped).toMatchObject({ ok: true, details: { server_id: KUBE_SYSTEM_UID } });
  });
});
