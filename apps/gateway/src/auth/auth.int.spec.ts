import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { WORKSPACE_ROOT } from '@clp/testing';
import { configFromEnv } from '../config';
import { createGateway } from '../gateway';
import { JWT_SECRET_FOR_TESTS, startGatewayHarness, type GatewayHarness } from '../gateway.fixtures';

const CONNECTIONS = '/api/integrations/connections';
const jwt = new JwtService();
const sign = (payload: object, secret = JWT_SECRET_FOR_TESTS) => jwt.sign(payload, { secret, algorithm: 'HS256' });

describe('gateway authentication (real NATS, Redis and registry)', () => {
  let h: GatewayHarness;
  let dataDir: string;

  beforeAll(async () => {
    h = await startGatewayHarness();
    dataDir = mkdtempSync(join(tmpdir(), 'clp-gateway-auth-'));
  });

  afterAll(async () => {
    await h?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const expectUnauthorized = async (headers: Record<string, string>, message: RegExp) => {
    const answer = await h.request('GET', CONNECTIONS, { headers });
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 401,
      body: { error: { code: 'unauthorized', message: expect.stringMatching(message), details: {} } },
    });
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
  };

  it('refuses a request without a token, or with another scheme', async () => {
    await expectUnauthorized({}, /Bearer/);
    await expectUnauthorized({ authorization: 'Basic dXNlcjpwYXNz' }, /Bearer/);
    await expectUnauthorized({ authorization: 'Bearer' }, /Bearer/);
  });

  it('refuses a bad signature, an expired token, an unsigned one, and one without a known role', async () => {
    const claims = { sub: 'u1', org: 'org-a', role: 'viewer' };
    await expectUnauthorized({ authorization: `Bearer ${sign(claims, 'another-secret')}` }, /not valid/);
    await expectUnauthorized({ authorization: `Bearer ${sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 })}` }, /expired/);
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    await expectUnauthorized({ authorization: `Bearer ${unsigned}` }, /not valid/);
    await expectUnauthorized({ authorization: `Bearer ${sign({ ...claims, role: 'root' })}` }, /role must be one of viewer, operator, admin/);
    await expectUnauthorized({ authorization: `Bearer ${sign({ sub: 'u1', role: 'admin' })}` }, /organization/);
    await expectUnauthorized({ authorization: 'Bearer not.a.jwt' }, /not valid/);
  });

  it('lets a valid token read, and the registry decides what each role may change', async () => {
    const viewer = h.token('org-a', 'vic', 'viewer');
    const operator = h.token('org-a', 'olivia', 'operator');
    expect((await h.request('GET', CONNECTIONS, { token: viewer })).status).toBe(200);

    const form = { kind: 'prometheus', name: 'closed prometheus', metadata: { url: 'http://127.0.0.1:9' } };
    const refused = await h.request('POST', CONNECTIONS, { token: viewer, body: form });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden', details: { required: 'operator' } } } });
    const credential = await h.request('POST', '/api/integrations/credentials', {
      token: operator,
      body: { name: 'c', kind: 'prometheus', secret: { token: 't' } },
    });
    expect(credential).toMatchObject({ status: 403, body: { error: { code: 'forbidden', details: { required: 'admin' } } } });

    const created = await h.request('POST', CONNECTIONS, { token: operator, body: form });
    expect(created.status).toBe(201);
    const deleting = await h.request('DELETE', `${CONNECTIONS}/${created.body.id}`, { token: operator });
    expect(deleting).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
  });

  it("answers another organization's connection as not found, whatever the role", async () => {
    const owner = h.token('org-owner', 'olivia', 'operator');
    const stranger = h.token('org-stranger', 'sam', 'admin');
    const created = await h.request('POST', CONNECTIONS, {
      token: owner,
      body: { kind: 'prometheus', name: 'private', metadata: { url: 'http://127.0.0.1:10' } },
    });
    expect(created.status).toBe(201);
    const path = `${CONNECTIONS}/${created.body.id}`;
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['PUT', '', { name: 'taken' }],
      ['DELETE', '', undefined],
      ['GET', '/history', undefined],
      ['POST', '/test', undefined],
    ] as const) {
      const answer = await h.request(method, `${path}${suffix}`, { token: stranger, body });
      expect({ method, suffix, status: answer.status, code: answer.body?.error?.code }).toEqual({ method, suffix, status: 404, code: 'not_found' });
    }
    expect((await h.request('GET', path, { token: owner })).body).toMatchObject({ name: 'private' });
  });

  it('`npm run token` prints only a token, signed with the secret a gateway without AUTH_JWT_SECRET generated', async () => {
    const local = await createGateway({ ...h.config, authJwtSecret: undefined, dataDir }, false);
    await local.listen({ port: 0, host: '127.0.0.1' });
    try {
      const env = { ...process.env, DATA_DIR: dataDir, AUTH_JWT_SECRET: '', NODE_ENV: 'development' };
      const run = spawnSync('npm', ['run', '--silent', 'token', '--', '--org', 'org-t', '--user', 'tess', '--role', 'operator'], {
        cwd: WORKSPACE_ROOT,
        env,
        encoding: 'utf8',
      });
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      const token = run.stdout.trim();
      expect(jwt.decode(token)).toMatchObject({ sub: 'tess', org: 'org-t', role: 'operator' });

      const answer = await fetch(`${await local.getUrl()}${CONNECTIONS}`, { headers: { authorization: `Bearer ${token}` } });
      expect(answer.status).toBe(200);
      // The harness's gateway has another secret: the token is not valid there.
      expect((await h.request('GET', CONNECTIONS, { token })).status).toBe(401);

      const bad = spawnSync('npm', ['run', '--silent', 'token', '--', '--org', 'o', '--user', 'u', '--role', 'root'], {
        cwd: WORKSPACE_ROOT,
        env,
        encoding: 'utf8',
      });
      expect(bad.status).not.toBe(0);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toMatch(/--role must be one of viewer, operator, admin/);
    } finally {
      await local.close();
    }
  });

  it('has no dev login unless DEV_LOGIN is on: it says so, and hands out no token', async () => {
    expect((await h.request('GET', '/api/auth/dev-login')).body).toEqual({ enabled: false, roles: ['viewer', 'operator', 'admin'] });
    const refused = await h.request('POST', '/api/auth/dev-login', { body: { organization_id: 'org-d', user_id: 'dev', role: 'admin' } });
    expect({ status: refused.status, code: refused.body.error.code }).toEqual({ status: 404, code: 'not_found' });
    expect(refused.text).not.toMatch(/eyJ/);
  });

  it('with DEV_LOGIN, gives a token for the organization, user and role picked, which the API takes', async () => {
    const local = await createGateway({ ...h.config, devLogin: true }, false);
    await local.listen({ port: 0, host: '127.0.0.1' });
    try {
      const url = `${await local.getUrl()}/api/auth/dev-login`;
      const post = (body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(await (await fetch(url)).json()).toEqual({ enabled: true, roles: ['viewer', 'operator', 'admin'] });
      const bad = await post({ organization_id: 'org-d', user_id: 'dev', role: 'root' });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { details: { fields: Array<{ field: string }> } } }).error.details.fields.map((f) => f.field)).toEqual(['role']);
      const answer = await post({ organization_id: 'org-d', user_id: 'dev', role: 'operator' });
      expect(answer.status).toBe(201);
      const { token } = (await answer.json()) as { token: string };
      expect(jwt.decode(token)).toMatchObject({ sub: 'dev', org: 'org-d', role: 'operator', exp: expect.any(Number) });
      expect((await fetch(`${await local.getUrl()}${CONNECTIONS}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await local.close();
    }
  });

  it('refuses to start with DEV_LOGIN in production', () => {
    expect(() => configFromEnv({ DEV_LOGIN: 'true', NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) })).toThrow(/DEV_LOGIN .* NODE_ENV=production/);
    expect(configFromEnv({ DEV_LOGIN: 'true' }).devLogin).toBe(true);
    expect(configFromEnv({}).devLogin).toBe(false);
  });

  it('serves health, metrics and the API documents without a token', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics', '/api/docs-json', '/api/docs']) {
      expect({ path, status: (await h.request('GET', path)).status }).toEqual({ path, status: 200 });
    }
  });
});
