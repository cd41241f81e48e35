import type { Status } from '@clp/contracts';
import { afterProbe, NO_STREAK, type AfterProbe, type HealthFacts, type ProbeStreak } from './health-rules';

const hysteresis = { failuresToDisconnect: 2, successesToReconnect: 1 };
const passed = { ok: true };
const failed = { ok: false, error: 'connection refused' };

/** given a connection and its streak, when a probe ends so, then the monitor does this. */
const given = (facts: Partial<HealthFacts> & { status: Status }, streak: ProbeStreak = NO_STREAK, settings = hysteresis) => ({
  when: (probe: { ok: boolean; error?: string }) => ({
    then: (expected: { request?: Status; streak?: ProbeStreak }): AfterProbe => {
      const decision = afterProbe({ auto_connect: false, ...facts }, streak, probe, settings);
      expect(decision.request?.to).toBe(expected.request);
      if (expected.streak) expect(decision.streak).toEqual(expected.streak);
      return decision;
    },
  }),
});

const failures = (n: number): ProbeStreak => ({ failures: n, successes: 0 });
const successes = (n: number): ProbeStreak => ({ failures: 0, successes: n });

describe('after a probe', () => {
  it('a discovered resource that answers is registered', () => {
    const decision = given({ status: 'discovered' }).when(passed).then({ request: 'registered', streak: successes(1) });
    expect(decision.request?.reason).toBe('health check passed');
  });

  it('a discovered resource is not found only after N failures in a row', () => {
    given({ status: 'discovered' }).when(failed).then({ request: undefined, streak: failures(1) });
    const decision = given({ status: 'discovered' }, failures(1)).when(failed).then({ request: 'not found', streak: failures(2) });
    expect(decision.request?.reason).toBe('health check failed 2 times in a row: connection refused');
  });

  it('registered goes to not found after N failures; a success leaves it registered', () => {
    given({ status: 'registered' }, failures(1)).when(failed).then({ request: 'not found' });
    given({ status: 'registered' }).when(passed).then({ request: undefined });
  });

  it('registered of an auto-connect kind is connected by a success (note 1)', () => {
    given({ status: 'registered', auto_connect: true }).when(passed).then({ request: 'connected' });
  });

  it('connected: one failure is a blip, N in a row disconnect it', () => {
    given({ status: 'connected' }).when(failed).then({ request: undefined, streak: failures(1) });
    given({ status: 'connected' }, failures(1)).when(failed).then({ request: 'disconnected' });
    given({ status: 'connected' }, failures(5)).when(failed).then({ request: 'disconnected', streak: failures(6) });
  });

  it('a success in between starts the failures again', () => {
    given({ status: 'connected' }, failures(1)).when(passed).then({ request: undefined, streak: successes(1) });
    given({ status: 'connected' }, successes(3)).when(failed).then({ request: undefined, streak: failures(1) });
  });

  it('a connection the system disconnected comes back with M successes', () => {
    given({ status: 'disconnected', disconnected_by: 'system' }, failures(4)).when(passed).then({ request: 'connected', streak: successes(1) });
    const three = { ...hysteresis, successesToReconnect: 3 };
    given({ status: 'disconnected', disconnected_by: 'system' }, successes(1), three).when(passed).then({ request: undefined });
    const decision = given({ status: 'disconnected', disconnected_by: 'system' }, successes(2), three).when(passed).then({ request: 'connected' });
    expect(decision.request?.reason).toBe('health check passed 3 times in a row');
  });

  it('failures change nothing for what is already down', () => {
    given({ status: 'disconnected', disconnected_by: 'system' }, failures(9)).when(failed).then({ request: undefined });
    given({ status: 'not found' }, failures(9)).when(failed).then({ request: undefined });
  });

  it('not found is registered again once it answers', () => {
    given({ status: 'not found' }).when(passed).then({ request: 'registered' });
  });

  it("never reconnects a person's disconnect, never touches maintenance, ignored or deleted", () => {
    given({ status: 'disconnected', disconnected_by: 'user' }).when(passed).then({ request: undefined });
    for (const status of ['maintenance', 'ignored', 'deleted'] as const) {
      given({ status }, failures(5)).when(failed).then({ request: undefined });
      given({ status }).when(passed).then({ request: undefined });
    }
  });

  it('keeps a long error short in the reason', () => {
    const decision = given({ status: 'connected' }, failures(1)).when({ ok: false, error: 'x'.repeat(5000) }).then({ request: 'disconnected' });
    expect(decision.request!.reason.length).toBeLessThan(1000);
  });
});
