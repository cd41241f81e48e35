/**
 * `npm run bench:query [-- --n 100000]` (or `BENCH_N=…`): the gateway's list route under load, and
 * the latency of a status change from the HTTP request to the integration stream. A benchmark,
 * not a test.
 *
 * It starts its own `nats-server` and `redis-server` (temporary directories, free ports), and the
 * registry and the gateway as production runs them, each its own process; it stops them all
 * before it exits.
 *
 * 1. seed: N connections of every kind, spread over the statuses, appended to the registry's
 *    event store (one commit per connection, the decider's own events) and projected by the
 *    registry into its read model; timed until the read model holds all N and the relay has
 *    published every event.
 * 2. list: a closed loop of 32 connections for 10 s (autocannon) on
 *    `GET /api/integrations/connections?status=["connected"]&kind=["kubernetes"]&pagesize=25`.
 * 3. floor: the same load through `floor-services.ts`, the same hops and read-model code without
 *    NestJS, validation and authentication: what this machine allows, printed beside the product's
 *    figures to read them by.
 * 4. status: 1,000 `PUT /api/integrations/connections/{id}` `{"status":"maintenance"}` on
 *    registered connections, one after another, each timed from sending the request until its
 *    `StatusChanged` arrives on `connection.events.>` (a plain NATS subscriber of the
 *    `CONNECTION_EVENTS` subjects).
 *
 * The last line of the output is one JSON object:
 * `{"list_rps":…,"list_p50_ms":…,"list_p99_ms":…,"status_p50_ms":…,"status_p99_ms":…}`.
 */
import 'reflect-metadata';
import { JwtService } from '@nestjs/jwt';
import autocannon from 'autocannon';
import Redis from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { INTEGRATION_STREAMS, type ConnectionEvent, type Status } from '@clp/contracts';
import { connectionIdOf, fingerprintOf, KIND_DEFINITIONS } from '@clp/connection-definitions';
import { connectionDecider, type ConnectionCommand, type ConnectionState } from '@clp/connection-lifecycle';
import { JetStreamEventStore, toEnvelopes } from '@clp/event-store';
import { freePort, startNats, startRedis, startService, type RunningService, type TestServer } from '@clp/testing';
import { inWindow, measuredCpu, parseN, perItem, pidMentioning, rate, waitUntil } from './bench-helpers';

const N = parseN(process.argv.slice(2), process.env.BENCH_N, 100_000);
const ORG = 'org-bench';
const PREFIX = 'registry:v1:';
const LIST_CONNECTIONS = 32;
const LIST_SECONDS = Number(process.env.BENCH_LIST_SECONDS ?? 10);
const STATUS_CHANGES = 1000;
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 600_000);
const LIST_ROUTE = '/api/integrations/connections';
const LIST_QUERY = `?status=${encodeURIComponent('["connected"]')}&kind=${encodeURIComponent('["kubernetes"]')}&pagesize=25`;

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Where the seeded connections end up, by share: the paths the lifecycle allows to get there. */
const PATHS: Array<{ share: number; steps: Array<[Status, 'user' | 'system']> }> = [
  { share: 0.15, steps: [] },
  { share: 0.2, steps: [['registered', 'user']] },
  { share: 0.35, steps: [['registered', 'user'], ['connected', 'user']] },
  { share: 0.1, steps: [['ignored', 'user']] },
  { share: 0.05, steps: [['registered', 'user'], ['maintenance', 'user']] },
  { share: 0.1, steps: [['registered', 'user'], ['connected', 'user'], ['disconnected', 'system']] },
  { share: 0.05, steps: [['not found', 'system']] },
];

const pathOf = (i: number) => {
  let point = (i * 0.6180339887) % 1;
  for (const path of PATHS) {
    if (point < path.share) return path;
    point -= path.share;
  }
  return PATHS[0];
};

