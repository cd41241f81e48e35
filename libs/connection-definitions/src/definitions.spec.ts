import { v5 as uuidv5 } from 'uuid';
import { connectionFormErrors, connectionIdOf, credentialFormErrors, definitionOf, fingerprintOf, identityOf, KINDS, normalizeUrl } from './index';

describe('connection definitions', () => {
  it('covers the kinds of design.md §6.4', () => {
    expect(KINDS).toEqual(
      expect.arrayContaining(['kubernetes', 'prometheus', 'grafana', 'meshery', 'github', 'container-registry', 'istio', 'linkerd', 'consul']),
    );
    expect(definitionOf('meshery')).toMatchObject({ auto_connect: true, type: 'platform', sub_type: 'management' });
    expect(KINDS.filter((k) => definitionOf(k)!.auto_connect)).toEqual(['meshery']);
    expect(definitionOf('nope')).toBeUndefined();
  });

  it('normalizes addresses so one resource has one spelling', () => {
    expect(normalizeUrl('HTTP://Prom.Example:80/')).toBe('http://prom.example');
    expect(normalizeUrl('https://user:pw@k8s.example:443/api/?x=1#y')).toBe('https://k8s.example/api');
    expect(normalizeUrl('https://k8s.example:6443')).toBe('https://k8s.example:6443');
  });

  it('fingerprints by organization, kind and identity', () => {
    const k8s = definitionOf('kubernetes')!;
    const a = identityOf(k8s, { server: 'https://K8S.example:443/', user: 'admin', version: '1.30' });
    expect(a).toEqual({ server: 'https://k8s.example', user: 'admin' });
    const same = identityOf(k8s, { server: 'https://k8s.example', user: 'admin', version: '1.31' });
    expect(fingerprintOf('org-1', 'kubernetes', a)).toBe(fingerprintOf('org-1', 'kubernetes', same));
    // Two users of one cluster are two connections; two organizations too.
    const otherUser = identityOf(k8s, { server: 'https://k8s.example', user: 'dev' });
    expect(fingerprintOf('org-1', 'kubernetes', otherUser)).not.toBe(fingerprintOf('org-1', 'kubernetes', a));
    expect(fingerprintOf('org-2', 'kubernetes', a)).not.toBe(fingerprintOf('org-1', 'kubernetes', a));
    expect(fingerprintOf('org-1', 'kubernetes', a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the fields a form gets wrong, never their values', () => {
    const k8s = definitionOf('kubernetes')!;
    expect(connectionFormErrors(k8s, { server: 'https://k8s.example', meshsync_deployment_mode: 'cluster' })).toEqual([]);
    const errors = connectionFormErrors(k8s, { server: 'not a url', meshsync_deployment_mode: 'sideways' });
    expect(errors.map((e) => e.field).sort()).toEqual(['metadata.meshsync_deployment_mode', 'metadata.server']);
    expect(JSON.stringify(errors)).not.toContain('sideways');
    expect(connectionFormErrors(definitionOf('prometheus')!, {})).toEqual([{ field: 'metadata.url', reasons: [expect.any(String)] }]);
  });

  it('accepts one of the ways to authenticate, and refuses unknown fields', () => {
    const k8s = definitionOf('kubernetes')!;
    expect(credentialFormErrors(k8s, { token: 'abc' })).toEqual([]);
    expect(credentialFormErrors(k8s, { client_certificate: 'c', client_key: 'k', certificate_authority: 'ca' })).toEqual([]);
    expect(credentialFormErrors(k8s, {})).not.toEqual([]);
    const unknown = credentialFormErrors(k8s, { token: 'hunter2', colour: 'blue' });
    expect(unknown.length).toBeGreaterThan(0);
    expect(JSON.stringify(unknown)).not.toContain('hunter2');
    expect(credentialFormErrors(definitionOf('prometheus')!, {})).toEqual([]);
  });

  it("takes Meshery's Prometheus and Grafana forms: an API key or basic auth (and a token for Prometheus)", () => {
    const [prometheus, grafana] = [definitionOf('prometheus')!, definitionOf('grafana')!];
    for (const secret of [{ api_key: 'k' }, { token: 't' }, { username: 'u', password: 'p' }]) expect(credentialFormErrors(prometheus, secret)).toEqual([]);
    for (const secret of [{ api_key: 'k' }, { username: 'u', password: 'p' }]) expect(credentialFormErrors(grafana, secret)).toEqual([]);
    expect(credentialFormErrors(grafana, { token: 't' })).not.toEqual([]);
    expect(credentialFormErrors(prometheus, { username: 'u' })).not.toEqual([]);
  });

  it('derives connection ids as UUIDv5 of "<fingerprint>/<generation>", so stored streams keep their ids', () => {
    const fingerprint = fingerprintOf('org-a', 'prometheus', { url: 'http://prom:9090' });
    expect(connectionIdOf(fingerprint, 1)).toBe(uuidv5(`${fingerprint}/1`, '3d2f8a61-7c4e-5b90-9e1a-2f6d8c0b4a73'));
    expect(connectionIdOf(fingerprint, 1)).not.toBe(connectionIdOf(fingerprint, 0));
  });
});
