import { waitFor } from '@clp/testing';
import { CapturingLogger, startGatewayHarness, type GatewayHarness } from '../gateway.fixtures';

const CREDENTIALS = '/api/integrations/credentials';
const FIRST = 'first-secret-token-91af';
const SECOND = 'rotated-secret-token-27bc';

describe('credentials over HTTP (real NATS, Redis and registry)', () => {
  let h: GatewayHarness;
  let admin: string;
  let operator: string;
  let viewer: string;
  const logger = new CapturingLogger();
  const bodies: string[] = [];

  beforeAll(async () => {
    h = await startGatewayHarness({}, logger);
    admin = h.token('org-k', 'ada', 'admin');
    operator = h.token('org-k', 'olivia', 'operator');
    viewer = h.token('org-k', 'vic', 'viewer');
  });

  afterAll(async () => {
    await h?.stop();
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
      credential_id: expect.any(String),
      organization_id: 'org-k',
      name: 'cluster token',
      kind: 'kubernetes',
      secret_fields: ['token'],
      owner: 'ada',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const path = `${CREDENTIALS}/${created.body.credential_id}`;

    const page = await waitFor(async () => {
      const answer = await call('GET', `${CREDENTIALS}?page=0&pagesize=5`, viewer);
      return answer.body.total_count === 1 ? answer.body : undefined;
    });
    expect(page).toMatchObject({ page: 0, page_size: 5, credentials: [{ credential_id: created.body.credential_id, secret_fields: ['token'] }] });
    expect((await call('GET', path, viewer)).body).toMatchObject({ name: 'cluster token' });

    const rotated = await call('PUT', path, admin, { name: 'cluster token (rotated)', secret: { username: 'ops', password: SECOND } });
    expect(rotated).toMatchObject({ status: 200, body: { name: 'cluster token (rotated)', secret_fields: ['password', 'username'] } });

    expect(await call('PUT', path, operator, { name: 'mine now' })).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await call('DELETE', path, operator)).toMatchObject({ status: 403 });
    expect(await call('GET', path, h.token('org-other', 'sam', 'admin'))).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });

    expect(await call('DELETE', path, admin)).toMatchObject({ status: 200, body: { credential_id: created.body.credential_id } });
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
      credential_id: credential.body.credential_id,
    });
    expect(connection).toMatchObject({ status: 201, body: { credential_id: credential.body.credential_id } });
    const cleared = await call('PUT', `/api/integrations/connections/${connection.body.id}`, operator, { credential_id: null });
    expect(cleared).toMatchObject({ status: 200, body: { credential_id: null } });
  });

  it('never returned or logged a secret', () => {
    expect(bodies.length).toBeGreaterThan(10);
    expect(logger.lines.length).toBeGreaterThan(0);
    for (const text of [...bodies, ...logger.lines]) {
      expect(text).not.toContain(FIRST);
      expect(text).not.toContain(SECOND);
    }
  });
});
