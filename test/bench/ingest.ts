/**
 * `npm run bench:ingest [-- --n 20000]` (or `BENCH_N=…`): the registry's discovery intake, end to
 * end, against raw JetStream publishing on the same server. A benchmark, not a test.
 *
 * It starts its own `nats-server` and `redis-server` (temporary directories, free ports) and the
 * registry as production runs it, in its own process (`BENCH_REPLICAS` of them, default 1, in one
 * queue group), and stops them all before it exits.
 *
 * 1. raw: N publishes, each on its own subject of a separate stream with
 *    `expect: { lastSubjectSequence: 0 }` (what an append to a new event stream sends), many in
 *    flight at once, timed until the last acknowledgement: once through the NATS client's
 *    `js.publish` (the reference, `raw_per_s`: JetStream publishing as any client does it) and once
 *    through the event store's pipelined publisher (one reply subscription for all
 *    acknowledgements, our own optimization, part of what the ingest figure measures; shown beside).
 * 2. ingest: N distinct `ConnectionDiscovered` reports published to `DISCOVERY_EVENTS`, timed from
 *    the first publish until the read model counts N connections (`ZCARD` of the organization's
 *    `updated` index, read directly from Redis; checked once more through `list-connections`).
 *
 * Each phase also reports the CPU time per item of this process, the registries and the two servers.
 * `BENCH_CPU_PROFILE=<file>` runs one registry inside this process instead and writes a CPU profile
 * of the ingest phase; `INTAKE_CONCURRENCY` overrides the registry's default.
 *
 * The last line of the output is one JSON object: `{"ingest_per_s":…,"raw_per_s":…,"ratio":…}`.
 */
import 'reflect-metadata';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { discoveryEventSubject, INTEGRATION_STREAMS, SUBJECTS, type Caller, type ConnectionPage } from '@clp/contracts';
import { ensureStream, natsConnectionOptions, Requester } from '@clp/messaging';
import { startNats, startRedis, startService, type TestServer } from '@clp/testing';
import { configFromEnv } from '../../apps/connection-registry/src/config';
import { createRegistry, listenUntilAnswering } from '../../apps/connection-registry/src/registry';
import { report } from '../../apps/connection-registry/src/discovery-intake/discovery-reports.fixtures';
import { PipelinedPublisher } from '../../libs/event-store/src/jetstream/pipelined-publisher';
import { inWindow, measuredCpu, parseN, perItem, pidMentioning, profiled, rate, waitUntil } from './bench-helpers';

const N = parseN(process.argv.slice(2), process.env.BENCH_N, 20_000);
/** Publishes in flight at once, for both phases. */
const WINDOW = 1024;
const ORG = 'org-bench';
const VIEWER: Caller = { organization_id: ORG, user_id: 'bench', role: 'viewer' };
const PREFIX = 'registry:v1:';
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 600_000);
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 1);
const PROFILE = process.env.BENCH_CPU_PROFILE;

const log = (line: string) => process.stdout.write(`${line}\n`);

/** A payload the size of a `ConnectionDiscovered` commit envelope of the event store. */
const commitLike = (i: number): Uint8Array =>
  new TextEncoder().encode(
    JSON.stringify({
      commit_id: `00000000-0000-5000-8000-${String(i).padStart(12, '0')}`,
      stream: `connection-${i}`,
      events: [
        {
          type: 'ConnectionDiscovered',
          data: {
            connection_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
            organization_id: ORG,
            kind: 'prometheus',
            type: 'observability',
            sub_type: 'metrics',
            name: `prom-${i}`,
            fingerprint: 'f'.repeat(64),
            identity: { url: `http://prom-${i}.example:9090` },
            metadata: { url: `http://prom-${i}.example:9090` },
            credential_id: null,
            source: 'bench',
          },
          metadata: {
            event_id: `00000000-0000-5000-8000-${String(i).padStart(12, '0')}`,
            occurred_at: new Date().toISOString(),
            correlation_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
            causation_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
            actor: { type: 'system', id: 'discovery:bench' },
          },
        },
      ],
    }),
  );

type Publish = (subject: string, payload: Uint8Array) => Promise<unknown>;

