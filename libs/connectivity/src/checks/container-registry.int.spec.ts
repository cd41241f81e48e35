import { startRegistry, type TestServer } from '@clp/testing';
import { testConnectivity } from '../test-connectivity';

const USERNAME = 'tester';
const PASSWORD = 'registry-pass-7';
// bcrypt (cost 4) of PASSWORD, made once with Python's crypt: docker-registry's htpasswd wants bcrypt.
const HTPASSWD = `${USERNAME}:$2b$04$TWK4RI8L5CLSbB61izgauunrhGt7HCiVQaJ6qwQJ/2sGvl40fH9iW`;

describe('container registry connectivity test (against a real docker-registry)', () => {
  describe('open registry', () => {
    let registry: TestServer;
    beforeAll(async () => {
      registry = await startRegistry();
    });
    afterAll(() => registry.stop());

    it('passes on GET /v2/ answering 200', async () => {
      const result = await testConnectivity({ check: 'container-registry', url: registry.url });
      expect(result).toMatchObject({ ok: true, check: 'GET /v2/', details: { api_version: 'registry/2.0', authenticated: false } });
    });
  });

  describe('registry with basic auth', () => {
    let registry: TestServer;
    beforeAll(async () => {
      registry = await startRegistry({ htpasswd: HTPASSWD });
    });
    afterAll(() => registry.stop());

    it('passes with the right username and password', async () => {
      const result = await testConnectivity({ check: 'container-registry', url: registry.url, credential: { username: USERNAME, password: PASSWORD } });
      expect(result).toMatchObject({ ok: true, details: { authenticated: true } });
      expect(JSON.stringify(result)).not.toContain(PASSWORD);
    });

    it('passes without a credential as reachable but not authenticated', async () => {
      const result = await testConnectivity({ check: 'container-registry', url: registry.url });
      expect(result).toMatchObject({ ok: true, details: { authenticated: false, auth_scheme: 'basic' } });
    });

    it('fails with a wrong password, without echoing it', async () => {
      const wrong = 'not-the-password-42';
      const result = await testConnectivity({ check: 'container-registry', url: registry.url, credential: { username: USERNAME, password: wrong } });
      expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/HTTP 401 from \/v2\//) });
      expect(JSON.stringify(result)).not.toContain(wrong);
    });

    it('uses userinfo in the URL as the credential and strips it from the result', async () => {
      const url = registry.url.replace('http://', `http://${USERNAME}:${PASSWORD}@`);
      const result = await testConnectivity({ check: 'container-registry', url });
      expect(result).toMatchObject({ ok: true, details: { authenticated: true } });
      expect(JSON.stringify(result)).not.toContain(PASSWORD);
    });
  });
});
