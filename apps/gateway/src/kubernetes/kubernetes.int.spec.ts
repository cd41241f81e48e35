import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { discoveryEventSubject } from '@clp/contracts';
import { generateMasterKey } from '@clp/credential-vault';
import {
  KUBECONFIG_SECRETS,
  KUBECONFIG_TOKEN,
  kubeconfigOf,
  MALFORMED_KUBECONFIGS,
  SETUP_TIMEOUT_MS,
  startKubernetesApi,
  STAND_IN_GIT_VERSION,
  STAND_IN_KUBE_SYSTEM_UID,
  startService,
  waitFor,
  type KubernetesApiStandIn,
  type RunningService,
} from '@clp/testing';
import { CapturingLogger, startGatewayHarness, type GatewayHarness, type HttpAnswer } from '../gateway.fixtures';

const ROUTE = '/api/system/kubernetes';

/** A Prometheus report as another scan (another replica, or this one past the duplicate window) would publish it. */
const found = (url: string) => ({
  type: 'ConnectionDiscovered',
  data: { organization_id: 'org-k', kind: 'prometheus', name: 'prometheus again', metadata: { url }, source: 'cluster-scan' },
});
const CONNECTIONS = '/api/integrations/connections';

describe('Kubernetes discovery over HTTP (real NATS, Redis, registry and discovery; a stand-in Kubernetes API)', () => {
  let h: GatewayHarness;
  let api: KubernetesApiStandIn;
  let discovery: RunningService;
  let nc: NatsConnection;
  let operator: string;
  let kubeconfig: string;
  const logger = new CapturingLogger();
  const bodies: string[] = [];
  const masterKey = generateMasterKey();

  beforeAll(async () => {
    [h, api] = await Promise.all([
      startGatewayHarness({}, logger, { CREDENTIALS_MASTER_KEY: masterKey }),
      startKubernetesApi({ token: KUBECONFIG_TOKEN }),
    ]);
    discovery = await startService({
      name: 'discovery',
      entry: 'apps/discovery/src/main.ts',
      env: {
        NATS_URL: h.nats.url,
        INSTANCE_NAME: 'discovery-for-gateway-tests',
        CREDENTIALS_MASTER_KEY: masterKey,
        CONNECTIVITY_TIMEOUT_MS: '1500',
        // Statuses here change only by request: no probes, no periodic scans.
        HEALTH_MONITOR: 'off',
        SCAN_INTERVAL_MS: '0',
        NODE_ENV: 'test',
      },
      ready: /listening on/,
    });
    nc = await connect({ servers: h.nats.url });
    operator = h.token('org-k', 'olivia', 'operator');
    // The cluster `dev` is the stand-in: `dev-admin`'s token is accepted, `dev-viewer`'s certificate is not a real one.
    kubeconfig = kubeconfigOf({ server: api.url, caData: Buffer.from(api.certificates.ca).toString('base64') });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await nc?.close();
    await discovery?.stop();
    await Promise.all([h?.stop(), api?.close()]);
  });

  const kept = <T extends HttpAnswer>(answer: T): T => {
    bodies.push(answer.text);
    return answer;
  };
  const call = async (method: string, path: string, token: string, body?: unknown) => kept(await h.request(method, path, { token, body }));
  const uploadMultipart = async (token: string, text: string, field = 'k8sfile', path = ROUTE): Promise<HttpAnswer> => {
    const form = new FormData();
    form.append(field, new Blob([text], { type: 'application/yaml' }), 'config');
    const response = await fetch(`${h.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const textBody = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(textBody);
    } catch {
      body = undefined;
    }
    return kept({ status: response.status, headers: response.headers, text: textBody, body });
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const byContext = (entries: Array<{ context: string }>): Record<string, any> => Object.fromEntries(entries.map((e) => [e.context, e]));
  const listed = (token: string, query: string, count: number) =>
    waitFor(
      async () => {
        const page = (await call('GET', `${CONNECTIONS}?${query}`, token)).body;
        return page.total_count === count ? page : undefined;
      },
      { message: `${count} connections for ${query}` },
    );
  const credentials = async (token: string) => (await call('GET', '/api/integrations/credentials?pagesize=100', token)).body.total_count;

  let first: HttpAnswer;

  it('makes one connection per context from a multipart upload, and connects the one its cluster accepts', async () => {
    first = await uploadMultipart(operator, kubeconfig);
    expect(first.status).toBe(200);
    const { connected, registered, ignored, errored } = first.body;
    expect({ ignored, errored }).toEqual({ ignored: [], errored: [] });
    expect(connected).toEqual([
      { context: 'dev-admin', cluster: 'dev', user: 'dev-admin', id: expect.any(String), status: 'connected', created: true },
    ]);
    expect(byContext(registered)).toEqual({
      'dev-viewer': expect.objectContaining({ cluster: 'dev', user: 'dev-viewer', status: 'discovered', created: true, reason: expect.stringContaining('connectivity test failed') }),
      staging: expect.objectContaining({ cluster: 'staging', user: 'staging-basic', status: 'discovered', created: true, reason: expect.any(String) }),
    });
    // Two users of one cluster are two connections.
    expect(connected[0].id).not.toBe(byContext(registered)['dev-viewer'].id);
    const page = await listed(operator, 'kind=kubernetes&order=name%20asc', 3);
    expect(page.connections.map((c: { name: string; metadata: object }) => [c.name, c.metadata])).toEqual([
      // Connected: its connectivity test learned the cluster's version and identity.
      ['dev-admin', { server: api.url, context: 'dev-admin', user: 'dev-admin', version: STAND_IN_GIT_VERSION, server_id: STAND_IN_KUBE_SYSTEM_UID }],
      ['dev-viewer', { server: api.url, context: 'dev-viewer', user: 'dev-viewer' }],
      ['staging', { server: 'https://staging.example.test:6443', context: 'staging', user: 'staging-basic', insecure_skip_tls_verify: true }],
    ]);
    expect(await credentials(operator)).toBe(3);
  });

  it('answers the same connections to the same kubeconfig uploaded again (as JSON), storing no second credential', async () => {
    const again = await call('POST', ROUTE, operator, { kubeconfig });
    expect(again.status).toBe(200);
    const ids = (answer: HttpAnswer) =>
      Object.fromEntries([...answer.body.connected, ...answer.body.registered].map((e: { context: string; id: string }) => [e.context, e.id]));
    expect(ids(again)).toEqual(ids(first));
    expect(again.body.connected).toEqual([expect.objectContaining({ context: 'dev-admin', status: 'connected', created: false })]);
    expect(again.body.registered.map((e: { created: boolean }) => e.created)).toEqual([false, false]);
    await listed(operator, 'kind=kubernetes', 3);
    expect(await credentials(operator)).toBe(3);
  });

  it('leaves an ignored context ignored on the next upload', async () => {
    const viewerContext = byContext(first.body.registered)['dev-viewer'];
    const ignored = await call('PUT', `${CONNECTIONS}/${viewerContext.id}`, operator, { status: 'ignored' });
    expect(ignored.body.status).toBe('ignored');
    const again = await uploadMultipart(operator, kubeconfig);
    expect(again.body.ignored).toEqual([
      { context: 'dev-viewer', cluster: 'dev', user: 'dev-viewer', id: viewerContext.id, status: 'ignored', created: false },
    ]);
    expect((await call('GET', `${CONNECTIONS}/${viewerContext.id}`, operator)).body.status).toBe('ignored');
    await listed(operator, 'kind=kubernetes', 3);
  });

  it('scans the connected cluster: one Prometheus and one Grafana connection, and no duplicates on the next scan', async () => {
    const scan = await call('POST', `${ROUTE}/scan`, operator);
    expect(scan.status).toBe(200);
    const [cluster] = scan.body.clusters;
    expect(scan.body.clusters).toHaveLength(1);
    expect(cluster).toMatchObject({ connection_id: first.body.connected[0].id, name: 'dev-admin', services: 8 });
    expect(cluster.found.map((f: { kind: string; url: string }) => [f.kind, f.url])).toEqual([
      ['prometheus', 'http://prometheus-server.monitoring.svc:9090'],
      ['grafana', 'http://grafana.monitoring.svc:80'],
    ]);
    const page = await listed(operator, 'type=observability&order=name%20asc', 2);
    expect(page.connections).toEqual([
      expect.objectContaining({ kind: 'grafana', status: 'discovered', name: 'grafana.monitoring (dev-admin)', metadata: expect.objectContaining({ url: 'http://grafana.monitoring.svc:80' }) }),
      expect.objectContaining({ kind: 'prometheus', status: 'discovered', metadata: expect.objectContaining({ url: 'http://prometheus-server.monitoring.svc:9090' }) }),
    ]);

    const reports = async () => (await (await nc.jetstreamManager()).streams.info('DISCOVERY_EVENTS')).state.messages;
    expect(await reports()).toBe(2);
    const rescan = await call('POST', `${ROUTE}/scan`, operator, { connection_id: cluster.connection_id });
    expect(rescan.body.clusters[0].found.map((f: { report_id: string }) => f.report_id)).toEqual(cluster.found.map((f: { report_id: string }) => f.report_id));
    // The same report ids: the stream's duplicate window drops the repeated reports...
    expect(await reports()).toBe(2);
    // ...and past it, the registry knows the resources by their fingerprints: a report with a new id changes nothing.
    const again = { ...found(cluster.found[0].url), metadata: { event_id: randomUUID(), occurred_at: new Date().toISOString() } };
    await nc.jetstream().publish(discoveryEventSubject('prometheus'), JSONCodec().encode(again));
    await waitFor(
      async () => {
        const intake = await (await nc.jetstreamManager()).consumers.info('DISCOVERY_EVENTS', 'connection-registry-intake');
        return intake.delivered.stream_seq === 3 && intake.num_pending === 0 && intake.num_ack_pending === 0;
      },
      { message: 'the third report handled' },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await listed(operator, 'type=observability', 2)).connections.map((c: { id: string }) => c.id).sort()).toEqual(
      page.connections.map((c: { id: string }) => c.id).sort(),
    );
    expect(api.requests.filter((path) => path === '/api/v1/services')).toHaveLength(2);
  });

  describe('malformed kubeconfigs', () => {
    // An organization of its own, to see that nothing at all is stored for it.
    let other: string;
    beforeAll(() => {
      other = h.token('org-malformed', 'mallory', 'admin');
    });

    it.each(MALFORMED_KUBECONFIGS)('refuses $name with a 400 naming $field', async ({ kubeconfig: text, field, reason }) => {
      for (const answer of [await uploadMultipart(other, text), await call('POST', ROUTE, other, { kubeconfig: text })]) {
        expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({ status: 400, code: 'validation_failed' });
        expect(answer.body.error.details.fields).toEqual(expect.arrayContaining([{ field, reasons: [expect.stringMatching(reason)] }]));
      }
    });

    it('stores nothing for them: no connection, no credential', async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await call('GET', `${CONNECTIONS}?kind=kubernetes`, other)).body.total_count).toBe(0);
      expect(await credentials(other)).toBe(0);
    });
  });

  it('refuses a bad upload before asking discovery, and a viewer', async () => {
    const viewer = h.token('org-k', 'vic', 'viewer');
    expect((await uploadMultipart(viewer, kubeconfig)).body.error.code).toBe('forbidden');
    const cases: Array<[Promise<HttpAnswer>, string]> = [
      [call('POST', ROUTE, operator), 'kubeconfig'],
      [call('POST', ROUTE, operator, { kubeconfig, colour: 'red' }), 'colour'],
      [call('POST', ROUTE, operator, { kubeconfig: 'x'.repeat(600_000) }), 'kubeconfig'],
      [uploadMultipart(operator, kubeconfig, 'file'), 'file'],
      [uploadMultipart(operator, 'x'.repeat(600_000)), 'k8sfile'],
      [call('POST', `${ROUTE}/scan`, operator, { connection_id: 'cluster-1' }), 'connection_id'],
    ];
    for (const [pending, field] of cases) {
      const answer = await pending;
      expect({ field, status: answer.status, fields: answer.body?.error?.details?.fields?.map((f: { field: string }) => f.field) }).toEqual({
        field,
        status: 400,
        fields: [field],
      });
    }
    // Multipart elsewhere is another media type (edges.int.spec.ts).
    expect((await uploadMultipart(operator, kubeconfig, 'k8sfile', CONNECTIONS)).status).toBe(415);
  });

  it('lets no secret of a kubeconfig out: not in an answer, an event, a stored byte or a log line', async () => {
    const stored = await everythingStored(h, nc);
    const logs = [...logger.lines, discovery.output(), h.registry.output()].join('\n');
    // The processes' outputs are kept up to 20,000 characters each: below that, they are whole.
    expect(discovery.output().length).toBeLessThan(20_000);
    expect(h.registry.output().length).toBeLessThan(20_000);
    expect(stored).toContain('CONNECTION_EVENTS');
    for (const secret of KUBECONFIG_SECRETS) {
      expect(bodies.join('\n')).not.toContain(secret);
      expect(stored).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});

/** Every byte the system stored or sent: Redis keys and values, and every JetStream message (the vault's are sealed). */
const everythingStored = async (h: GatewayHarness, nc: NatsConnection): Promise<string> => {
  const client = new Redis(h.redis.url);
  const dump: string[] = [];
  for (const key of await client.keys('*')) {
    const kind = await client.type(key);
    const value = kind === 'string' ? await client.get(key) : kind === 'hash' ? await client.hgetall(key) : kind === 'zset' ? await client.zrange(key, '0', '-1') : kind;
    dump.push(key, JSON.stringify(value));
  }
  client.disconnect();
  const jsm = await nc.jetstreamManager();
  for (const stream of await jsm.streams.names().next()) {
    dump.push(stream);
    const { state } = await jsm.streams.info(stream);
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      try {
        const m = await jsm.streams.getMessage(stream, { seq });
        dump.push(new TextDecoder().decode(m.data));
      } catch {
        // an erased message
      }
    }
  }
  return dump.join('\n');
};