/** N publishes on distinct subjects of a stream of their own, each expecting the subject to be new. */
const rawPublishing = async (nc: NatsConnection, name: string, publish: Publish): Promise<number> => {
  const jsm = await nc.jetstreamManager();
  const stream = `BENCH_RAW_${name.toUpperCase()}`;
  await ensureStream(jsm, { name: stream, subjects: [`bench.raw.${name}.>`] });
  const payloads = Array.from({ length: N }, (_, i) => commitLike(i));
  const started = performance.now();
  await inWindow(N, WINDOW, (i) => publish(`bench.raw.${name}.${i}`, payloads[i]));
  const seconds = (performance.now() - started) / 1000;
  const stored = (await jsm.streams.info(stream)).state.messages;
  if (stored !== N) throw new Error(`raw ${name}: ${stored} of ${N} messages stored`);
  await jsm.streams.delete(stream);
  return seconds;
};

const ingest = async (nc: NatsConnection, redis: Redis, publish: Publish): Promise<{ seconds: number; published: number }> => {
  const codec = JSONCodec();
  const reports = Array.from({ length: N }, (_, i) => codec.encode(report(i, ORG)));
  const subject = discoveryEventSubject('prometheus');
  const counted = () => redis.zcard(`${PREFIX}org:${ORG}:updated`);
  const started = performance.now();
  let published = 0;
  const publishing = inWindow(N, WINDOW, (i) => publish(subject, reports[i])).then(() => {
    published = (performance.now() - started) / 1000;
  });
  let lastLog = started;
  await waitUntil(
    async () => {
      const count = await counted();
      const now = performance.now();
      if (now - lastLog >= 2000) {
        lastLog = now;
        const jsm = await nc.jetstreamManager();
        const intake = await jsm.consumers.info(INTEGRATION_STREAMS.discovery.name, 'connection-registry-intake');
        const commits = (await jsm.streams.info('ES_REGISTRY')).state.messages;
        log(
          `  … after ${((now - started) / 1000).toFixed(1)} s: ${intake.ack_floor.stream_seq} reports acked, ${commits} commits in the event store, ${count} of ${N} in the read model`,
        );
      }
      return count >= N;
    },
    { timeoutMs: TIMEOUT_MS, intervalMs: 20, message: `${N} connections in the read model` },
  );
  const seconds = (performance.now() - started) / 1000;
  await publishing;
  const total = await counted();
  if (total !== N) throw new Error(`ingest: ${total} connections in the read model, expected ${N}`);
  return { seconds, published };
};

/** The registries under test: their own processes, or with BENCH_CPU_PROFILE one in this process, to profile it. */
const startRegistries = async (nats: TestServer, redis: TestServer): Promise<{ what: string; pids: Record<string, number>; stop(): Promise<void> }> => {
  const masterKey = randomBytes(32).toString('base64');
  if (PROFILE) {
    const app = await createRegistry(
      { ...configFromEnv(), natsUrl: nats.url, redisUrl: redis.url, instanceName: 'bench-registry', readModelPrefix: PREFIX, credentialsMasterKey: masterKey },
      ['error', 'warn'],
    );
    await listenUntilAnswering(app);
    return { what: `one replica in this process (profiling to ${PROFILE})`, pids: {}, stop: () => app.close() };
  }
  const services = await Promise.all(
    Array.from({ length: REPLICAS }, (_, i) =>
      startService({
        name: `registry-${i + 1}`,
        entry: 'apps/connection-registry/src/main.ts',
        env: { NATS_URL: nats.url, REDIS_URL: redis.url, INSTANCE_NAME: `registry-${i + 1}`, REGISTRY_READ_MODEL_PREFIX: PREFIX, CREDENTIALS_MASTER_KEY: masterKey },
        ready: new RegExp(`registry-${i + 1} listening`),
      }),
    ),
  );
  return {
    what: `${REPLICAS} replica(s), each its own process (apps/connection-registry/src/main.ts through ts-node), INTAKE_CONCURRENCY ${configFromEnv().intakeConcurrency}`,
    pids: Object.fromEntries(services.map((service) => [service.name, service.pid])),
    stop: async () => {
      await Promise.all(services.map((service) => service.stop()));
    },
  };
};

