import type { LoggerService } from '@nestjs/common';
import Redis from 'ioredis';
import type { NatsConnection } from 'nats';
import { SUBJECTS, type Caller, type ConnectionView, type CredentialAssignment, type CredentialView, type HistoryEntry, type ProbeResult, type Reply } from '@clp/contracts';
import { generateMasterKey } from '@clp/credential-vault';
import { EVENT_STORE, type EventStore } from '@clp/event-store';
import type { Requester } from '@clp/messaging';
import { startPrometheus, startRegistry, waitFor, type TestServer } from '@clp/testing';
import { ConnectionReadModel } from '../read-model/connection-read-model';
import { Credentials } from './credentials';
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
    expect(credential).toMatchObject({ id: registered.credential_id, kind: 'container-registry', secret_fields: ['password', 'username'] });
    expect(credential).not.toHaveProperty('credential_id');
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
            credential_id: credential.id,
          })) as Reply<ConnectionView>,
        );
        expect(view.credential_id).toBe(credential.id);
      }
    } finally {
      await prometheus.stop();
    }
    await waitFor(async () => (await everythingStored()).includes(credential.id), { message: 'stored' });

    const listed = () => api.send(R.listCredentials, { caller: operator, pagesize: 100 }) as Promise<Reply<{ credentials: CredentialView[]; total_count: number }>>;
    const shared = await waitFor(async () => result(await listed()).credentials.find((c) => c.id === credential.id));
    expect(shared).toMatchObject({ name: 'shared', kind: 'prometheus', secret_fields: ['token'] });
    expect(JSON.stringify(await listed())).not.toContain(secret);

    await waitFor(async () => (await h.app.get(ConnectionReadModel).credentialUsers(admin.organization_id, credential.id)).length === 2 || undefined, {
      message: 'users indexed',
    });
    expect(result(await api.send(R.deleteCredential, { caller: admin, credential_id: credential.id, force: true }))).toEqual({ id: credential.id });
    expect(await api.send(R.getCredential, { caller: admin, credential_id: credential.id })).toMatchObject({ error: { code: 'not_found' } });
    await waitFor(async () => !result(await listed()).credentials.some((c) => c.id === credential.id), { message: 'unlisted' });

    const stored = await everythingStored();
    expect(stored).toContain(credential.id);
    for (const value of [secret, FIRST, SECOND]) {
      expect(stored).not.toContain(value);
      expect(logger.lines.join('\n')).not.toContain(value);
    }
  });

  describe('a credential in use, and concurrent commands on one credential', () => {
    const create = async (name: string) =>
      result((await api.send(R.createCredential, { caller: admin, name, kind: 'prometheus', secret: { token: `${name}-token` } })) as Reply<CredentialView>);
    const eventsOf = async (credentialId: string) => (await h.app.get<symbol, EventStore>(EVENT_STORE).readStream(`credential-${credentialId}`)).map((e) => e.type);
    const register = async (name: string, credential_id: string) =>
      result(
        (await api.send(R.registerConnection, { caller: operator, kind: 'prometheus', name, metadata: { url: `http://127.0.0.1:9/${name}` }, credential_id })) as Reply<ConnectionView>,
      );
    const indexed = (credentialId: string, count: number) =>
      waitFor(async () => (await h.app.get(ConnectionReadModel).credentialUsers(admin.organization_id, credentialId)).length === count || undefined, {
        message: `${count} users indexed`,
      });

    it('refuses to delete a credential used by connections, listing them; force detaches them (in their histories) and deletes', async () => {
      const credential = await create('in-use');
      const used = [await register('u1', credential.id), await register('u2', credential.id)];
      await indexed(credential.id, 2);
      const refused = await api.send(R.deleteCredential, { caller: admin, credential_id: credential.id });
      expect(refused).toMatchObject({ error: { code: 'conflict', details: { connection_ids: used.map((c) => c.id).sort() } } });
      expect(await eventsOf(credential.id)).toEqual(['CredentialCreated']);

      expect(result(await api.send(R.deleteCredential, { caller: admin, credential_id: credential.id, force: true }))).toEqual({ id: credential.id });
      expect(await eventsOf(credential.id)).toEqual(['CredentialCreated', 'CredentialDeleted']);
      for (const connection of used) {
        expect(result((await api.send(R.getConnection, { caller: operator, connection_id: connection.id })) as Reply<ConnectionView>).credential_id).toBeNull();
        const history = result((await api.send(R.connectionHistory, { caller: operator, connection_id: connection.id })) as Reply<{ events: HistoryEntry[] }>);
        expect(history.events.find((e) => e.type === 'ConnectionUpdated')?.data).toMatchObject({ changes: { credential_id: null } });
      }
      await indexed(credential.id, 0);
    });

    it('six concurrent deletes: one CredentialDeleted, the others not found', async () => {
      const credential = await create('raced-delete');
      const replies = await Promise.all(Array.from({ length: 6 }, () => api.send(R.deleteCredential, { caller: admin, credential_id: credential.id })));
      const codes = replies.map((reply) => ('error' in reply ? reply.error.code : 'ok')).sort();
      expect(codes).toEqual(['not_found', 'not_found', 'not_found', 'not_found', 'not_found', 'ok']);
      expect(await eventsOf(credential.id)).toEqual(['CredentialCreated', 'CredentialDeleted']);
    });

    it('six concurrent rotations: each decided on the revision it read, one event each, the secret kept is the last one recorded', async () => {
      const credential = await create('raced-rotation');
      const tokens = Array.from({ length: 6 }, (_, i) => `rotated-token-${i}`);
      const replies = await Promise.all(tokens.map((token) => api.send(R.updateCredential, { caller: admin, credential_id: credential.id, name: token, secret: { token } })));
      for (const reply of replies) result(reply);
      const recorded = await h.app.get<symbol, EventStore>(EVENT_STORE).readStream(`credential-${credential.id}`);
      expect(recorded.map((e) => e.type)).toEqual(['CredentialCreated', ...tokens.map(() => 'CredentialUpdated')]);
      expect(new Set(recorded.map((e) => (e.data as { name?: string }).name)).size).toBe(7);
      // Each rotation names the credential after its token: the last name recorded is the secret's.
      const last = (recorded.at(-1)?.data as { name: string }).name;
      expect(result((await api.send(R.getCredential, { caller: admin, credential_id: credential.id })) as Reply<CredentialView>).name).toBe(last);
      expect(await h.app.get(Credentials).secretOf(credential.id)).toEqual({ token: last });
    });

    it('a rotation racing a delete leaves no secret behind', async () => {
      const credential = await create('rotate-or-delete');
      const replies = await Promise.all([
        api.send(R.updateCredential, { caller: admin, credential_id: credential.id, secret: { token: 'late-rotation' } }),
        api.send(R.deleteCredential, { caller: admin, credential_id: credential.id }),
      ]);
      expect(replies.map((reply) => ('error' in reply ? reply.error.code : 'ok'))).toEqual([expect.stringMatching(/^(ok|not_found)$/), 'ok']);
      expect((await eventsOf(credential.id)).at(-1)).toBe('CredentialDeleted');
      expect(await h.app.get(Credentials).secretOf(credential.id)).toBeUndefined();
    });
  });

  describe('credential registration (002: test a stored credential, assign it to several connections)', () => {
    const PROM_USER = 'tester';
    const PROM_PASSWORD = 'registry-pass-7';
    let prometheus: TestServer;
    let good: CredentialView;
    let wrong: CredentialView;
    let root: ConnectionView;
    const answers: string[] = [];
    const send = async <T>(subject: string, body: unknown): Promise<Reply<T>> => {
      const reply = (await api.send(subject as never, body as never)) as Reply<T>;
      answers.push(JSON.stringify(reply));
      return reply;
    };
    const register = async (path: string, kind = 'prometheus', url = prometheus.url) =>
      result(await send<ConnectionView>(R.registerConnection, { caller: operator, kind, name: `${kind} /${path}`, metadata: { url: `${url}/${path}` } }));

    beforeAll(async () => {
      // A real Prometheus with basic auth (bcrypt, cost 4, of PROM_PASSWORD).
      prometheus = await startPrometheus({ basicAuth: { username: PROM_USER, password: PROM_PASSWORD, bcrypt: '$2b$04$TWK4RI8L5CLSbB61izgauunrhGt7HCiVQaJ6qwQJ/2sGvl40fH9iW' } });
      good = result(await send<CredentialView>(R.createCredential, { caller: admin, name: 'prom basic', kind: 'prometheus', secret: { username: PROM_USER, password: PROM_PASSWORD } }));
      wrong = result(await send<CredentialView>(R.createCredential, { caller: admin, name: 'prom wrong', kind: 'prometheus', secret: { api_key: 'not-the-key-1357' } }));
      root = await register('');
    });
    afterAll(() => prometheus?.stop());

    it('tests a stored credential against a stored connection or a target, answering the probe result', async () => {
      const connection = root;
      const byConnection = result(await send<ProbeResult>(R.testCredential, { caller: operator, credential_id: good.id, connection_id: connection.id }));
      expect(byConnection).toMatchObject({ ok: true, check: 'GET /-/ready, GET /api/v1/status/buildinfo', details: { version: expect.any(String) } });
      const byTarget = result(await send<ProbeResult>(R.testCredential, { caller: operator, credential_id: good.id, kind: 'prometheus', metadata: { url: prometheus.url } }));
      expect(byTarget).toMatchObject({ ok: true });
      const refused = result(await send<ProbeResult>(R.testCredential, { caller: operator, credential_id: wrong.id, connection_id: connection.id }));
      expect(refused).toMatchObject({ ok: false, error: 'HTTP 401 from /-/ready (unauthorized: check the credential)' });
      // The test changed nothing: the connection still has no credential.
      expect(result(await send<ConnectionView>(R.getConnection, { caller: operator, connection_id: connection.id })).credential_id).toBeNull();
    });

    it('refuses a test without a target, with two targets, against another kind, or by a viewer', async () => {
      const field = (reply: Reply<unknown>) => ('error' in reply ? (reply.error.details['fields'] as Array<{ field: string }>).map((f) => f.field) : []);
      expect(field(await send(R.testCredential, { caller: operator, credential_id: good.id }))).toEqual(['connection_id']);
      expect(field(await send(R.testCredential, { caller: operator, credential_id: good.id, kind: 'grafana', metadata: { url: prometheus.url } }))).toEqual(['kind']);
      const registry = await register('', 'container-registry', prometheus.url);
      expect(field(await send(R.testCredential, { caller: operator, credential_id: good.id, connection_id: registry.id }))).toEqual(['connection_id']);
      expect(field(await send(R.testCredential, { caller: operator, credential_id: good.id, connection_id: registry.id, kind: 'prometheus' }))).toEqual(['kind']);
      expect(field(await send(R.testCredential, { caller: operator, credential_id: good.id, kind: 'prometheus', metadata: {} }))).toEqual(['metadata.url']);
      expect(await send(R.testCredential, { caller: { ...operator, role: 'viewer' }, credential_id: good.id, kind: 'prometheus', metadata: { url: prometheus.url } })).toMatchObject({
        error: { code: 'forbidden' },
      });
      expect(await send(R.testCredential, { caller: { ...operator, organization_id: 'org-other' }, credential_id: good.id, kind: 'prometheus', metadata: { url: prometheus.url } })).toMatchObject({
        error: { code: 'not_found' },
      });
    });

    it('assigns one credential to several connections through the update command, each with its own result', async () => {
      const [first, second] = [root, await register('b')];
      const registry = await register('c', 'container-registry');
      const missing = '00000000-0000-4000-8000-000000000001';
      const reply = result(
        await send<{ id: string; assignments: CredentialAssignment[] }>(R.assignCredential, {
          caller: operator,
          credential_id: good.id,
          connection_ids: [first.id, registry.id, second.id, missing],
        }),
      );
      expect(reply.id).toBe(good.id);
      expect(reply.assignments).toEqual([
        { connection_id: first.id, ok: true, connection: expect.objectContaining({ id: first.id, credential_id: good.id }) },
        { connection_id: registry.id, ok: false, error: expect.objectContaining({ code: 'validation_failed', details: { fields: [expect.objectContaining({ field: 'credential_id' })] } }) },
        { connection_id: second.id, ok: true, connection: expect.objectContaining({ id: second.id, credential_id: good.id }) },
        { connection_id: missing, ok: false, error: expect.objectContaining({ code: 'not_found' }) },
      ]);
      // The same event a PUT with credential_id records, and the read model follows it.
      const history = result(await send<{ events: HistoryEntry[] }>(R.connectionHistory, { caller: operator, connection_id: first.id }));
      expect(history.events.map((e) => e.type)).toContain('ConnectionUpdated');
      expect(history.events.find((e) => e.type === 'ConnectionUpdated')?.data).toMatchObject({ changes: { credential_id: good.id } });
      await waitFor(async () => {
        const page = result(await send<{ connections: ConnectionView[] }>(R.listConnections, { caller: operator, pagesize: 100 }));
        return [first.id, second.id].every((id) => page.connections.find((c) => c.id === id)?.credential_id === good.id) || undefined;
      }, { message: 'read model has the credential' });
      expect(result(await send<ConnectionView>(R.getConnection, { caller: operator, connection_id: registry.id })).credential_id).toBeNull();
      // The assigned connections now connect with it (registration had failed its test without one).
      expect(first.status).toBe('not found');
      result(await send(R.transition, { caller: operator, connection_id: first.id, status: 'registered', cause: 'user' }));
      const connected = result(await send<ConnectionView>(R.transition, { caller: operator, connection_id: first.id, status: 'connected', cause: 'user' }));
      expect(connected.status).toBe('connected');
    });

    it('refuses an empty, repeated or non-UUID list of connections, naming the field', async () => {
      for (const connection_ids of [[], ['x'], [good.id, good.id]]) {
        const reply = await send(R.assignCredential, { caller: operator, credential_id: good.id, connection_ids });
        expect(reply).toMatchObject({ error: { code: 'validation_failed', details: { fields: [expect.objectContaining({ field: 'connection_ids' })] } } });
      }
      expect(await send(R.assignCredential, { caller: { ...operator, role: 'viewer' }, credential_id: good.id, connection_ids: [good.id] })).toMatchObject({ error: { code: 'forbidden' } });
    });

    it('never answered a secret', () => {
      expect(answers.length).toBeGreaterThan(10);
      for (const text of answers) expect(text).not.toContain(PROM_PASSWORD);
      for (const text of answers) expect(text).not.toContain('not-the-key-1357');
    });
  });

  it('refuses a secret that does not fit the kind, naming the field and not the value', async () => {
    const reply = await api.send(R.createCredential, { caller: admin, name: 'bad', kind: 'kubernetes', secret: { token: 'abc-secret', colour: 'blue-secret' } });
    expect(reply).toMatchObject({ error: { code: 'validation_failed' } });
    expect(JSON.stringify(reply)).not.toContain('blue-secret');
    expect(JSON.stringify(reply)).not.toContain('abc-secret');
  });
});
