import type { INestMicroservice, LoggerService } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { SUBJECTS, type Caller, type Reply } from '@clp/contracts';
import { generateMasterKey } from '@clp/credential-vault';
import { connectNats, Requester } from '@clp/messaging';
import {
  KUBECONFIG_TOKEN,
  oneContext,
  startKubernetesApi,
  startNats,
  startRedis,
  startService,
  waitFor,
  type KubernetesApiStandIn,
  type RunningService,
  type TestServer,
} from '@clp/testing';
import { configFromEnv } from '../config';
import { createDiscovery } from '../discovery';

const R = SUBJECTS.registry;
const D = SUBJECTS.discovery;
const operator: Caller = { organization_id: 'org-s', user_id: 'olivia', role: 'operator' };
const SCAN_INTERVAL_MS = 400;

class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private keep = (...parts: unknown[]) => void this.lines.push(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
  log = this.keep;
  error = this.keep;
  warn = this.keep;
  debug = this.keep;
  verbose = this.keep;
}

const result = <T>(reply: Reply<T>): T => {
  if ('error' in reply) throw new Error(`unexpected error reply: ${JSON.stringify(reply.error)}`);
  return reply.result;
};

describe('cluster scan (real NATS, Redis and registry; a stand-in Kubernetes API)', () => {
  let nats: TestServer;
  let redis: TestServer;
  let registry: RunningService;
  let api: KubernetesApiStandIn;
  let nc: NatsConnection;
  let requester: Requester;
  const replicas: INestMicroservice[] = [];
  const logger = new CapturingLogger();
  const masterKey = generateMasterKey();

  const startDiscovery = async (instance: string, scanIntervalMs: number) => {
    const config = configFromEnv({
      NATS_URL: nats.url,
      INSTANCE_NAME: instance,
      CREDENTIALS_MASTER_KEY: masterKey,
      CONNECTIVITY_TIMEOUT_MS: '1500',
      HEALTH_MONITOR: 'off',
      SCAN_INTERVAL_MS: String(scanIntervalMs),
    });
    const app = await createDiscovery(config, logger);
    await app.listen();
    replicas.push(app);
    return app;
  };

  beforeAll(async () => {
    [nats, redis, api] = await Promise.all([startNats(), startRedis(), startKubernetesApi({ token: KUBECONFIG_TOKEN })]);
    registry = await startService({
      name: 'registry',
      entry: 'apps/connection-registry/src/main.ts',
      env: { NATS_URL: nats.url, REDIS_URL: redis.url, INSTANCE_NAME: 'registry-for-scans', CREDENTIALS_MASTER_KEY: masterKey, CONNECTIVITY_TIMEOUT_MS: '1500', NODE_ENV: 'test' },
      ready: /listening on/,
    });
    nc = await connectNats({ servers: nats.url, name: 'scan-test' });
    requester = new Requester(nc, { timeoutMs: 15_000 });
  });

  afterAll(async () => {
    for (const app of replicas) await app.close();
    await nc?.close();
    await registry?.stop();
    await Promise.all([nats?.stop(), redis?.stop(), api?.close()]);
  });

  const observability = async () =>
    result(await requester.request(R.listConnections, { caller: operator, type: ['observability'], order: 'name asc' })).connections;

  it('scans every connected cluster on its interval, by one replica of several, and reports each finding once', async () => {
    await startDiscovery('scanner-1', SCAN_INTERVAL_MS);
    await startDiscovery('scanner-2', SCAN_INTERVAL_MS);
    const ca = Buffer.from(api.certificates.ca).toString('base64');
    const kubeconfig = oneContext(`{token: ${KUBECONFIG_TOKEN}}`, api.url).replace('cluster: {server:', `cluster: {certificate-authority-data: ${ca}, server:`);
    const imported = result(await requester.request(D.importKubeconfig, { caller: operator, kubeconfig }));
    expect(imported.connected).toEqual([expect.objectContaining({ context: 'one', status: 'connected', created: true })]);

    // No request: the interval finds them.
    const found = await waitFor(async () => ((await observability()).length === 2 ? observability() : undefined), { timeoutMs: 15_000, message: 'two findings' });
    expect(found.map((c) => [c.kind, c.metadata.url, c.status])).toEqual([
      ['grafana', 'http://grafana.monitoring.svc:80', 'discovered'],
      ['prometheus', 'http://prometheus-server.monitoring.svc:9090', 'discovered'],
    ]);

    // Several intervals later: scans went on, from one replica at a time (the lease), and nothing was added.
    const before = api.requests.length;
    await new Promise((resolve) => setTimeout(resolve, SCAN_INTERVAL_MS * 5));
    const scans = api.requests.slice(before).filter((path) => path === '/api/v1/services').length;
    expect(scans).toBeGreaterThanOrEqual(3);
    expect(scans).toBeLessThanOrEqual(6);
    expect((await observability()).map((c) => c.id)).toEqual(found.map((c) => c.id));
    const jsm = await nc.jetstreamManager();
    expect((await jsm.streams.info('DISCOVERY_EVENTS')).state.messages).toBe(2);
  });

  it('answers why a cluster cannot be scanned, without a secret, and keeps what was found', async () => {
    await api.close();
    const [cluster] = result(await requester.request(D.scanClusters, { caller: operator })).clusters;
    expect(cluster).toMatchObject({ name: 'one', services: 0, found: [], error: expect.stringMatching(/^the Kubernetes API could not be reached/) });
    expect(JSON.stringify(cluster)).not.toContain(KUBECONFIG_TOKEN);
    expect(await observability()).toHaveLength(2);
  });

  it('scans on demand only the caller organization, refuses a viewer, and logs no secret', async () => {
    const other = result(await requester.request(D.scanClusters, { caller: { ...operator, organization_id: 'org-other' } }));
    expect(other).toEqual({ clusters: [] });
    const unknown = await requester.request(D.scanClusters, { caller: operator, connection_id: '3b241101-e2bb-4255-8caf-4136c566a962' });
    expect(unknown).toMatchObject({ error: { code: 'not_found' } });
    expect(await requester.request(D.scanClusters, { caller: { ...operator, role: 'viewer' } })).toMatchObject({ error: { code: 'forbidden' } });
    expect(logger.lines.join('\n')).toContain('not scanned');
    expect(logger.lines.join('\n')).not.toContain(KUBECONFIG_TOKEN);
    expect(registry.output()).not.toContain(KUBECONFIG_TOKEN);
  });

  it('imports a context whose user runs a plugin as errored, storing nothing for it', async () => {
    const kubeconfig = oneContext('{exec: {command: aws, args: [eks, get-token]}}', 'https://eks.example.test');
    const imported = result(await requester.request(D.importKubeconfig, { caller: operator, kubeconfig }));
    expect(imported).toEqual({
      registered: [],
      connected: [],
      ignored: [],
      errored: [{ context: 'one', cluster: 'one', user: 'one', reason: expect.stringContaining('gets its credentials from an exec plugin') }],
    });
    const clusters = result(await requester.request(R.listConnections, { caller: operator, kind: ['kubernetes'] }));
    expect(clusters.total_count).toBe(1);
  });
});
