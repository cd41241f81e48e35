import type { ConnectionEvent, ProbeResult, Status } from '@clp/contracts';
import { HealthMonitor, type HealthMonitorSettings } from './health-monitor';
import type { ConnectivityProber, ProbeObservation, TransitionRequester } from './ports';
import type { WatchedConnection } from './watched-connection';

const settings: HealthMonitorSettings = { intervalMs: 1000, jitter: 0.1, concurrency: 64, failuresToDisconnect: 2, successesToReconnect: 1 };
const quiet = { log: () => undefined, warn: () => undefined, debug: () => undefined };
const idOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

const registered = (i: number, status: 'registered' | 'connected' | 'not found' = 'registered'): ConnectionEvent => ({
  type: 'ConnectionRegistered',
  data: {
    connection_id: idOf(i),
    organization_id: 'org',
    kind: 'prometheus',
    type: 'observability',
    sub_type: 'monitoring',
    name: `p${i}`,
    fingerprint: `f${i}`,
    identity: {},
    metadata: { url: `http://p${i}:9090` },
    credential_id: null,
    status,
  },
});
const changed = (i: number, from: Status, to: Status, cause: 'user' | 'system'): ConnectionEvent => ({
  type: 'StatusChanged',
  data: { connection_id: idOf(i), organization_id: 'org', kind: 'prometheus', name: `p${i}`, from, to, cause, actor: 'a', reason: 'r' },
});

/** A prober whose answer the test sets, which takes `latencyMs` and counts what is in flight. */
const fakeProber = (latencyMs = 5) => {
  const state = { ok: true, inFlight: 0, maxInFlight: 0, overlapped: false };
  const probing = new Set<string>();
  const prober: ConnectivityProber = {
    async probe(connection): Promise<ProbeResult> {
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      if (probing.has(connection.connection_id)) state.overlapped = true;
      probing.add(connection.connection_id);
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
      probing.delete(connection.connection_id);
      state.inFlight--;
      return { ok: state.ok, checked_at: new Date().toISOString(), latency_ms: latencyMs, check: 'fake', ...(state.ok ? {} : { error: 'down' }) };
    },
  };
  return { prober, state };
};

const recordingTransitions = () => {
  const requests: Array<{ id: string; to: Status; probe: ProbeResult }> = [];
  const transitions: TransitionRequester = {
    async request(connection: WatchedConnection, to: Status, _reason: string, probe: ProbeResult) {
      requests.push({ id: connection.connection_id, to, probe });
      return 'changed';
    },
  };
  return { transitions, requests };
};

const monitorWith = (member: string, prober: ConnectivityProber, transitions: TransitionRequester, overrides: Partial<HealthMonitorSettings> = {}) => {
  const monitor = new HealthMonitor(member, { ...settings, ...overrides }, prober, transitions, quiet);
  const seen: ProbeObservation[] = [];
  monitor.observe((observation) => seen.push(observation));
  return { monitor, seen };
};

/** Stops, letting the fake clock run the probes in flight to their end. */
const stop = async (monitor: HealthMonitor) => {
  const stopped = monitor.stop();
  await jest.advanceTimersByTimeAsync(2000);
  await stopped;
};

