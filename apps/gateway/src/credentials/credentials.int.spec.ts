import { startPrometheus, waitFor, type TestServer } from '@clp/testing';
import { CapturingLogger, startGatewayHarness, type GatewayHarness } from '../gateway.fixtures';

const CREDENTIALS = '/api/integrations/credentials';
const FIRST = 'first-secret-token-91af';
const SECOND = 'rotated-secret-token-27bc';
const PROM_USER = 'tester';
const PROM_PASSWORD = 'registry-pass-7';
// bcrypt (cost 4) of PROM_PASSWORD, made once with Python's crypt.
const PROM_BCRYPT = '$2b$04$TWK4RI8L5CLSbB61izgauunrhGt7HCiVQaJ6qwQJ/2sGvl40fH9iW';
const API_KEY = 'your-api-key-here-3141';

describe('credentials over HTTP (real NATS, Redis and registry)', () => {
  let h: GatewayHarness;
  let admin: string;
  let operator: string;
  let viewer: string;
  let prometheus: TestServer;
  const logger = new CapturingLogger();
  const bodies: string[] = [];

  beforeAll(async () => {
    [h, prometheus] = await Promise.all([
      startGatewayHarness({}, logger),
      startPrometheus({ basicAuth: { username: PROM_USER, password: PROM_PASSWORD, bcrypt: PROM_BCRYPT } }),
    ]);
    admin = h.token('org-k', 'ada', 'admin');
    operator = h.token('org-k', 'olivia', 'operator');
    viewer = h.token('org-k', 'vic', 'viewer');
  });

  afterAll(async () => {
    await Promise.all([h?.stop(), prometheus?.stop()]);
  });

  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const answer = await h.request(method, path, { token, body });
    bodies.push(answer.text);
    return answer;
  };

  it('creates, lists, reads, rotates and deletes a credential, showing only the names of its secret fields', async () => {
    const created = await call('POST', CREDENTIALS, admin, { name: 'cluster token', kind: 'kubernetes', secret: { token: FIRST } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      organization_id: 'org-k',
      name: 'cluster token',
      kind: 'kubernetes',
      secret_fields: ['token'],
      owner: 'ada',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const path = `${CREDENTIALS}/${created.body.id}`;

    const page = await waitFor(async () => {
      const answer = await call('GET', `${CREDENTIALS}?page=0&pagesize=5`, viewer);
      return answer.body.total_count === 1 ? answer.body : undefined;
    });
    expect(page).toMatchObject({ page: 0, page_size: 5, credentials: [{ id: created.body.id, secret_fields: ['token'] }] });
    expect((await call('GET', path, viewer)).body).toMatchObject({ name: 'cluster token' });

    const rotated = await call('PUT', path, admin, { name: 'cluster token (rotated)', secret: { username: 'ops', password: SECOND } });
    expect(rotated).toMatchObject({ status: 200, body: { name: 'cluster token (rotated)', secret_fields: ['password', 'username'] } });

    expect(await call('PUT', path, operator, { name: 'mine now' })).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await call('DELETE', path, operator)).toMatchObject({ status: 403 });
    expect(await call('GET', path, h.token('org-other', 'sam', 'admin'))).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });

    expect(await call('DELETE', path, admin)).toMatchObject({ status: 200, body: { id: created.body.id } });
    expect(await call('GET', path, viewer)).toMatchObject({ status: 404 });
  });

  it("refuses a secret that does not fit the kind's credential form without repeating it", async () => {
    const refused = await call('POST', CREDENTIALS, admin, { name: 'wrong', kind: 'kubernetes', secret: { bearer: FIRST } });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
  });

  it('lets a connection use a stored credential', async () => {
    const credential = await call('POST', CREDENTIALS, admin, { name: 'prom', kind: 'prometheus', secret: { token: SECOND } });
    const connection = await call('POST', '/api/integrations/connections', operator, {
      kind: 'prometheus',
      name: 'with a stored credential',
      metadata: { url: 'http://127.0.0.1:9' },
      credential_id: credential.body.id,
    });
    expect(connection).toMatchObject({ status: 201, body: { credential_id: credential.body.id } });
    const cleared = await call('PUT', `/api/integrations/connections/${connection.body.id}`, operator, { credential_id: null });
    expect(cleared).toMatchObject({ status: 200, body: { credential_id: null } });
  });

  it('refuses to delete a credential still used by connections (409 listing them); force=true detaches them, in their histories', async () => {
    const credential = (await call('POST', CREDENTIALS, admin, { name: 'in use', kind: 'prometheus', secret: { token: SECOND } })).body.id;
    const used = (await call('POST', '/api/integrations/connections', operator, { kind: 'prometheus', name: 'user of it', metadata: { url: 'http://127.0.0.1:9/u' }, credential_id: credential }))
      .body.id;
    const path = `${CREDENTIALS}/${credential}`;
    await waitFor(async () => (await call('GET', '/api/integrations/connections?pagesize=100', viewer)).body.connections.some((c: { id: string }) => c.id === used) || undefined, {
      message: 'the read model has the connection',
    });
    const refused = await call('DELETE', path, admin);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error: { code: 'conflict', message: expect.stringContaining('force=true'), details: { connection_ids: [used] } } });
    expect(await call('DELETE', `${path}?force=maybe`, admin)).toMatchObject({ status: 400, body: { error: { details: { fields: [expect.objectContaining({ field: 'force' })] } } } });

    expect(await call('DELETE', `${path}?force=true`, admin)).toMatchObject({ status: 200, body: { id: credential } });
    expect(await call('GET', path, viewer)).toMatchObject({ status: 404 });
    expect((await call('GET', `/api/integrations/connections/${used}`, viewer)).body.credential_id).toBeNull();
    const history = await call('GET', `/api/integrations/connections/${used}/history`, viewer);
    expect(JSON.stringify(history.body)).toContain('"credential_id":null');
  });

  it('six concurrent DELETEs of one credential: one 200, five 404, no 5xx', async () => {
    const path = `${CREDENTIALS}/${(await call('POST', CREDENTIALS, admin, { name: 'raced', kind: 'prometheus', secret: { token: SECOND } })).body.id}`;
    const statuses = (await Promise.all(Array.from({ length: 6 }, () => call('DELETE', path, admin)))).map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 404, 404, 404, 404, 404]);
  });

  it('six concurrent rotations (PUT with secret): each decided on the revision it read and answered 200, none 5xx', async () => {
    const path = `${CREDENTIALS}/${(await call('POST', CREDENTIALS, admin, { name: 'rotated', kind: 'prometheus', secret: { token: SECOND } })).body.id}`;
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => call('PUT', path, admin, { name: `rotation ${i}`, secret: { api_key: `${API_KEY}-${i}` } })));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect((await call('GET', path, viewer)).body).toMatchObject({ name: expect.stringMatching(/^rotation \d$/), secret_fields: ['api_key'] });
  });

  it("takes Meshery's type for the kind; both with different values, or neither, is a 400 naming the field", async () => {
    const typed = await call('POST', CREDENTIALS, admin, { name: 'typed', type: 'grafana', secret: { api_key: API_KEY } });
    expect(typed).toMatchObject({ status: 201, body: { kind: 'grafana', secret_fields: ['api_key'] } });
    expect(await call('POST', CREDENTIALS, admin, { name: 'both', kind: 'grafana', type: 'grafana', secret: { api_key: API_KEY } })).toMatchObject({ status: 201 });
    const fieldOf = (answer: { body: { error?: { details?: { fields?: Array<{ field: string }> } } } }) => answer.body.error?.details?.fields?.map((f) => f.field);
    const contradicting = await call('POST', CREDENTIALS, admin, { name: 'x', kind: 'grafana', type: 'prometheus', secret: { api_key: API_KEY } });
    expect(contradicting).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
    expect(fieldOf(contradicting)).toEqual(['type']);
    const neither = await call('POST', CREDENTIALS, admin, { name: 'x', secret: { api_key: API_KEY } });
    expect(neither).toMatchObject({ status: 400 });
    expect(fieldOf(neither)).toEqual(['kind']);
    expect(fieldOf(await call('POST', CREDENTIALS, admin, { name: 'x', type: 'nonsense', secret: { api_key: API_KEY } }))).toEqual(['kind']);
  });

  it("accepts 000's POST /api/integrations/connections with a Prometheus credential_secret {api_key}", async () => {
    const answer = await call('POST', '/api/integrations/connections', operator, {
      kind: 'prometheus',
      type: 'observability',
      sub_type: 'monitoring',
      name: 'production-prometheus',
      metadata: { url: `${prometheus.url}/production` },
      credential_secret: { api_key: API_KEY },
    });
    expect(answer).toMatchObject({ status: 201, body: { kind: 'prometheus', credential_id: expect.any(String) } });
    expect((await call('GET', `${CREDENTIALS}/${answer.body.credential_id}`, viewer)).body).toMatchObject({ id: answer.body.credential_id, secret_fields: ['api_key'] });
  });

  describe('credential registration (002)', () => {
    let basic: string;
    let connectionId: string;
    beforeAll(async () => {
      basic = (await call('POST', CREDENTIALS, admin, { name: 'prom basic', type: 'prometheus', secret: { username: PROM_USER, password: PROM_PASSWORD } })).body.id;
      connectionId = (await call('POST', '/api/integrations/connections', operator, { kind: 'prometheus', name: 'prom', metadata: { url: prometheus.url } })).body.id;
    });

    it('POST …/credentials/{id}/test tries a stored credential against a connection or a target, answering the probe result', async () => {
      const byConnection = await call('POST', `${CREDENTIALS}/${basic}/test`, operator, { connection_id: connectionId });
      expect(byConnection).toMatchObject({ status: 200, body: { ok: true, check: 'GET /-/ready, GET /api/v1/status/buildinfo', details: { version: expect.any(String) } } });
      const byTarget = await call('POST', `${CREDENTIALS}/${basic}/test`, operator, { kind: 'prometheus', metadata: { url: prometheus.url } });
      expect(byTarget).toMatchObject({ status: 200, body: { ok: true } });
      const keyOnly = (await call('POST', CREDENTIALS, admin, { name: 'prom key', kind: 'prometheus', secret: { api_key: API_KEY } })).body.id;
      expect(await call('POST', `${CREDENTIALS}/${keyOnly}/test`, operator, { connection_id: connectionId })).toMatchObject({
        status: 200,
        body: { ok: false, error: 'HTTP 401 from /-/ready (unauthorized: check the credential)' },
      });
    });

    it('refuses a bad test request with a 400 naming the field', async () => {
      const cases: Array<[unknown, string]> = [
        [{}, 'connection_id'],
        [{ connection_id: 'c1' }, 'connection_id'],
        [{ kind: 'grafana', metadata: { url: prometheus.url } }, 'kind'],
        [{ kind: 'prometheus', metadata: { url: 'not a url' } }, 'metadata.url'],
        [{ connection_id: connectionId, colour: 'blue' }, 'colour'],
      ];
      for (const [body, field] of cases) {
        const answer = await call('POST', `${CREDENTIALS}/${basic}/test`, operator, body);
        expect(answer).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
        expect(answer.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      }
      expect(await call('POST', `${CREDENTIALS}/x/test`, operator, { connection_id: connectionId })).toMatchObject({ status: 400 });
      expect(await call('POST', `${CREDENTIALS}/${basic}/test`, viewer, { connection_id: connectionId })).toMatchObject({ status: 403 });
    });

    it('POST …/credentials/{id}/connections assigns it to several connections, a result per connection', async () => {
      const other = (await call('POST', '/api/integrations/connections', operator, { kind: 'prometheus', name: 'prom 2', metadata: { url: `${prometheus.url}/two` } })).body.id;
      const grafana = (await call('POST', '/api/integrations/connections', operator, { kind: 'grafana', name: 'graf', metadata: { url: prometheus.url } })).body.id;
      const answer = await call('POST', `${CREDENTIALS}/${basic}/connections`, operator, { connectionIds: [connectionId, grafana, other] });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        id: basic,
        assignments: [
          { connection_id: connectionId, ok: true, connection: expect.objectContaining({ id: connectionId, credential_id: basic }) },
          { connection_id: grafana, ok: false, error: expect.objectContaining({ code: 'validation_failed' }) },
          { connection_id: other, ok: true, connection: expect.objectContaining({ id: other, credential_id: basic }) },
        ],
      });
      expect((await call('GET', `/api/integrations/connections/${connectionId}`, viewer)).body.credential_id).toBe(basic);
      expect((await call('GET', `/api/integrations/connections/${grafana}`, viewer)).body.credential_id).toBeNull();
      for (const body of [{}, { connection_ids: [] }, { connection_ids: ['c1'] }, { connection_ids: [other, other] }]) {
        const refused = await call('POST', `${CREDENTIALS}/${basic}/connections`, operator, body);
        expect(refused).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', details: { fields: [expect.objectContaining({ field: 'connection_ids' })] } } } });
      }
      expect(await call('POST', `${CREDENTIALS}/${basic}/connections`, viewer, { connection_ids: [other] })).toMatchObject({ status: 403 });
    });
  });

  it('never returned or logged a secret', () => {
    expect(bodies.length).toBeGreaterThan(10);
    expect(logger.lines.length).toBeGreaterThan(0);
    for (const text of [...bodies, ...logger.lines]) {
      expect(text).not.toContain(FIRST);
      expect(text).not.toContain(SECOND);
      expect(text).not.toContain(PROM_PASSWORD);
      expect(text).not.toContain(API_KEY);
    }
  });
});
