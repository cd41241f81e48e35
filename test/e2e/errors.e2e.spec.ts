import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { ERROR_HTTP_STATUS, type ErrorCode } from '@clp/contracts';
import { freePort, startPrometheus, WORKSPACE_ROOT, type TestServer } from '@clp/testing';
import { startSystem, type HttpReply, type RunningSystem } from './system.fixtures';

// Every error of design.md §10 with its HTTP status, roles, organizations and paging edges, over HTTP
// only, against the real services.
const ORG = 'org-errors';
const OTHER = 'org-other';
const viewer = { organization_id: ORG, role: 'viewer' as const };
const operator = { organization_id: ORG, role: 'operator' as const };
const admin = { organization_id: ORG, role: 'admin' as const };
const CONNECTIONS = '/api/integrations/connections';

const expectError = (reply: HttpReply, code: ErrorCode, field?: string) => {
  expect({ status: reply.status, code: reply.body?.error?.code }).toEqual({ status: ERROR_HTTP_STATUS[code], code });
  expect(typeof reply.body.error.message).toBe('string');
  expect(reply.body.error.details).toEqual(expect.any(Object));
  if (field) expect(reply.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
};

describe('errors, roles, organizations and paging over HTTP (e2e: real services)', () => {
  let system: RunningSystem;
  let prometheus: TestServer;
  let promId: string;

  beforeAll(async () => {
    [system, prometheus] = await Promise.all([startSystem({ validateResponses: true }), startPrometheus()]);
    const created = await system.http('POST', CONNECTIONS, { as: operator, body: { kind: 'prometheus', name: 'prom', metadata: { url: prometheus.url } } });
    expect(created.status).toBe(201);
    promId = created.body.id;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([system?.stop(), prometheus?.stop()]);
  });

  it('400 validation_failed names the field, for bodies, queries and ids, and is never a 500', async () => {
    const cases: Array<[string, string, { body?: unknown; raw?: string }, string | undefined]> = [
      ['POST', CONNECTIONS, { body: { kind: 'prometheus', name: 'x', metadata: { url: prometheus.url }, surprise: 1 } }, 'surprise'],
      ['POST', CONNECTIONS, { body: { kind: 'prometheus', name: 42, metadata: { url: prometheus.url } } }, 'name'],
      ['POST', CONNECTIONS, { body: { kind: 'prometheus', name: 'n'.repeat(1000), metadata: { url: prometheus.url } } }, 'name'],
      ['POST', CONNECTIONS, { raw: '{"kind": "prometheus", ' }, undefined],
      ['GET', `${CONNECTIONS}?status=${encodeURIComponent('["connected"')}`, {}, 'status'],
      ['GET', `${CONNECTIONS}?status=${encodeURIComponent('["sleeping"]')}`, {}, 'status'],
      ['GET', `${CONNECTIONS}?pagesize=0`, {}, 'pagesize'],
      ['GET', `${CONNECTIONS}?pagesize=101`, {}, 'pagesize'],
      ['GET', `${CONNECTIONS}?pagesize=abc`, {}, 'pagesize'],
      ['GET', `${CONNECTIONS}?page=-1`, {}, 'page'],
      ['GET', `${CONNECTIONS}/not-a-uuid`, {}, 'id'],
      ['PUT', `${CONNECTIONS}/${randomUUID()}`, { body: { status: 'asleep' } }, 'status'],
    ];
    for (const [method, path, options, field] of cases) {
      const reply = await system.http(method, path, { as: admin, ...options });
      expectError(reply, 'validation_failed', field);
    }
  });

  it('401 without a valid token, 403 for a role that may not, 404 for another organization', async () => {
    expectError(await system.http('GET', CONNECTIONS), 'unauthorized');
    expectError(await system.http('GET', CONNECTIONS, { as: 'Bearer not.a.token' }), 'unauthorized');
    expectError(await system.http('GET', CONNECTIONS, { as: `Bearer ${system.token(viewer)}x` }), 'unauthorized');

    expectError(await system.http('POST', CONNECTIONS, { as: viewer, body: { kind: 'prometheus', name: 'v', metadata: { url: prometheus.url } } }), 'forbidden');
    expectError(await system.http('DELETE', `${CONNECTIONS}/${promId}`, { as: operator }), 'forbidden');
    expectError(await system.http('POST', '/api/integrations/credentials', { as: operator, body: { name: 'c', kind: 'prometheus', secret: { token: 't' } } }), 'forbidden');

    const stranger = { organization_id: OTHER, role: 'admin' as const };
    expectError(await system.http('GET', `${CONNECTIONS}/${promId}`, { as: stranger }), 'not_found');
    expectError(await system.http('PUT', `${CONNECTIONS}/${promId}`, { as: stranger, body: { name: 'mine' } }), 'not_found');
    expectError(await system.http('DELETE', `${CONNECTIONS}/${promId}`, { as: stranger }), 'not_found');
    expect((await system.http('GET', CONNECTIONS, { as: stranger })).body.total_count).toBe(0);
    expectError(await system.http('GET', `${CONNECTIONS}/${randomUUID()}`, { as: viewer }), 'not_found');
    expect((await system.http('GET', `${CONNECTIONS}/${promId}`, { as: viewer })).status).toBe(200);
  });

  it('a token from `npm run token` is valid for the running system', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'token', '--', '--org', ORG, '--user', 'cli', '--role', 'viewer'], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, AUTH_JWT_SECRET: system.secret },
    });
    const reply = await system.http('GET', `${CONNECTIONS}/${promId}`, { as: `Bearer ${stdout.trim()}` });
    expect(reply.status).toBe(200);
  });

  it('409 invalid_transition with the allowed targets, 409 conflict, 422 connectivity_failed', async () => {
    const refused = await system.http('PUT', `${CONNECTIONS}/${promId}`, { as: operator, body: { status: 'discovered' } });
    expectError(refused, 'invalid_transition');
    expect(refused.body.error.details.allowed).toEqual(expect.arrayContaining(['connected', 'ignored', 'maintenance', 'deleted']));

    expectError(await system.http('POST', CONNECTIONS, { as: operator, body: { kind: 'prometheus', name: 'again', metadata: { url: prometheus.url } } }), 'conflict');

    const closed = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await system.http('POST', CONNECTIONS, { as: operator, body: { kind: 'prometheus', name: 'gone', metadata: { url: closed } } });
    expect(unreachable.body.status).toBe('not found');
    const connect = await system.http('PUT', `${CONNECTIONS}/${unreachable.body.id}`, { as: operator, body: { status: 'registered' } });
    expectError(connect, 'connectivity_failed');
  });

  it('pages past the end answer an empty page with the total', async () => {
    const page = await system.http('GET', `${CONNECTIONS}?page=50&pagesize=100`, { as: viewer });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ connections: [], page: 50, page_size: 100 });
    expect(page.body.total_count).toBeGreaterThanOrEqual(2);
    const last = await system.http('GET', `${CONNECTIONS}?pagesize=1&page=${page.body.total_count - 1}`, { as: viewer });
    expect(last.body.connections).toHaveLength(1);
  });

  it('503 unavailable when the registry does not answer, and back when it returns', async () => {
    await system.registry.stop();
    // No responder at once, not a timeout: the answer says which.
    const down = await system.http('GET', CONNECTIONS, { as: viewer });
    expectError(down, 'unavailable');
    expect(down.body.error.message).toMatch(/^no service answers/);
    expect((await system.http('GET', '/health/live')).status).toBe(200);
    await system.startRegistry();
    expect((await system.http('GET', CONNECTIONS, { as: viewer })).status).toBe(200);
  }, 90_000);

  it('answered every request above as the OpenAPI document says (the validating proxy saw no response violation)', () => {
    expect(system.bodies.length).toBeGreaterThan(10);
    expect(system.responseViolations).toEqual([]);
  });
});