describe('the health monitor (fake clock)', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00.250Z') }));
  afterEach(() => jest.useRealTimers());

  it('probes nothing until the stream has been replayed, then each connection once per cycle', async () => {
    const { prober } = fakeProber();
    const { monitor, seen } = monitorWith('a', prober, recordingTransitions().transitions);
    for (let i = 0; i < 1000; i++) monitor.apply(registered(i));
    await jest.advanceTimersByTimeAsync(3000);
    expect(seen).toHaveLength(0);

    monitor.start();
    await jest.advanceTimersByTimeAsync(10_000);
    const perConnection = new Map<string, number[]>();
    for (const o of seen) perConnection.set(o.connection_id, [...(perConnection.get(o.connection_id) ?? []), o.started_at]);
    expect(perConnection.size).toBe(1000);
    for (const times of perConnection.values()) {
      expect(times.length).toBeGreaterThanOrEqual(9);
      expect(times.length).toBeLessThanOrEqual(11);
      for (let k = 1; k < times.length; k++) {
        expect(times[k] - times[k - 1]).toBeGreaterThanOrEqual(settings.intervalMs * 0.8 - 1);
        expect(times[k] - times[k - 1]).toBeLessThanOrEqual(settings.intervalMs * 1.2 + 10);
      }
    }
    await stop(monitor);
  });

  it('keeps at most `concurrency` probes in flight, and one per connection', async () => {
    const { prober, state } = fakeProber(1500);
    const { monitor, seen } = monitorWith('a', prober, recordingTransitions().transitions, { concurrency: 5 });
    for (let i = 0; i < 100; i++) monitor.apply(registered(i));
    monitor.start();
    await jest.advanceTimersByTimeAsync(5000);
    expect(state.maxInFlight).toBe(5);
    expect(state.overlapped).toBe(false);
    expect(seen.length).toBeGreaterThan(0);
    await stop(monitor);
  });

  it('does not start a probe of a connection whose last probe is still running', async () => {
    const { prober, state } = fakeProber(2500);
    const { monitor, seen } = monitorWith('a', prober, recordingTransitions().transitions);
    monitor.apply(registered(1));
    monitor.start();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(state.overlapped).toBe(false);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    await stop(monitor);
  });

  it('never probes maintenance, ignored, or what a person disconnected', async () => {
    const { prober } = fakeProber();
    const { monitor, seen } = monitorWith('a', prober, recordingTransitions().transitions);
    monitor.apply(registered(1, 'connected'));
    monitor.apply(changed(1, 'connected', 'maintenance', 'user'));
    monitor.apply(registered(2, 'connected'));
    monitor.apply(changed(2, 'connected', 'disconnected', 'user'));
    monitor.apply(registered(3));
    monitor.apply(changed(3, 'registered', 'ignored', 'user'));
    monitor.apply(registered(4, 'connected'));
    monitor.apply(changed(4, 'connected', 'disconnected', 'system'));
    monitor.start();
    await jest.advanceTimersByTimeAsync(5000);
    expect(new Set(seen.map((o) => o.connection_id))).toEqual(new Set([idOf(4)]));

    // Out of maintenance by a person: probed again from its next place in the cycle.
    monitor.apply(changed(1, 'maintenance', 'connected', 'user'));
    await jest.advanceTimersByTimeAsync(2500);
    expect(seen.some((o) => o.connection_id === idOf(1))).toBe(true);
    await stop(monitor);
  });

  it('requests the transition after N failures in a row, with the probe, and comes back after a success', async () => {
    const { prober, state } = fakeProber();
    const { transitions, requests } = recordingTransitions();
    const { monitor } = monitorWith('a', prober, transitions);
    monitor.apply(registered(1, 'connected'));
    monitor.start();
    state.ok = false;
    await jest.advanceTimersByTimeAsync(1250);
    expect(requests).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1000);
    expect(requests).toEqual([{ id: idOf(1), to: 'disconnected', probe: expect.objectContaining({ ok: false, error: 'down' }) }]);

    monitor.apply(changed(1, 'connected', 'disconnected', 'system'));
    await jest.advanceTimersByTimeAsync(3000);
    expect(requests).toHaveLength(1);
    state.ok = true;
    await jest.advanceTimersByTimeAsync(1250);
    expect(requests.map((r) => r.to)).toEqual(['disconnected', 'connected']);
    await stop(monitor);
  });

  it('shares the connections between members: each probed by one of them, once per cycle', async () => {
    const { prober } = fakeProber();
    const { transitions } = recordingTransitions();
    const a = monitorWith('a', prober, transitions);
    const b = monitorWith('b', prober, transitions);
    for (const { monitor } of [a, b]) {
      for (let i = 0; i < 300; i++) monitor.apply(registered(i));
      monitor.setMembers(['a', 'b']);
      monitor.start();
    }
    await jest.advanceTimersByTimeAsync(5000);
    const all = [...a.seen, ...b.seen];
    const bySlot = new Map<string, number>();
    for (const o of all) bySlot.set(`${o.connection_id}@${o.due_at}`, (bySlot.get(`${o.connection_id}@${o.due_at}`) ?? 0) + 1);
    expect(Math.max(...bySlot.values())).toBe(1);
    const owners = new Map<string, Set<string>>();
    for (const o of all) owners.set(o.connection_id, (owners.get(o.connection_id) ?? new Set()).add(o.member));
    expect(owners.size).toBe(300);
    for (const members of owners.values()) expect(members.size).toBe(1);
    expect(a.monitor.ownedCount() + b.monitor.ownedCount()).toBe(300);
    expect(a.monitor.ownedCount()).toBeGreaterThan(100);

    // b leaves: a takes everything, from each connection's next place, not twice in a cycle.
    await stop(b.monitor);
    a.monitor.setMembers(['a']);
    const from = Date.now();
    await jest.advanceTimersByTimeAsync(3000);
    const after = a.seen.filter((o) => o.started_at >= from);
    expect(new Set(after.map((o) => o.connection_id)).size).toBe(300);
    expect(a.monitor.ownedCount()).toBe(300);
    await stop(a.monitor);
  });
});
