import { randomBytes } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import type { ConsumerMessages, NatsConnection } from 'nats';
import {
  INTEGRATION_STREAMS,
  parseConnectionEvent,
  SUBJECTS,
  type Caller,
  type ConnectionEvent,
  type IntegrationEvent,
  type Status,
  type StatusChanged,
} from '@clp/contracts';
import { connectNats, ensureStream, Requester } from '@clp/messaging';
import { CONDITION_TIMEOUT_MS, freePort, SETUP_TIMEOUT_MS, startNats, startPrometheus, startRedis, startService, waitFor, type RunningService, type TestServer } from '@clp/testing';
import { configFromEnv } from '../config';
import { createDiscovery } from '../discovery';
import type { HealthMonitor } from './health-monitor';
import { HealthMonitorService } from './health-monitor.service';
import type { ProbeObservation } from './ports';

const INTERVAL_MS = 400;
const operator: Caller = { organization_id: 'default', user_id: 'alice', role: 'operator' };

/**
 * The acceptance of the health monitor against real processes: NATS, Redis, the registry as its own
 * process, a real Prometheus the test kills and restarts, and discovery in this process (so the
 * test can count the monitor's probes). A second target on a closed port is the control: it is
 * probed every cycle, so "N probes of it" is the positive signal that cycles went by.
 */