const main = async () => {
  const started: Array<{ stop(): Promise<void> }> = [];
  let stopRegistries: (() => Promise<void>) | undefined;
  let nc: NatsConnection | undefined;
  let redis: Redis | undefined;
  let publisher: PipelinedPublisher | undefined;
  try {
    const [nats, redisServer] = await Promise.all([startNats(), startRedis()]);
    started.push(nats, redisServer);
    const pids: Record<string, number | undefined> = { 'nats-server': await pidMentioning(nats.dir), 'redis-server': await pidMentioning(`:${redisServer.port}`) };
    log(`bench:ingest: N = ${N}, ${WINDOW} publishes in flight, ${cpus().length} CPUs`);
    log(
      `servers: this run started its own nats-server (${nats.url}, JetStream on disk in ${nats.dir}) and redis-server (${redisServer.url}, no persistence)`,
    );

    // The registry's own connection settings.
    const client = await connect(natsConnectionOptions({ servers: nats.url, name: 'bench-ingest' }));
    nc = client;
    const reader = new Redis(redisServer.url);
    redis = reader;
    const js = client.jetstream();
    const pipelined = new PipelinedPublisher(client);
    publisher = pipelined;

    // Raw: the publish an append to a new event stream makes, many in flight. The reference is the
    // client's own `js.publish`; the event store's pipelined publisher is shown beside it.
    const rawPerS: Record<string, number> = {};
    for (const [name, what, publish] of [
      ['js', 'js.publish', (subject, payload) => js.publish(subject, payload, { expect: { lastSubjectSequence: 0 } })],
      ['pipelined', 'the event store\'s pipelined publisher', (subject, payload) => pipelined.publish(subject, payload, { lastSubjectSequence: 0, timeoutMs: 30_000 })],
    ] as Array<[string, string, Publish]>) {
      const { result: seconds, cpuMs } = await measuredCpu(pids, () => rawPublishing(client, name, publish));
      rawPerS[name] = N / seconds;
      log(`raw JetStream (${what}): ${N} publishes, each expecting lastSubjectSequence=0 on its own subject, in ${seconds.toFixed(2)} s = ${rate(N / seconds)}/s; CPU per message: ${perItem(cpuMs, N)}`);
    }

    const registries = await startRegistries(nats, redisServer);
    stopRegistries = registries.stop;
    Object.assign(pids, registries.pids);
    log(`registry: ${registries.what}`);
    await ensureStream(await nc.jetstreamManager(), INTEGRATION_STREAMS.discovery);

    const { result, cpuMs } = await measuredCpu(pids, () => profiled(() => ingest(client, reader, (subject, payload) => pipelined.publish(subject, payload, { timeoutMs: 30_000 }))));
    const ingestPerS = N / result.seconds;
    log(
      `ingest: ${N} ConnectionDiscovered published in ${result.published.toFixed(2)} s, all ${N} in the read model after ${result.seconds.toFixed(2)} s = ${rate(ingestPerS)} connections/s; CPU per connection: ${perItem(cpuMs, N)} (node: this benchmark's publisher, and the registry when profiled)`,
    );

    const jsm = await nc.jetstreamManager();
    const relayed = (await jsm.streams.info(INTEGRATION_STREAMS.connections.name)).state.messages;
    const page = (await new Requester(nc, { timeoutMs: 10_000 }).send(SUBJECTS.registry.listConnections, { caller: VIEWER, pagesize: 1 })) as {
      result?: ConnectionPage;
    };
    log(`check: list-connections counts ${page.result?.total_count} connections; ${relayed} events relayed to ${INTEGRATION_STREAMS.connections.name}`);
    if (page.result?.total_count !== N) throw new Error(`list-connections counts ${page.result?.total_count}, expected ${N}`);

    const ratio = ingestPerS / rawPerS.js;
    log(`ratio ingest / raw: ${ratio.toFixed(3)} (against the pipelined publisher: ${(ingestPerS / rawPerS.pipelined).toFixed(3)}); target on 2 cores: ingest >= 5,000/s, ratio >= 0.3`);
    log(JSON.stringify({ ingest_per_s: Math.round(ingestPerS), raw_per_s: Math.round(rawPerS.js), ratio: Number(ratio.toFixed(3)) }));
  } finally {
    await stopRegistries?.().catch((error: Error) => log(`registry stop failed: ${error.message}`));
    publisher?.close();
    await nc?.close().catch(() => undefined);
    redis?.disconnect();
    await Promise.all(started.map((server) => server.stop().catch(() => undefined)));
  }
};

main().then(
  () => {
    // Exiting kills any child process a failure left behind (the testing library's exit hook).
    process.exit(0);
  },
  (error: Error) => {
    process.stderr.write(`bench:ingest failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
