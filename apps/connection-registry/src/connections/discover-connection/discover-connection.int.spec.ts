import { SUBJECTS, type Caller, type DiscoverConnectionRequest } from '@clp/contracts';
import { generateMasterKey } from '@clp/credential-vault';
import { waitFor } from '@clp/testing';
import { result, startRegistryHarness, type RegistryHarness } from '../../registry.fixtures';

const R = SUBJECTS.registry;
const TOKEN = 'discover-token-3e7a91';
const operator: Caller = { organization_id: 'org-d', user_id: 'olivia', role: 'operator' };
const admin: Caller = { ...operator, user_id: 'ada', role: 'admin' };

const cluster = (user: string): Omit<DiscoverConnectionRequest, 'caller'> => ({
  kind: 'kubernetes',
  name: `dev-${user}`,
  metadata: { server: 'https://dev.example.test:6443', user, context: `dev-${user}` },
  credential_secret: { token: TOKEN },
  source: 'kubeconfig',
});

describe('registry.cmd.discover-connection (real NATS and Redis)', () => {
  let h: RegistryHarness;
  const replies: string[] = [];

  beforeAll(async () => {
    h = await startRegistryHarness({ instanceName: 'registry-discover', credentialsMasterKey: generateMasterKey() });
  });
  afterAll(() => h?.stop());

  const discover = async (request: Omit<DiscoverConnectionRequest, 'caller'>, caller: Caller = operator) => {
    const reply = await h.api.request(R.discoverConnection, { ...request, caller });
    replies.push(JSON.stringify(reply));
    return reply;
  };
  const credentialCount = (count: number) =>
    waitFor(async () => (result(await h.api.request(R.listCredentials, { caller: admin, pagesize: 100 })).total_count === count ? true : undefined), {
      message: `${count} credentials`,
    });

  it('discovers a new resource once with its credential; asking again answers the same connection and stores nothing', async () => {
    const first = result(await discover(cluster('alice')));
    expect(first).toMatchObject({ created: true, connection: { kind: 'kubernetes', status: 'discovered', name: 'dev-alice' } });
    expect(first.connection.credential_id).toEqual(expect.any(String));
    const again = result(await discover({ ...cluster('alice'), name: 'renamed', credential_secret: { token: 'another-token-9f' } }));
    expect(again).toEqual({ created: false, connection: first.connection });
    await credentialCount(1);
    const history = result(await h.api.request(R.connectionHistory, { caller: operator, connection_id: first.connection.id }));
    expect(history.events.map((e) => e.type)).toEqual(['ConnectionDiscovered']);
    expect(history.events[0]).toMatchObject({ actor: 'olivia', data: { source: 'kubeconfig' } });
  });

  it('leaves an ignored connection ignored, and makes a new one after a deletion', async () => {
    const { connection } = result(await discover(cluster('bob')));
    result(await h.api.request(R.transition, { caller: operator, connection_id: connection.id, status: 'ignored', cause: 'user' }));
    const ignored = result(await discover(cluster('bob')));
    expect(ignored).toMatchObject({ created: false, connection: { id: connection.id, status: 'ignored' } });

    result(await h.api.request(R.transition, { caller: admin, connection_id: connection.id, status: 'deleted', cause: 'user' }));
    const reborn = result(await discover(cluster('bob')));
    expect(reborn).toMatchObject({ created: true, connection: { status: 'discovered' } });
    expect(reborn.connection.id).not.toBe(connection.id);
  });

  it('keeps one connection and one credential when the same new resource is discovered at once many times', async () => {
    const before = result(await h.api.request(R.listCredentials, { caller: admin, pagesize: 100 })).total_count;
    const replies = await Promise.all(Array.from({ length: 6 }, () => discover(cluster('carol'))).map(async (r) => result(await r)));
    expect(new Set(replies.map((r) => r.connection.id)).size).toBe(1);
    expect(replies.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(replies.map((r) => r.connection.credential_id)).size).toBe(1);
    await credentialCount(before + 1);
  });

  it('needs the operator role, checks the forms, and echoes no secret', async () => {
    expect(await discover(cluster('dave'), { ...operator, role: 'viewer' })).toMatchObject({ error: { code: 'forbidden' } });
    const invalid = await discover({ ...cluster('dave'), metadata: { server: 'not a url' }, credential_secret: { token: TOKEN, colour: TOKEN } });
    expect(invalid).toMatchObject({ error: { code: 'validation_failed' } });
    for (const reply of replies) expect(reply).not.toContain(TOKEN);
  });
});
