import { testConnectivity } from './test-connectivity';
import type { ConnectivityTarget } from './target';

const clock = () => new Date('2026-05-06T07:08:09.000Z');

describe('testConnectivity without a server', () => {
  it('refuses a URL that is not http(s) without echoing it', async () => {
    const result = await testConnectivity({ check: 'http', url: 'ftp://user:hunter2@host' }, clock);
    expect(result).toMatchObject({ ok: false, checked_at: '2026-05-06T07:08:09.000Z', error: 'invalid URL (expected http:// or https://)' });
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('refuses an unknown check kind', async () => {
    const target = { check: 'telnet', url: 'http://x' } as unknown as ConnectivityTarget;
    expect(await testConnectivity(target, clock)).toMatchObject({ ok: false, error: 'unknown check kind "telnet"' });
  });

  it('refuses userinfo that is not valid percent-encoding without echoing it', async () => {
    const result = await testConnectivity({ check: 'http', url: 'http://me:sec%E0ret@127.0.0.1:1/' }, clock);
    expect(result).toMatchObject({ ok: false, error: 'invalid percent-encoding in the URL userinfo' });
    expect(JSON.stringify(result)).not.toContain('sec%E0ret');
  });
});
