import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@clp/testing';
import { startGatewayHarness, type GatewayHarness } from '../gateway.fixtures';

describe('liveness, readiness, metrics and the OpenAPI document (real NATS, Redis and registry)', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await startGatewayHarness();
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('is ready while NATS, Redis and JetStream answer, and names Redis while it is down', async () => {
    expect(await h.request('GET', '/health/live')).toMatchObject({ status: 200, body: { status: 'live' } });
    const ready = await h.request('GET', '/health/ready');
    expect(ready).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { nats: { ok: true }, redis: { ok: true }, event_store: { ok: true } } },
    });

    await h.redis.stopProcess();
    try {
      const down = await h.request('GET', '/health/ready');
      expect(down).toMatchObject({
        status: 503,
        body: {
          error: {
            code: 'unavailable',
            message: 'not ready: redis did not answer',
            details: { failed: ['redis'], checks: { nats: { ok: true }, redis: { ok: false, error: expect.any(String) }, event_store: { ok: true } } },
          },
        },
      });
      expect((await h.request('GET', '/health/live')).status).toBe(200);
    } finally {
      await h.redis.start();
    }
    await waitFor(async () => (await h.request('GET', '/health/ready')).status === 200, { message: 'ready again after Redis restarted' });
  });

  it('counts requests by route pattern, method and status, beside the default process metrics', async () => {
    const token = h.token('org-m', 'vic', 'viewer');
    const missing = '/api/integrations/connections/3b241101-e2bb-4255-8caf-4136c566a962';
    expect((await h.request('GET', missing, { token })).status).toBe(404);
    expect((await h.request('GET', '/api/integrations/connections?pagesize=0', { token })).status).toBe(400);

    const metrics = await h.request('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="\/api\/integrations\/connections\/:id",status_code="404"\} 1$/m);
    expect(metrics.text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="\/api\/integrations\/connections",status_code="400"\} 1$/m);
    expect(metrics.text).not.toContain('3b241101');
    expect(metrics.text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(metrics.text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it('echoes a correlation id, or makes one', async () => {
    const given = await h.request('GET', '/health/live', { headers: { 'correlation-id': 'trace-me-42' } });
    expect(given.headers.get('correlation-id')).toBe('trace-me-42');
    const made = await h.request('GET', '/health/live');
    expect(made.headers.get('correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('documents every route with the bearer scheme at /api/docs-json, and serves the UI at /api/docs', async () => {
    const { status, body } = await h.request('GET', '/api/docs-json');
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    const operations = Object.entries(body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /api/integrations/connections',
        'GET /api/integrations/connections/status',
        'POST /api/integrations/connections',
        'POST /api/integrations/connections/register',
        'POST /api/integrations/connections/test',
        'GET /api/integrations/connections/{id}',
        'PUT /api/integrations/connections/{id}',
        'DELETE /api/integrations/connections/{id}',
        'POST /api/integrations/connections/{id}/test',
        'GET /api/integrations/connections/{id}/history',
        'GET /api/integrations/connection-definitions',
        'GET /api/integrations/credentials',
        'POST /api/integrations/credentials',
        'GET /api/integrations/credentials/{id}',
        'PUT /api/integrations/credentials/{id}',
        'DELETE /api/integrations/credentials/{id}',
        'POST /api/integrations/credentials/{id}/test',
        'POST /api/integrations/credentials/{id}/connections',
        'POST /api/system/kubernetes',
        'POST /api/system/kubernetes/scan',
        'GET /api/environments',
        'POST /api/environments',
        'GET /api/environments/{id}',
        'PUT /api/environments/{id}',
        'DELETE /api/environments/{id}',
        'POST /api/environments/{id}/recover',
        'GET /api/environments/{id}/connections',
        'POST /api/environments/{id}/connections/{connectionId}',
        'DELETE /api/environments/{id}/connections/{connectionId}',
        'GET /api/workspaces',
        'POST /api/workspaces',
        'GET /api/workspaces/{id}',
        'PUT /api/workspaces/{id}',
        'DELETE /api/workspaces/{id}',
        'GET /api/workspaces/{id}/environments',
        'POST /api/workspaces/{id}/environments/{environmentId}',
        'DELETE /api/workspaces/{id}/environments/{environmentId}',
        'GET /api/workspaces/{id}/connections',
        'GET /api/system/events',
        'GET /api/system/events/subscribe',
        'GET /api/system/events/types',
        'PUT /api/system/events/status/bulk',
        'PUT /api/system/events/status/{id}',
        'DELETE /api/system/events/bulk',
        'DELETE /api/system/events/{id}',
        'GET /api/auth/dev-login',
        'POST /api/auth/dev-login',
        'GET /health/live',
        'GET /health/ready',
        'GET /metrics',
      ].sort(),
    );
    expect(body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(body.paths['/api/integrations/connections'].get.security).toEqual([{ bearer: [] }]);
    const list = body.paths['/api/integrations/connections'].get.parameters.map((p: { name: string }) => p.name);
    expect(list).toEqual(expect.arrayContaining(['page', 'pagesize', 'search', 'name', 'order', 'status', 'kind', 'type', 'tags']));
    expect(body.components.schemas.RegisterConnectionDto.properties.credential_secret.writeOnly).toBe(true);

    expect(body.paths['/health/live'].get.security).toEqual([]);
    // Before sign-in: no token to send.
    expect(body.paths['/api/auth/dev-login'].post.security).toEqual([]);
    expect(body.paths['/metrics'].get.responses['200'].content['text/plain']).toBeDefined();
    expect(body.servers).toEqual([expect.objectContaining({ url: expect.any(String) })]);
    expect(body.info.license).toMatchObject({ name: 'Apache-2.0' });
    // The server refuses unknown fields and takes Meshery's camelCase spellings: the document says both.
    const register = body.components.schemas.RegisterConnectionDto;
    expect(register.additionalProperties).toBe(false);
    expect(register.properties.credentialSecret).toMatchObject({ type: 'object', writeOnly: true });
    expect(list).toEqual(expect.arrayContaining(['pageSize']));

    const ui = await h.request('GET', '/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('serves a document that redocly lints with no errors', async () => {
    const { text } = await h.request('GET', '/api/docs-json');
    const dir = mkdtempSync(join(tmpdir(), 'clp-openapi-'));
    const file = join(dir, 'openapi.json');
    writeFileSync(file, text);
    const cli = require.resolve('@redocly/cli/bin/cli.js');
    // Exit code 1 when it finds errors; the JSON report is printed either way.
    const run = spawnSync(process.execPath, [cli, 'lint', file, '--format=json'], { encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
    rmSync(dir, { recursive: true, force: true });
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as { totals: { errors: number }; problems: { severity: string; ruleId: string; location: { pointer: string }[] }[] };
    const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} ${p.location[0]?.pointer}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 60_000);
});
