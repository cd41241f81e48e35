import type { NatsConnection } from 'nats';
import { discoveryEventSubject, INTEGRATION_STREAMS } from '@clp/contracts';
import { connectNats } from '@clp/messaging';
import { startNats, type TestServer } from '@clp/testing';
import { configFromEnv } from '../config';
import { createDiscovery } from '../discovery';

describe('configured targets (real NATS)', () => {
  let nats: TestServer;
  let nc: NatsConnection;

  beforeAll(async () => {
    nats = await startNats();
    nc = await connectNats({ servers: nats.url, name: 'targets-test' });
  });

  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
  });

  const env = (targets: string, instance: string) => ({
    NATS_URL: nats.url,
    INSTANCE_NAME: instance,
    DISCOVERY_TARGETS: targets,
    DISCOVERY_ORGANIZATION: 'acme',
    HEALTH_MONITOR: 'off',
  });

  it('are reported once to DISCOVERY_EVENTS, however many replicas start and restart', async () => {
    const targets = 'prometheus=http://127.0.0.1:9090,grafana=http://grafana.example:3000';
    for (const instance of ['first', 'second', 'first-again']) {
      const app = await createDiscovery(configFromEnv(env(targets, instance)), false);
      await app.listen();
      await app.close();
    }
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(INTEGRATION_STREAMS.discovery.name);
    expect(info.state.messages).toBe(2);
    const prometheus = await jsm.streams.getMessage(INTEGRATION_STREAMS.discovery.name, { last_by_subj: discoveryEventSubject('prometheus') });
    expect(prometheus.json()).toMatchObject({
      type: 'ConnectionDiscovered',
      data: { organization_id: 'acme', kind: 'prometheus', name: 'prometheus-127.0.0.1:9090', metadata: { url: 'http://127.0.0.1:9090' }, source: 'configured-target' },
    });
    expect(prometheus.header.get('Nats-Msg-Id')).toBe((prometheus.json() as { metadata: { event_id: string } }).metadata.event_id);
  });

  it('refuse to start on a target that can never be a connection, saying which and why', async () => {
    await expect(createDiscovery(configFromEnv(env('prometheus=http://a:9090,promethues=http://b:9090', 'bad')), false)).rejects.toThrow(
      'DISCOVERY_TARGETS: promethues=http://b:9090: unknown kind "promethues"',
    );
  });
});