describe('the health monitor keeps a real Prometheus’s status in step (real NATS, Redis, registry, Prometheus)', () => {
  let nats: TestServer;
  let redis: TestServer;
  let prometheus: TestServer;
  let registry: RunningService;
  let discovery: INestMicroservice;
  let monitor: HealthMonitor;
  let nc: NatsConnection;
  let api: Requester;
  let feed: ConsumerMessages;
  const events: Array<IntegrationEvent<ConnectionEvent>> = [];
  const probes: ProbeObservation[] = [];

  const found = (kind: string) => events.find((e) => e.type === 'ConnectionDiscovered' && e.data.kind === kind)?.data.connection_id;
  const changesOf = (id: string) => events.filter((e): e is IntegrationEvent<StatusChanged> => e.type === 'StatusChanged' && e.data.connection_id === id);
  const statusOf = (id: string): Status => changesOf(id).at(-1)?.data.to ?? 'discovered';
  const probesOf = (id: string, after: number) => probes.filter((p) => p.connection_id === id && p.started_at > after);
  const byUser = async (id: string, status: Status) => {
    const reply = await api.request(SUBJECTS.registry.transition, { caller: operator, connection_id: id, status, cause: 'user', reason: 'by hand' });
    expect(reply).toMatchObject({ result: { status } });
  };
  // How many cycles a change takes depends on the machine's load: each wait is generous, and each test's timeout covers its waits.
  const within = (what: string) => ({ timeoutMs: CONDITION_TIMEOUT_MS, message: what });

  beforeAll(async () => {
    [nats, redis, prometheus] = await Promise.all([startNats(), startRedis(), startPrometheus()]);
    const masterKey = randomBytes(32).toString('base64');
    registry = await startService({
      name: 'registry',
      entry: 'apps/connection-registry/src/main.ts',
      env: { NATS_URL: nats.url, REDIS_URL: redis.url, INSTANCE_NAME: 'hm-registry', CREDENTIALS_MASTER_KEY: masterKey, CONNECTIVITY_TIMEOUT_MS: '2000' },
      ready: /hm-registry listening/,
    });
    nc = await connectNats({ servers: nats.url, name: 'hm-test' });
    api = new Requester(nc, { timeoutMs: 10_000 });
    await ensureStream(await nc.jetstreamManager(), INTEGRATION_STREAMS.connections);
    feed = await (await nc.jetstream().consumers.get(INTEGRATION_STREAMS.connections.name)).consume();
    void (async () => {
      for await (const message of feed) events.push(parseConnectionEvent(message.data));
    })();

    const closed = await freePort();
    discovery = await createDiscovery(
      configFromEnv({
        NATS_URL: nats.url,
        INSTANCE_NAME: 'hm-discovery',
        CREDENTIALS_MASTER_KEY: masterKey,
        DISCOVERY_TARGETS: `prometheus=${prometheus.url},grafana=http://127.0.0.1:${closed}`,
        HEALTH_INTERVAL_MS: String(INTERVAL_MS),
        HEALTH_FAILURES_TO_DISCONNECT: '2',
        HEALTH_MEMBER_TTL_MS: '1000',
        CONNECTIVITY_TIMEOUT_MS: '1000',
      }),
      ['error'],
    );
    await discovery.listen();
    monitor = discovery.get(HealthMonitorService).monitor as HealthMonitor;
    monitor.observe((observation) => probes.push(observation));
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    void feed?.close();
    await discovery?.close();
    await registry?.stop();
    await nc?.close();
    await Promise.all([nats, redis, prometheus].map((server) => server?.stop()));
  });

  it('discovered → registered by itself; connected by a person; killed → disconnected once; restarted → connected', async () => {
    const id = await waitFor(() => found('prometheus'), within('the configured Prometheus discovered'));
    await waitFor(() => statusOf(id) === 'registered', within('registered by the monitor'));
    expect(changesOf(id)[0].data).toMatchObject({ from: 'discovered', to: 'registered', cause: 'system', actor: 'health-monitor', probe: { ok: true } });

    // The control: a target nobody answers goes discovered → not found after two failures, and stays probed.
    const control = await waitFor(() => found('grafana'), within('the configured Grafana discovered'));
    await waitFor(() => changesOf(control).at(-1)?.data.to === 'not found', within('the control not found'));

    await byUser(id, 'connected');
    await waitFor(() => monitor.watched(id)?.status === 'connected', within('the monitor sees it connected'));

    const killed = Date.now();
    await prometheus.kill();
    await waitFor(() => statusOf(id) === 'disconnected', within('disconnected after the kill'));
    // A few more failing cycles change nothing: still exactly one StatusChanged since the kill.
    await waitFor(() => probesOf(id, killed).filter((p) => !p.ok).length >= 5, within('more failed probes'));
    const sinceKill = changesOf(id).filter((e) => Date.parse(e.metadata.occurred_at) >= killed);
    expect(sinceKill).toHaveLength(1);
    expect(sinceKill[0].data).toMatchObject({ from: 'connected', to: 'disconnected', cause: 'system', actor: 'health-monitor', probe: { ok: false } });
    expect(sinceKill[0].data.reason).toMatch(/^health check failed 2 times in a row: /);

    await prometheus.start();
    await waitFor(() => statusOf(id) === 'connected', within('connected again after the restart'));
    expect(changesOf(id).at(-1)?.data).toMatchObject({ from: 'disconnected', to: 'connected', cause: 'system', probe: { ok: true } });
  }, SETUP_TIMEOUT_MS);

  it('in maintenance, a kill changes nothing: the connection is not even probed', async () => {
    const id = found('prometheus') as string;
    const control = found('grafana') as string;
    await byUser(id, 'maintenance');
    await waitFor(() => monitor.watched(id)?.status === 'maintenance', within('the monitor sees maintenance'));
    const changes = changesOf(id).length;

    const killed = Date.now();
    await prometheus.kill();
    await waitFor(() => probesOf(control, killed).length >= 4, within('four cycles of the control after the kill'));
    expect(probesOf(id, killed)).toHaveLength(0);
    expect(changesOf(id)).toHaveLength(changes);
    expect(statusOf(id)).toBe('maintenance');
  }, SETUP_TIMEOUT_MS);

  it('never reconnects a connection a person disconnected', async () => {
    const id = found('prometheus') as string;
    const control = found('grafana') as string;
    await prometheus.start();
    await byUser(id, 'connected');
    await byUser(id, 'disconnected');
    await waitFor(() => monitor.watched(id)?.disconnected_by === 'user', within('the monitor sees the person’s disconnect'));
    const changes = changesOf(id).length;

    const since = Date.now();
    await waitFor(() => probesOf(control, since).length >= 4, within('four cycles of the control'));
    expect(probesOf(id, since)).toHaveLength(0);
    expect(changesOf(id)).toHaveLength(changes);
    expect(changesOf(id).at(-1)?.data).toMatchObject({ to: 'disconnected', cause: 'user' });
  }, SETUP_TIMEOUT_MS);
});
