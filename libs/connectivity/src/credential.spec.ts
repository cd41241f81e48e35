import { authenticationOf, pemOf } from './credential';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('authentication of a target', () => {
  it('sends a token as bearer, before any username and password', () => {
    const auth = authenticationOf(new URL('https://k8s'), { token: 'tok', username: 'u', password: 'p' });
    expect(auth.authorization).toBe('Bearer tok');
  });

  it('sends an API key as bearer, as Prometheus and Grafana take it', () => {
    const auth = authenticationOf(new URL('https://grafana'), { api_key: 'glsa_key' });
    expect(auth.authorization).toBe('Bearer glsa_key');
    expect(auth.secrets).toEqual(expect.arrayContaining(['glsa_key', 'Bearer glsa_key']));
  });

  it('sends username and password as basic', () => {
    expect(authenticationOf(new URL('https://r'), { username: 'u', password: 'p' }).authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  it("uses the URL's userinfo, decoded, when the credential has no username", () => {
    const auth = authenticationOf(new URL('https://me:p%40ss@r'));
    expect(auth.basic).toEqual({ username: 'me', password: 'p@ss' });
    expect(auth.secrets).toEqual(expect.arrayContaining(['p%40ss', 'p@ss', Buffer.from('me:p@ss').toString('base64')]));
  });

  it('has no authorization and no secrets without credential or userinfo', () => {
    expect(authenticationOf(new URL('http://x'))).toEqual({ authorization: undefined, basic: undefined, tls: {}, secrets: [] });
  });

  it('takes PEM as is and decodes base64 PEM, as a kubeconfig carries it', () => {
    expect(pemOf(PEM)).toBe(PEM);
    expect(pemOf(Buffer.from(PEM).toString('base64'))).toBe(PEM);
    expect(pemOf(undefined)).toBeUndefined();
    const auth = authenticationOf(new URL('https://k8s'), { client_certificate: Buffer.from(PEM).toString('base64'), client_key: PEM });
    expect(auth.tls).toEqual({ ca: undefined, cert: PEM, key: PEM });
  });

  it('accepts a credential password with a bare percent sign', () => {
    const auth = authenticationOf(new URL('https://r'), { username: 'u', password: '100%' });
    expect(auth.secrets).toEqual(expect.arrayContaining(['100%', '100%25']));
  });
});
