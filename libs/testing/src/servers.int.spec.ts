import Redis from 'ioredis';
import { connect } from 'nats';
import { startNats, startPrometheus, startRedis } from './servers';

describe('real servers for tests', () => {
  it('starts nats-server with JetStream, and brings it back with its data after a stop', async () => {
    const server = await startNats();
    try {
      let nc = await connect({ servers: server.url });
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: 'KEEP', subjects: ['keep.>'] });
      await nc.jetstream().publish('keep.one', new TextEncoder().encode('1'));
      await nc.close();

      await server.stopProcess();
      await expect(connect({ servers: server.url, reconnect: false, timeout: 500 })).rejects.toThrow();
      await server.start();

      nc = await connect({ servers: server.url });
      expect((await (await nc.jetstreamManager()).streams.info('KEEP')).state.messages).toBe(1);
      await nc.close();
    } finally {
      await server.stop();
    }
  });

  it('starts redis-server on a free port of its own', async () => {
    const [a, b] = await Promise.all([startRedis(), startRedis()]);
    try {
      expect(a.port).not.toBe(b.port);
      const redis = new Redis(a.url);
      await redis.set('k', 'v');
      expect(await redis.get('k')).toBe('v');
      const other = new Redis(b.url);
      expect(await other.get('k')).toBeNull();
      redis.disconnect();
      other.disconnect();
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('starts a real prometheus that answers its readiness and build info endpoints', async () => {
    const prometheus = await startPrometheus();
    try {
      expect((await fetch(`${prometheus.url}/-/ready`)).status).toBe(200);
      const info = (await (await fetch(`${prometheus.url}/api/v1/status/buildinfo`)).json()) as { status: string; data: { version: string } };
      expect(info.status).toBe('success');
      expect(info.data.version).toMatch(/^\d+\.\d+/);
      await prometheus.kill();
      await expect(fetch(`${prometheus.url}/-/ready`)).rejects.toThrow();
    } finally {
      await prometheus.stop();
    }
  });
});
