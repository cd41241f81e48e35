import { parseChallenge, tokenUrl } from './registry-challenge';

describe('registry challenge', () => {
  it("parses Docker Hub's bearer challenge", () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io' },
    });
  });

  it('parses a basic challenge and unquoted values', () => {
    expect(parseChallenge('Basic realm=test')).toEqual({ scheme: 'basic', params: { realm: 'test' } });
    expect(parseChallenge(undefined)).toBeUndefined();
    expect(parseChallenge('  ')).toBeUndefined();
  });

  it('builds the token URL from realm, service and account, refusing a realm that is no http(s) URL', () => {
    const challenge = { scheme: 'bearer', params: { realm: 'https://auth.example/token?x=1', service: 'reg' } };
    expect(tokenUrl(challenge, 'me')).toBe('https://auth.example/token?x=1&service=reg&account=me');
    expect(tokenUrl({ scheme: 'bearer', params: { realm: 'file:///etc/passwd' } }, 'me')).toBeUndefined();
    expect(tokenUrl({ scheme: 'bearer', params: {} }, 'me')).toBeUndefined();
  });
});
