import { checkTargets, targetReports } from './configured-targets';

const now = new Date('2026-01-01T00:00:00Z');

describe('configured targets', () => {
  it('become discovery reports named after kind and host, in the configured organization', () => {
    const [report] = targetReports([{ kind: 'prometheus', url: 'http://127.0.0.1:9090' }], 'acme', now);
    expect(report).toEqual({
      type: 'ConnectionDiscovered',
      data: { organization_id: 'acme', kind: 'prometheus', name: 'prometheus-127.0.0.1:9090', metadata: { url: 'http://127.0.0.1:9090' }, source: 'configured-target' },
      metadata: { event_id: expect.stringMatching(/^[0-9a-f-]{36}$/), occurred_at: now.toISOString() },
    });
  });

  it('have the same event id in every replica and restart, and another per organization, kind or resource', () => {
    const id = (kind: string, url: string, org = 'acme') => targetReports([{ kind, url }], org, new Date())[0].metadata.event_id;
    expect(id('prometheus', 'http://p:9090')).toBe(id('prometheus', 'HTTP://P:9090/'));
    expect(id('prometheus', 'http://p:9090')).not.toBe(id('prometheus', 'http://p:9090', 'other'));
    expect(id('prometheus', 'http://p:9090')).not.toBe(id('grafana', 'http://p:9090'));
    expect(id('prometheus', 'http://p:9090')).not.toBe(id('prometheus', 'http://q:9090'));
  });

  it('use the kind’s address field', () => {
    const [report] = targetReports([{ kind: 'kubernetes', url: 'https://k8s:6443' }], 'acme', now);
    expect(report.data.metadata).toEqual({ server: 'https://k8s:6443' });
  });

  it('accept every kind that has an address', () => {
    expect(() => checkTargets([{ kind: 'prometheus', url: 'http://a:9090' }, { kind: 'grafana', url: 'https://g.example/grafana' }])).not.toThrow();
  });

  it('refuse an unknown kind, a bad URL, or a secret in the URL, naming the target and never the secret', () => {
    expect(() => checkTargets([{ kind: 'prometeus', url: 'http://a:9090' }])).toThrow('DISCOVERY_TARGETS: prometeus=http://a:9090: unknown kind "prometeus"');
    expect(() => checkTargets([{ kind: 'meshery', url: 'http://a' }])).toThrow('unknown kind "meshery"');
    expect(() => checkTargets([{ kind: 'grafana', url: 'not a url' }])).toThrow('DISCOVERY_TARGETS: grafana=not a url: not a URL');
    expect(() => checkTargets([{ kind: 'grafana', url: 'ftp://g' }])).toThrow('only http:// and https://');
    let message = '';
    try {
      checkTargets([{ kind: 'prometheus', url: 'http://admin:hunter2@p:9090' }]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('credentials in the URL are not accepted');
    expect(message).not.toContain('hunter2');
  });
});