/** One connection's history, decided by the lifecycle's own decider, as one commit. */
const history = (i: number): { id: string; status: Status; events: ConnectionEvent[] } => {
  const definition = KIND_DEFINITIONS[i % KIND_DEFINITIONS.length];
  const url = `https://${definition.kind}-${i}.bench.example:8443`;
  const identity = Object.fromEntries(definition.identity.map((field) => [field, field === 'user' ? '' : url]));
  const fingerprint = fingerprintOf(ORG, definition.kind, identity);
  const id = connectionIdOf(fingerprint, 0);
  const now = new Date(Date.now() - (N - i) * 1000).toISOString();
  const meta = (type: 'user' | 'system') => ({ command_id: randomUUID(), now, actor: { type, id: 'bench' } });
  const commands: ConnectionCommand[] = [
    {
      type: 'DiscoverConnection',
      data: {
        connection_id: id,
        organization_id: ORG,
        kind: definition.kind,
        type: definition.type,
        sub_type: definition.sub_type,
        name: `${definition.kind}-${i}`,
        fingerprint,
        identity,
        metadata: { ...identity },
        credential_id: null,
        source: 'bench',
      },
      metadata: meta('system'),
    },
    ...pathOf(i).steps.map(
      ([to, cause]): ConnectionCommand => ({
        type: 'RequestTransition',
        data: { to, reason: 'bench', skip_connectivity_test: true, auto_connect: definition.auto_connect },
        metadata: meta(cause),
      }),
    ),
  ];
  let state: ConnectionState = connectionDecider.initialState();
  const events: ConnectionEvent[] = [];
  for (const command of commands) {
    const decided = connectionDecider.decide(command, state);
    state = decided.reduce(connectionDecider.evolve, state);
    events.push(...decided);
  }
  return { id, status: state.status as Status, events };
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

const seed = async (nc: NatsConnection, redis: Redis): Promise<{ seconds: number; registered: string[]; kubernetesConnected: number }> => {
  const store = await JetStreamEventStore.create(nc, { context: 'registry' });
  const registered: string[] = [];
  let kubernetesConnected = 0;
  let events = 0;
  const started = performance.now();
  try {
    await inWindow(N, 512, async (i) => {
      const { id, status, events: decided } = history(i);
      if (status === 'registered') registered.push(id);
      if (status === 'connected' && KIND_DEFINITIONS[i % KIND_DEFINITIONS.length].kind === 'kubernetes') kubernetesConnected++;
      events += decided.length;
      const commandId = randomUUID();
      await store.appendToStream(`connection-${id}`, toEnvelopes(decided, { command_id: commandId, now: new Date().toISOString(), actor: { type: 'system', id: 'bench' } }), {
        expectedRevision: 'no_stream',
      });
    });
  } finally {
    await store.close();
  }
  const jsm = await nc.jetstreamManager();
  await waitUntil(
    async () => {
      const [count, relayed] = await Promise.all([
        redis.zcard(`${PREFIX}org:${ORG}:updated`),
        jsm.streams.info(INTEGRATION_STREAMS.connections.name).then((info) => info.state.messages, () => 0),
      ]);
      // The server's own connection adds a few events of its own.
      return count >= N && relayed >= events;
    },
    { timeoutMs: TIMEOUT_MS, intervalMs: 100, message: `${N} connections in the read model and ${events} events relayed` },
  );
  return { seconds: (performance.now() - started) / 1000, registered, kubernetesConnected };
};

const listLoad = async (url: string, token?: string, path = LIST_ROUTE) => {
  const result = await autocannon({
    url: `${url}${path}${LIST_QUERY}`,
    connections: LIST_CONNECTIONS,
    duration: LIST_SECONDS,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`list load: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total };
};

/**
 * The same load on the same read model through `floor-services.ts`: the product's hops and
 * read-model code without NestJS, validation or authentication, what this machine allows.
 */
const floorLoad = async (common: Record<string, string>, pids: Record<string, number | undefined>) => {
  const port = await freePort();
  const env = { ...common, READ_MODEL_PREFIX: PREFIX, ORG, PORT: String(port) };
  const entry = 'test/bench/floor-services.ts';
  const floor = [
    await startService({ name: 'floor-responder', entry, env: { ...env, FLOOR_ROLE: 'responder' }, ready: /floor responder ready/ }),
    await startService({ name: 'floor-http', entry, env: { ...env, FLOOR_ROLE: 'http' }, ready: /floor http ready/ }),
  ];
  try {
    const { 'nats-server': nats, 'redis-server': redis } = pids;
    const measured = { http: floor[1].pid, responder: floor[0].pid, 'nats-server': nats, 'redis-server': redis };
    return await measuredCpu(measured, () => listLoad(`http://127.0.0.1:${port}`, undefined, '/floor/connections'));
  } finally {
    await Promise.all(floor.map((service) => service.stop()));
  }
};

const statusChanges = async (nc: NatsConnection, url: string, token: string, ids: string[]): Promise<number[]> => {
  const codec = JSONCodec<{ type: string; data: { connection_id: string; to: Status } }>();
  const waiting = new Map<string, () => void>();
  const subscription = nc.subscribe('connection.events.*.StatusChanged', {
    callback: (error, message) => {
      if (error) return;
      const event = codec.decode(message.data);
      if (event.data.to === 'maintenance') waiting.get(event.data.connection_id)?.();
    },
  });
  await nc.flush();
  const latencies: number[] = [];
  try {
    for (const id of ids) {
      const started = performance.now();
      const relayed = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no StatusChanged for ${id} within 10 s`)), 10_000);
        waiting.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      const response = await fetch(`${url}/api/integrations/connections/${id}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'maintenance' }),
      });
      if (!response.ok) throw new Error(`PUT ${id}: ${response.status} ${await response.text()}`);
      await relayed;
      latencies.push(performance.now() - started);
      waiting.delete(id);
    }
  } finally {
    subscription.unsubscribe();
  }
  return latencies;
};

