import { JSONCodec, type NatsConnection } from 'nats';
import { connectionEventSubject, INTEGRATION_STREAMS, type ConnectionEvent, type IntegrationEvent } from '@clp/contracts';
import { connectNats, ensureStream } from '@clp/messaging';
import { startNats, waitFor, type TestServer } from '@clp/testing';
import { startHealthMonitor, type RunningHealthMonitor } from './health-monitor.runtime';
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

  /** Probes that started in [from, to): each (connection, place in the cycle) at most once. */
  const probesBetween = (from: number, to: number) => seen.filter((o) => o.started_at >= from && o.started_at < to);

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
  }, 60_000);

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

    // Three whole cycles with both members stable.
    const t0 = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3 * settings.intervalMs + 500));
    const steady = probesBetween(t0 + 250, t0 + 250 + 3 * settings.intervalMs);
    const slots = new Map<string, number>();
    const owners = new Map<string, Set<string>>();
    const counts = new Map<string, number>();
    for (const o of steady) {
      const slot = `${o.connection_id}@${o.due_at}`;
      slots.set(slot, (slots.get(slot) ?? 0) + 1);
      owners.set(o.connection_id, (owners.get(o.connection_id) ?? new Set()).add(o.member));
      counts.set(o.connection_id, (counts.get(o.connection_id) ?? 0) + 1);
    }
    expect(Math.max(...slots.values())).toBe(1);
    expect(owners.size).toBe(CONNECTIONS);
    expect([...owners.values()].every((members) => members.size === 1)).toBe(true);
    // Three cycles of probes, give or take one at the window's edges (each probe moves by ± 10%).
    expect(Math.min(...counts.values())).toBeGreaterThanOrEqual(2);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(4);
    // Probes ran when they were due, not in a backlog: the scheduler keeps up with 10,000 a cycle.
    const late = steady.filter((o) => o.started_at - o.due_at > 250).length;
    expect(late / steady.length).toBeLessThan(0.01);

    // b stops (it leaves the bucket): a takes everything at its next renewal.
    await b.stop();
    await waitFor(() => a.monitor.ownedCount() === CONNECTIONS, { timeoutMs: MEMBER_TTL_MS * 2, message: 'a owns everything' });
    const handedOver = Date.now();
    await new Promise((resolve) => setTimeout(resolve, settings.intervalMs * 1.5));
    const afterLeave = probesBetween(handedOver, Date.now());
    expect(new Set(afterLeave.map((o) => o.connection_id)).size).toBe(CONNECTIONS);
    expect(afterLeave.every((o) => o.member === 'discovery-a')).toBe(true);

    // c joins, then dies without leaving (its NATS connection closed): its key expires and a takes its share back.
    const c = await startReplica('discovery-c');
    await waitFor(() => c.monitor.size === CONNECTIONS && a.monitor.ownedCount() + c.monitor.ownedCount() === CONNECTIONS, { timeoutMs: 20_000, message: 'c took a share' });
    expect(c.monitor.ownedCount()).toBeGreaterThan(CONNECTIONS * 0.4);
    const cReplica = replicas.find((r) => r.running === c)!;
    await cReplica.nc.close();
    void c.monitor.stop();
    const died = Date.now();
    await waitFor(() => a.monitor.ownedCount() === CONNECTIONS, { timeoutMs: MEMBER_TTL_MS * 4, message: 'a owns everything again' });
    expect(Date.now() - died).toBeLessThan(MEMBER_TTL_MS * 3);

    // Over the whole run, no (connection, place in the cycle) was probed twice, whoever owned it.
    const everySlot = new Map<string, number>();
    for (const o of seen) everySlot.set(`${o.connection_id}@${o.due_at}`, (everySlot.get(`${o.connection_id}@${o.due_at}`) ?? 0) + 1);
    const twice = [...everySlot.values()].filter((n) => n > 1).length;
    // Only at a membership change, for up to one renewal, may two replicas disagree on an owner.
    expect(twice / everySlot.size).toBeLessThan(0.02);
  }, 90_000);
});
