/**
 * `npm run bench:probes [-- --n 10000]` (or `BENCH_N=…`): how punctually the health monitor's
 * scheduler starts its probes when two replicas share N connections. A benchmark, not a test:
 * lateness measures the machine as much as the scheduler, so the replicas test
 * (`apps/discovery/src/health-monitor/replicas.int.spec.ts`) asserts what holds under any load
 * (one owner, one probe per place in the cycle, never early) and this prints how late.
 *
 * It starts its own `nats-server` (temporary directory, free port), puts N registered connections
 * on the integration stream as the registry's relay would, and runs two health monitor replicas in
 * this process with probes that pass at once (the probes are not the point), a 3 s interval and
 * ± 10 % jitter. It waits until every connection was probed three times, then stops everything.
 *
 * The last line of the output is one JSON object:
 * `{"probes":…,"late_over_250ms_pct":…,"late_p50_ms":…,"late_p99_ms":…,"late_max_ms":…}`.
 */
import { JSONCodec } from 'nats';
import { connectionEventSubject, INTEGRATION_STREAMS, type ConnectionEvent, type IntegrationEvent } from '@clp/contracts';
import { connectNats, ensureStream } from '@clp/messaging';
import { startNats } from '@clp/testing';
import { startHealthMonitor, type RunningHealthMonitor } from '../../apps/discovery/src/health-monitor/health-monitor.runtime';
import type { ProbeObservation } from '../../apps/discovery/src/health-monitor/ports';
import { parseN, waitUntil } from './bench-helpers';

const N = parseN(process.argv.slice(2), process.env.BENCH_N, 10_000);
const CYCLES = 3;
const settings = { intervalMs: 3000, jitter: 0.1, concurrency: 256, failuresToDisconnect: 2, successesToReconnect: 1 };
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 600_000);
const codec = JSONCodec();
const quiet = { log: () => undefined, warn: () => undefined, debug: () => undefined };
const log = (line: string) => process.stdout.write(`${line}\n`);
const idOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

const registeredEvent = (i: number): IntegrationEvent<ConnectionEvent> => ({
  type: 'ConnectionRegistered',
  data: {
    connection_id: idOf(i),
    organization_id: 'org-bench',
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
  metadata: { event_id: idOf(i), occurred_at: new Date().toISOString(), correlation_id: idOf(i), causation_id: null, actor: { type: 'user', id: 'bench' }, schema_version: 1 },
  stream: `connection-${idOf(i)}`,
  revision: '1',
});

const percentile = (sorted: number[], p: number): number => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);

const main = async () => {
  const nats = await startNats();
  const seed = await connectNats({ servers: nats.url, name: 'bench-seed' });
  const replicas: Array<{ stop(): Promise<void> }> = [];
  try {
    await ensureStream(await seed.jetstreamManager(), INTEGRATION_STREAMS.connections);
    const js = seed.jetstream();
    await Promise.all(
      Array.from({ length: N }, (_, i) => registeredEvent(i)).map((event) =>
        js.publish(connectionEventSubject('prometheus', event.type), codec.encode(event), { msgID: event.metadata.event_id }),
      ),
    );
    log(`seeded ${N.toLocaleString('en-US')} registered connections`);

    const seen: ProbeObservation[] = [];
    const monitors: Array<RunningHealthMonitor['monitor']> = [];
    for (const member of ['bench-a', 'bench-b']) {
      const nc = await connectNats({ servers: nats.url, name: member });
      const running = await startHealthMonitor(
        nc,
        { member, settings, memberTtlMs: 1500 },
        { prober: { probe: async () => ({ ok: true, checked_at: new Date().toISOString(), latency_ms: 0, check: 'bench' }) }, transitions: { request: async () => 'changed' } },
        quiet,
      );
      running.monitor.observe((observation) => seen.push(observation));
      replicas.push({ stop: async () => (await running.stop(), await nc.close()) });
      monitors.push(running.monitor);
    }
    await waitUntil(async () => monitors.reduce((owned, monitor) => owned + monitor.ownedCount(), 0) === N, { timeoutMs: TIMEOUT_MS, intervalMs: 100, message: 'the connections split' });

    const from = Date.now();
    const counts = new Map<string, number>();
    await waitUntil(
      async () => {
        counts.clear();
        for (const o of seen) if (o.started_at >= from) counts.set(o.connection_id, (counts.get(o.connection_id) ?? 0) + 1);
        return counts.size === N && Math.min(...counts.values()) >= CYCLES;
      },
      { timeoutMs: TIMEOUT_MS, intervalMs: 200, message: `every connection probed ${CYCLES} times` },
    );
    const measured = seen.filter((o) => o.started_at >= from);
    const late = measured.map((o) => o.started_at - o.due_at).sort((x, y) => x - y);
    const result = {
      probes: measured.length,
      late_over_250ms_pct: Number(((100 * late.filter((ms) => ms > 250).length) / late.length).toFixed(2)),
      late_p50_ms: percentile(late, 0.5),
      late_p99_ms: percentile(late, 0.99),
      late_max_ms: percentile(late, 1),
    };
    log(`${result.probes.toLocaleString('en-US')} probes in ${((Date.now() - from) / 1000).toFixed(1)} s by two replicas`);
    log(`started late by: p50 ${result.late_p50_ms} ms, p99 ${result.late_p99_ms} ms, max ${result.late_max_ms} ms; ${result.late_over_250ms_pct} % more than 250 ms`);
    log(JSON.stringify(result));
  } finally {
    for (const replica of replicas) await replica.stop().catch(() => undefined);
    await seed.close();
    await nats.stop();
  }
};

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
