import { authenticationOf } from '../credential';
import { containerRegistry } from './container-registry';
import { scriptedGet } from './replies.fixtures';

const REGISTRY = new URL('https://registry.example');
const challenged = (challenge: string) => ({ status: 401, headers: { 'www-authenticate': challenge } });
const BEARER = 'Bearer realm="https://auth.example/token",service="registry.example"';

describe('container registry check', () => {
  it('passes on 200', async () => {
    const { get } = scriptedGet({ '/v2/': { status: 200, headers: { 'docker-distribution-api-version': 'registry/2.0' } } });
    await expect(containerRegistry.run(get, authenticationOf(REGISTRY))).resolves.toEqual({ api_version: 'registry/2.0', authenticated: false });
  });

  it('passes a challenge without a credential as reachable but not authenticated', async () => {
    const { get } = scriptedGet({ '/v2/': challenged(BEARER) });
    await expect(containerRegistry.run(get, authenticationOf(REGISTRY))).resolves.toEqual({ authenticated: false, auth_scheme: 'bearer' });
  });

  it('fails a 401 without a challenge: whatever answered is no registry', async () => {
    const { get } = scriptedGet({ '/v2/': { status: 401 } });
    await expect(containerRegistry.run(get, authenticationOf(REGISTRY))).rejects.toThrow(/without a challenge/);
  });

  it('fails a basic challenge with a credential', async () => {
    const { get } = scriptedGet({ '/v2/': challenged('Basic realm="test"') });
    const auth = authenticationOf(REGISTRY, { username: 'u', password: 'p' });
    await expect(containerRegistry.run(get, auth)).rejects.toThrow('HTTP 401 from /v2/ (unauthorized: check the credential)');
  });

  it('trades username and password for a token at the realm, and passes when /v2/ accepts it', async () => {
    const { get, calls } = scriptedGet({
      '/v2/': (headers) => (headers['authorization'] === 'Bearer t0ken' ? { status: 200 } : challenged(BEARER)),
      'https://auth.example/token': (headers) =>
        headers['authorization'] === `Basic ${Buffer.from('u:p').toString('base64')}` ? { body: { token: 't0ken' } } : { status: 401 },
    });
    const auth = authenticationOf(REGISTRY, { username: 'u', password: 'p' });
    await expect(containerRegistry.run(get, auth)).resolves.toEqual({ authenticated: true, auth_scheme: 'bearer' });
    expect(calls[1]?.url).toBe('https://auth.example/token?service=registry.example&account=u');
  });

  it('fails when the token service refuses the credential', async () => {
    const { get } = scriptedGet({ '/v2/': challenged(BEARER), 'https://auth.example/token': { status: 401 } });
    const auth = authenticationOf(REGISTRY, { username: 'u', password: 'wrong' });
    await expect(containerRegistry.run(get, auth)).rejects.toThrow(/token service \(credential rejected\)/);
  });

  it('fails a bearer challenge to a token credential: there is nothing to trade', async () => {
    const { get, calls } = scriptedGet({ '/v2/': challenged(BEARER) });
    await expect(containerRegistry.run(get, authenticationOf(REGISTRY, { token: 'abc' }))).rejects.toThrow(/HTTP 401/);
    expect(calls).toHaveLength(1);
  });
});
