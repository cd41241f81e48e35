import { JSONCodec, type NatsConnection } from 'nats';
import { connectionEventSubject, INTEGRATION_STREAMS, type ConnectionEvent, type IntegrationEvent } from '@clp/contracts';
import { connectNats, ensureStream } from '@clp/messaging';
import { CONDITION_TIMEOUT_MS, SETUP_TIMEOUT_MS, startNats, waitFor, type TestServer } from '@clp/testing';
import { startHealthMonitor, type RunningHealthMonitor } from './health-monitor.runtime';
import { probeSlot, unitHash } from './schedule';
import type { ConnectivityProber, ProbeObservation, TransitionRequester } from './ports';

const codec = JSONCodec();
const quiet = { log: () => undefined, warn: () => undefined, debug: () => undefined };
const CONNECTIONS = 10_000;
const settings = { intervalMs: 3000, jitter: 0.1, concurrency: 256, failuresToDisconnect: 2, successesToReconnect: 1 };
const MEMBER_TTL_MS = 1500;
const idOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** A connection as the registry's relay would have put it on the bus: registered, so a passing probe asks for nothing. */
const registeredEvent = (i: number): IntegrationEvent<ConnectionEvent> => ({
  type: 'ConnectionRegistered',
  data: {
    connection_id: idOf(i),
    organization_id: 'org-r',
    kind: 'prometheus',
    type: 'observability',
    sub_type: 'monitoring',
    name: `p${i}`,
    fingerprint: `f${i}`,
    identity: { url: `http://p${i}:9090` },
    metadata: { url: `http://p${i}:9090` },
    credential_id: null,
    status: 'registered',
  },
  metadata: {
    event_id: idOf(i),
    occurred_at: new Date().toISOString(),
    correlation_id: idOf(i),
    causation_id: null,
    actor: { type: 'user', id: 'seed' },
    schema_version: 1,
  },
  stream: `connection-${idOf(i)}`,
  revision: '1',
});

// The probes themselves are not the point here (the lifecycle suite runs real ones): every one passes at once.
const passing: ConnectivityProber = { probe: async () => ({ ok: true, checked_at: new Date().toISOString(), latency_ms: 0, check: 'fake' }) };
const nothingAsked: TransitionRequester = { request: async () => 'changed' };

