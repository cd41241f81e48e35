import { configFromEnv, parseTargets } from './config';

describe('discovery configuration', () => {
  it('reads DISCOVERY_TARGETS as kind=url pairs', () => {
    expect(parseTargets(' prometheus=http://127.0.0.1:9090 , grafana=http://g:3000/path?x=1 ')).toEqual([
      { kind: 'prometheus', url: 'http://127.0.0.1:9090' },
      { kind: 'grafana', url: 'http://g:3000/path?x=1' },
    ]);
    expect(parseTargets(undefined)).toEqual([]);
  });

  it('refuses a malformed target or number, naming it', () => {
    expect(() => parseTargets('prometheus')).toThrow('"prometheus" is not kind=url');
    expect(() => configFromEnv({ CONNECTIVITY_TIMEOUT_MS: 'soon' })).toThrow('CONNECTIVITY_TIMEOUT_MS');
  });
});
