import type { LoggerService } from '@nestjs/common';
import Redis from 'ioredis';
import type { NatsConnection } from 'nats';
import { SUBJECTS, type Caller, type ConnectionView, type CredentialView, type Reply } from '@clp/contracts';
import { generateMasterKey } from '@clp/credential-vault';
import type { Requester } from '@clp/messaging';
import { startPrometheus, startRegistry, waitFor, type TestServer } from '@clp/testing';
import { result, startRegistryHarness, type RegistryHarness } from '../registry.fixtures';

// bcrypt (cost 4) of the two passwords below, for docker-registry's htpasswd (made with Python's crypt).
const FIRST = 'first-secret-4711';
const SECOND = 'second-secret-0815';
const HTPASSWD = {
  [FIRST]: 'ci:$2b$04$rtCUZOxqWWPuzPl1NcSo4eKtvGrjq3maeii58xLYPTJ1kTJ71i0j6',
  [SECOND]: 'ci:$2b$04$Hyx2h0Lf3Q9fp6Jf/gB1COvlh7Yw9ITFcHQVK/olhhOEAzFXinL/G',
};

const R = SUBJECTS.registry;
const admin: Caller = { organization_id: 'org-c', user_id: 'ada', role: 'admin' };
const operator: Caller = { ...admin, user_id: 'olivia', role: 'operator' };

/** Every line the service logs, to search for secrets. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private keep = (...parts: unknown[]) => void this.lines.push(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
  log = this.keep;
  error = this.keep;
  warn = this.keep;
  debug = this.keep;
  verbose = this.keep;
}


describe('credentials (real NATS, Redis and an OCI registry with basic auth)', () => {
  let h: RegistryHarness;
  let registry: TestServer;
  let nc: NatsConnection;
  let api: Requester;
  const logger = new CapturingLogger();
  // Read by the registry process at each start: changing it changes its password.
  const registryAuth = { htpasswd: HTPASSWD[FIRST] };

  beforeAll(async () => {
    [h, registry] = await Promise.all([
      startRegistryHarness({ instanceName: 'registry-credentials', credentialsMasterKey: generateMasterKey(), logger }),
      startRegistry(registryAuth),
    ]);
    ({ nc, api } = h);
  });

  afterAll(async () => {
    await Promise.all([h?.stop(), registry?.stop()]);
  });

  /** Every byte the system stored or sent: Redis keys and values, and every JetStream message. */
  const everythingStored = async (): Promise<string> => {
    const client = new Redis(h.redis.url);
    const dump: string[] = [];
    for (const key of await client.keys('*')) {
      const kind = await client.type(key);
      const value =
        kind === 'string' ? await client.get(key) : kind === 'hash' ? await client.hgetall(key) : kind === 'zset' ? await client.zrange(key, '0', '-1') : kind;
      dump.push(key, JSON.stringify(value));
    }
    client.disconnect();
    const jsm = await nc.jetstreamManager();
    for (const stream of await jsm.streams.names().next()) {
      const { state } = await jsm.streams.info(stream);
      for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
        try {
          const m = await jsm.streams.getMessage(stream, { seq });
          dump.push(new TextDecoder().decode(m.data), JSON.stringify([...(m.header?.keys() ?? [])].map((k) => m.header.get(k))));
        } catch {
          // an erased message
        }
      }
    }
    return dump.join('\n');
  };

  it('registers with an inline secret that is never returned, and uses a rotated secret afterwards', async () => {
    const registered = result(
      (await api.send(R.registerConnection, {
        caller: operator,
        kind: 'container-registry',
        name: 'ci registry',
        metadata: { url: registry.url },
        credential_secret: { username: 'ci', password: FIRST },
      })) as Reply<ConnectionView>,
    );
    expect(registered.status).toBe('registered');
    expect(registered.credential_id).toEqual(expect.any(String));
    expect(JSON.stringify(registered)).not.toContain(FIRST);
    const credential = result((await api.send(R.getCredential, { caller: operator, credential_id: registered.credential_id })) as Reply<CredentialView>);
    expect(credential).toMatchObject({ kind: 'container-registry', secret_fields: ['password', 'username'] });
    expect(JSON.stringify(credential)).not.toContain(FIRST);

    // The registry's password changes: the old secret no longer connects...
    await registry.stopProcess();
    registryAuth.htpasswd = HTPASSWD[SECOND];
    await registry.start();
    const connect = () => api.send(R.transition, { caller: operator, connection_id: registered.id, status: 'connected', cause: 'user' });
    expect(await connect()).toMatchObject({ error: { code: 'connectivity_failed' } });

    // ...rotating the credential makes the same connection use the new one.
    expect(await api.send(R.updateCredential, { caller: operator, credential_id: registered.credential_id, secret: { username: 'ci', password: SECOND } })).toMatchObject({
      error: { code: 'forbidden' },
    });
    result(await api.send(R.updateCredential, { caller: admin, credential_id: registered.credential_id, secret: { username: 'ci', password: SECOND } }));
    expect(result((await connect()) as Reply<ConnectionView>).status).toBe('connected');
  });

  it('a credential serves many connections; deleting it leaves its secret in no Redis key, no event, no log line', async () => {
    const secret = 'delete-me-secret-2468';
    const credential = result((await api.send(R.createCredential, { caller: admin, name: 'shared', kind: 'prometheus', secret: { token: secret } })) as Reply<CredentialView>);
    const prometheus = await startPrometheus();
    try {
      for (const name of ['p1', 'p2']) {
        const view = result(
          (await api.send(R.registerConnection, {
            caller: operator,
            kind: 'prometheus',
            name,
            metadata: { url: `${prometheus.url}/${name}` },
            credential_id: credential.credential_id,
          })) as Reply<ConnectionView>,
        );
        expect(view.credential_id).toBe(credential.credential_id);
      }
    } finally {
      await prometheus.stop();
    }
    await waitFor(async () => (await everythingStored()).includes(credential.credential_id), { message: 'stored' });

    const listed = () => api.send(R.listCredentials, { caller: operator, pagesize: 100 }) as Promise<Reply<{ credentials: CredentialView[]; total_count: number }>>;
    const shared = await waitFor(async () => result(await listed()).credentials.find((c) => c.credential_id === credential.credential_id));
    expect(shared).toMatchObject({ name: 'shared', kind: 'prometheus', secret_fields: ['token'] });
    expect(JSON.stringify(await listed())).not.toContain(secret);

    expect(result(await api.send(R.deleteCredential, { caller: admin, credential_id: credential.credential_id }))).toEqual({
      credential_id: credential.credential_id,
    });
    expect(await api.send(R.getCredential, { caller: admin, credential_id: credential.credential_id })).toMatchObject({ error: { code: 'not_found' } });
    await waitFor(async () => !result(await listed()).credentials.some((c) => c.credential_id === credential.credential_id), { message: 'unlisted' });

    const stored = await everythingStored();
    expect(stored).toContain(credential.credential_id);
    for (const value of [secret, FIRST, SECOND]) {
      expect(stored).not.toContain(value);
      expect(logger.lines.join('\n')).not.toContain(value);
    }
  });

  it('refuses a secret that does not fit the kind, naming the field and not the value', async () => {
    const reply = await api.send(R.createCredential, { caller: admin, name: 'bad', kind: 'kubernetes', secret: { token: 'abc-secret', colour: 'blue-secret' } });
    expect(reply).toMatchObject({ error: { code: 'validation_failed' } });
    expect(JSON.stringify(reply)).not.toContain('blue-secret');
    expect(JSON.stringify(reply)).not.toContain('abc-secret');
  });
});