const main = async () => {
  const servers: TestServer[] = [];
  const services: RunningService[] = [];
  let nc: NatsConnection | undefined;
  let redis: Redis | undefined;
  try {
    const [nats, redisServer] = await Promise.all([startNats(), startRedis()]);
    servers.push(nats, redisServer);
    log(`bench:query: N = ${N}, ${cpus().length} CPUs`);
    log(`servers: this run started its own nats-server (${nats.url}, JetStream on disk) and redis-server (${redisServer.url}, no persistence)`);
    const secret = randomBytes(32).toString('base64url');
    const port = await freePort();
    const common = { NATS_URL: nats.url, REDIS_URL: redisServer.url, NODE_ENV: 'production' };
    services.push(
      await startService({
        name: 'registry',
        entry: 'apps/connection-registry/src/main.ts',
        env: { ...common, INSTANCE_NAME: 'bench-registry', REGISTRY_READ_MODEL_PREFIX: PREFIX, CREDENTIALS_MASTER_KEY: randomBytes(32).toString('base64') },
        ready: /bench-registry listening/,
      }),
    );
    services.push(
      await startService({
        name: 'gateway',
        entry: 'apps/gateway/src/main.ts',
        env: { ...common, PORT: String(port), HOST: '127.0.0.1', AUTH_JWT_SECRET: secret },
        ready: /gateway listening on/,
      }),
    );
    const url = `http://127.0.0.1:${port}`;
    log(`services: the registry and the gateway (${url}), each its own process (ts-node), NODE_ENV=production`);
    const token = new JwtService({ secret }).sign({ sub: 'bench', org: ORG, role: 'operator' }, { algorithm: 'HS256', expiresIn: '1h' });

    nc = await connect({ servers: nats.url, name: 'bench-query' });
    redis = new Redis(redisServer.url);
    const seeded = await seed(nc, redis);
    log(
      `seed: ${N} connections (${seeded.kubernetesConnected} connected kubernetes) appended and projected in ${seeded.seconds.toFixed(1)} s; the relay has published every event`,
    );

    const pids = {
      gateway: services[1].pid,
      registry: services[0].pid,
      'nats-server': await pidMentioning(nats.dir),
      'redis-server': await pidMentioning(`:${redisServer.port}`),
    };
    const list = await measuredCpu(pids, () => listLoad(url, token));
    log(
      `list: GET ${LIST_ROUTE + decodeURIComponent(LIST_QUERY)}, ${LIST_CONNECTIONS} connections for ${LIST_SECONDS} s: ${list.result.total} requests, ${rate(list.result.rps)} req/s, p50 ${list.result.p50} ms, p99 ${list.result.p99} ms; CPU per request: ${perItem(list.cpuMs, list.result.total)} (node: autocannon)`,
    );

    const floor = await floorLoad(common, pids);
    log(
      `floor: the same load through the same hops and read-model code without NestJS, validation and authentication (test/bench/floor-services.ts): ${rate(floor.result.rps)} req/s, p50 ${floor.result.p50} ms, p99 ${floor.result.p99} ms; CPU per request: ${perItem(floor.cpuMs, floor.result.total)}`,
    );

    const ids = seeded.registered.slice(0, STATUS_CHANGES);
    if (ids.length < STATUS_CHANGES) throw new Error(`only ${ids.length} registered connections seeded`);
    const latencies = (await statusChanges(nc, url, token, ids)).sort((a, b) => a - b);
    const [p50, p99] = [percentile(latencies, 50), percentile(latencies, 99)];
    log(
      `status: ${latencies.length} PUT {"status":"maintenance"}, one after another, timed until StatusChanged is on connection.events.>: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${latencies.at(-1)?.toFixed(2)} ms`,
    );
    log('target on 2 cores: list p99 <= 20 ms at >= 2,000 req/s; status change p99 <= 20 ms');
    log(
      JSON.stringify({
        list_rps: Math.round(list.result.rps),
        list_p50_ms: list.result.p50,
        list_p99_ms: list.result.p99,
        status_p50_ms: Number(p50.toFixed(2)),
        status_p99_ms: Number(p99.toFixed(2)),
      }),
    );
  } finally {
    redis?.disconnect();
    await nc?.close().catch(() => undefined);
    await Promise.all(services.map((service) => service.stop().catch(() => undefined)));
    await Promise.all(servers.map((server) => server.stop().catch(() => undefined)));
  }
};

main().then(
  // Exiting kills any child process a failure left behind (the testing library's exit hook).
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench:query failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