describe('health monitor replicas sharing 10,000 connections (real NATS: the stream, the membership bucket)', () => {
  let nats: TestServer;
  let nc: NatsConnection;
  const replicas: Array<{ nc: NatsConnection; running: RunningHealthMonitor }> = [];
  const seen: ProbeObservation[] = [];

  const startReplica = async (member: string) => {
    const own = await connectNats({ servers: nats.url, name: member });
    const running = await startHealthMonitor(own, { member, settings, memberTtlMs: MEMBER_TTL_MS }, { prober: passing, transitions: nothingAsked }, quiet);
    running.monitor.observe((observation) => seen.push(observation));
    replicas.push({ nc: own, running });
    return running;
  };

  /** Probes that started in [from, to). */
  const probesBetween = (from: number, to: number) => seen.filter((o) => o.started_at >= from && o.started_at < to);

  /** Resolves once every connection has been probed `times` times since `since`. */
  const probedTimes = (times: number, since: number) =>
    waitFor(
      () => {
        const counts = new Map<string, number>();
        for (const o of probesBetween(since, Infinity)) counts.set(o.connection_id, (counts.get(o.connection_id) ?? 0) + 1);
        return counts.size === CONNECTIONS && Math.min(...counts.values()) >= times;
      },
      { timeoutMs: SETUP_TIMEOUT_MS, intervalMs: 200, message: `every connection probed ${times} times` },
    );

  const isSlotOf = (o: ProbeObservation) => {
    const cycle = Math.round(o.due_at / settings.intervalMs - unitHash(o.connection_id));
    return [cycle - 1, cycle, cycle + 1].some((k) => probeSlot(o.connection_id, k, settings) === o.due_at);
  };

  beforeAll(async () => {
    nats = await startNats();
    nc = await connectNats({ servers: nats.url, name: 'seed' });
    await ensureStream(await nc.jetstreamManager(), INTEGRATION_STREAMS.connections);
    const js = nc.jetstream();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, (_, i) => registeredEvent(i)).map((event) =>
        js.publish(connectionEventSubject('prometheus', event.type), codec.encode(event), { msgID: event.metadata.event_id }),
      ),
    );
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    for (const { nc: own, running } of replicas) {
      await running.stop().catch(() => undefined);
      await own.close().catch(() => undefined);
    }
    await nc?.close();
    await nats?.stop();
  });

  it('each connection is probed by one replica, once per cycle; a replica leaving or dying hands its share over', async () => {
    const a = await startReplica('discovery-a');
    const b = await startReplica('discovery-b');
    await waitFor(() => a.monitor.size === CONNECTIONS && b.monitor.size === CONNECTIONS, { timeoutMs: 20_000, message: 'both replayed the stream' });
    await waitFor(() => a.monitor.ownedCount() + b.monitor.ownedCount() === CONNECTIONS, { timeoutMs: 5000, message: 'the connections split' });
    expect(Math.min(a.monitor.ownedCount(), b.monitor.ownedCount())).toBeGreaterThan(CONNECTIONS * 0.4);

    // Three whole cycles with both members stable: every connection probed three times (however long that takes on a busy machine).
    const t0 = Date.now();
    await probedTimes(3, t0);
    const steady = probesBetween(t0, Date.now());
    const slots = new Map<string, number>();
    const owners = new Map<string, Set<string>>();
    for (const o of steady) {
      const slot = `${o.connection_id}@${o.due_at}`;
      slots.set(slot, (slots.get(slot) ?? 0) + 1);
      owners.set(o.connection_id, (owners.get(o.connection_id) ?? new Set()).add(o.member));
    }
    expect(Math.max(...slots.values())).toBe(1);
    expect(owners.size).toBe(CONNECTIONS);
    expect([...owners.values()].every((members) => members.size === 1)).toBe(true);
    // Each probe at a place of the connection's cycle (the same in every replica), never before it is due.
    expect(steady.filter((o) => !isSlotOf(o)).length).toBe(0);
    expect(steady.filter((o) => o.started_at < o.due_at).length).toBe(0);
    // How late probes start is a measure of the machine as much as of the scheduler: printed, not asserted.
    const late = steady.filter((o) => o.started_at - o.due_at > 250).length;
    console.log(`${steady.length} probes in ${((Date.now() - t0) / 1000).toFixed(1)} s with two replicas; ${((100 * late) / steady.length).toFixed(2)} % started more than 250 ms late`);

    // b stops (it leaves the bucket): a takes everything at its next renewal, and probes every connection alone.
    const leaving = Date.now();
    await b.stop();
    await waitFor(() => a.monitor.ownedCount() === CONNECTIONS, { timeoutMs: CONDITION_TIMEOUT_MS, message: 'a owns everything' });
    const handedOver = Date.now();
    await probedTimes(1, handedOver);
    const afterLeave = probesBetween(handedOver, Date.now());
    expect(new Set(afterLeave.map((o) => o.connection_id)).size).toBe(CONNECTIONS);
    expect(afterLeave.every((o) => o.member === 'discovery-a')).toBe(true);

    // c joins, then dies without leaving (its NATS connection closed): its key expires and a takes its share back.
    const joined = Date.now();
    const c = await startReplica('discovery-c');
    await waitFor(() => c.monitor.size === CONNECTIONS && a.monitor.ownedCount() + c.monitor.ownedCount() === CONNECTIONS, { timeoutMs: CONDITION_TIMEOUT_MS, message: 'c took a share' });
    const shared = Date.now();
    expect(c.monitor.ownedCount()).toBeGreaterThan(CONNECTIONS * 0.4);
    const cReplica = replicas.find((r) => r.running === c)!;
    const died = Date.now();
    await cReplica.nc.close();
    void c.monitor.stop();
    await waitFor(() => a.monitor.ownedCount() === CONNECTIONS, { timeoutMs: CONDITION_TIMEOUT_MS, message: 'a owns everything again' });
    const regained = Date.now();
    console.log(`a owned everything again ${regained - died} ms after c died (member TTL ${MEMBER_TTL_MS} ms)`);

    // Over the whole run, a (connection, place in the cycle) was probed twice only while the members
    // changed, before every replica agreed on the owners again.
    const everySlot = new Map<string, ProbeObservation[]>();
    for (const o of seen) everySlot.set(`${o.connection_id}@${o.due_at}`, [...(everySlot.get(`${o.connection_id}@${o.due_at}`) ?? []), o]);
    const changing = [
      [leaving, handedOver],
      [joined, shared],
      [died, regained],
    ];
    const duringChange = (o: ProbeObservation) => changing.some(([from, to]) => o.started_at >= from && o.started_at <= to);
    const twiceWhileStable = [...everySlot.values()].filter((probes) => probes.length > 1 && !probes.every(duringChange));
    expect(twiceWhileStable).toEqual([]);
  }, 5 * SETUP_TIMEOUT_MS);
});
