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

  it('reads the health monitor’s settings, with defaults for a 60 s cycle', () => {
    expect(configFromEnv({}).health).toEqual({
      enabled: true,
      intervalMs: 60_000,
      jitter: 0.1,
      concurrency: 256,
      failuresToDisconnect: 2,
      successesToReconnect: 1,
      memberTtlMs: 6000,
    });
    const health = configFromEnv({ HEALTH_MONITOR: 'OFF', HEALTH_INTERVAL_MS: '400', HEALTH_JITTER_PERCENT: '0', HEALTH_FAILURES_TO_DISCONNECT: '3' }).health;
    expect(health).toMatchObject({ enabled: false, intervalMs: 400, jitter: 0, failuresToDisconnect: 3 });
  });

  it('refuses health settings that would break the schedule or the hysteresis', () => {
    expect(() => configFromEnv({ HEALTH_JITTER_PERCENT: '50' })).toThrow('HEALTH_JITTER_PERCENT must be at most 40');
    expect(() => configFromEnv({ HEALTH_INTERVAL_MS: '10' })).toThrow('HEALTH_INTERVAL_MS must be an integer of at least 100');
    expect(() => configFromEnv({ HEALTH_FAILURES_TO_DISCONNECT: '0' })).toThrow('HEALTH_FAILURES_TO_DISCONNECT');
    expect(() => configFromEnv({ HEALTH_MONITOR: 'maybe' })).toThrow('HEALTH_MONITOR must be on or off');
  });
});
