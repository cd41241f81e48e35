import { startGatewayHarness, type GatewayHarness, type RequestOptions } from '../gateway.fixtures';

const CONNECTIONS = '/api/integrations/connections';
const CREDENTIALS = '/api/integrations/credentials';
const ID = '3b241101-e2bb-4255-8caf-4136c566a962';
const SECRET = 'never-echo-this-7c1f9e';

interface Case {
  name: string;
  method: string;
  path: string;
  options?: RequestOptions;
  field: string;
}

const CASES: Case[] = [
  { name: 'an unknown body field', method: 'POST', path: CONNECTIONS, options: { body: { kind: 'prometheus', name: 'p', colour: 'red' } }, field: 'colour' },
  { name: 'a wrong type', method: 'POST', path: CONNECTIONS, options: { body: { kind: 'prometheus', name: 42 } }, field: 'name' },
  { name: 'a too long string', method: 'POST', path: CONNECTIONS, options: { body: { kind: 'prometheus', name: 'n'.repeat(101) } }, field: 'name' },
  { name: 'a missing field', method: 'POST', path: CONNECTIONS, options: { body: { name: 'p' } }, field: 'kind' },
  { name: 'metadata that is not an object', method: 'POST', path: CONNECTIONS, options: { body: { kind: 'prometheus', name: 'p', metadata: ['x'] } }, field: 'metadata' },
  {
    name: 'a secret that is not an object of strings',
    method: 'POST',
    path: CONNECTIONS,
    options: { body: { kind: 'prometheus', name: 'p', credential_secret: { token: 7, note: SECRET } } },
    field: 'credential_secret',
  },
  { name: 'a body that is not JSON', method: 'POST', path: CONNECTIONS, options: { body: `{"kind": "prometheus", "token": "${SECRET}"` }, field: 'body' },
  { name: 'a body that is not JSON (PUT)', method: 'PUT', path: `${CONNECTIONS}/${ID}`, options: { body: '{name: x}' }, field: 'body' },
  { name: 'a malformed status array', method: 'GET', path: `${CONNECTIONS}?status=["connected"`, field: 'status' },
  { name: 'an unknown status in an array', method: 'GET', path: `${CONNECTIONS}?status=["connected","online"]`, field: 'status' },
  { name: 'an unknown single status', method: 'GET', path: `${CONNECTIONS}?status=online`, field: 'status' },
  { name: 'a kind list of numbers', method: 'GET', path: `${CONNECTIONS}?kind=[1,2]`, field: 'kind' },
  { name: 'an unknown order', method: 'GET', path: `${CONNECTIONS}?order=fingerprint`, field: 'order' },
  { name: 'an unknown query parameter', method: 'GET', path: `${CONNECTIONS}?colour=red`, field: 'colour' },
  { name: 'pagesize 0', method: 'GET', path: `${CONNECTIONS}?pagesize=0`, field: 'pagesize' },
  { name: 'pagesize 101', method: 'GET', path: `${CONNECTIONS}?pagesize=101`, field: 'pagesize' },
  { name: 'pagesize abc', method: 'GET', path: `${CONNECTIONS}?pagesize=abc`, field: 'pagesize' },
  { name: 'page -1', method: 'GET', path: `${CONNECTIONS}?page=-1`, field: 'page' },
  { name: 'page 1.5 of credentials', method: 'GET', path: `${CREDENTIALS}?page=1.5`, field: 'page' },
  { name: 'a non-UUID id (GET)', method: 'GET', path: `${CONNECTIONS}/not-a-uuid`, field: 'id' },
  { name: 'a non-UUID id (PUT)', method: 'PUT', path: `${CONNECTIONS}/42`, options: { body: { name: 'n' } }, field: 'id' },
  { name: 'a non-UUID id (DELETE)', method: 'DELETE', path: `${CONNECTIONS}/42`, field: 'id' },
  { name: 'a non-UUID id (history)', method: 'GET', path: `${CONNECTIONS}/42/history`, field: 'id' },
  { name: 'a non-UUID id (test)', method: 'POST', path: `${CONNECTIONS}/42/test`, field: 'id' },
  { name: 'a non-UUID credential id', method: 'GET', path: `${CREDENTIALS}/x`, field: 'id' },
  { name: 'an unknown status to request', method: 'PUT', path: `${CONNECTIONS}/${ID}`, options: { body: { status: 'online' } }, field: 'status' },
  { name: 'a null name', method: 'PUT', path: `${CONNECTIONS}/${ID}`, options: { body: { name: null } }, field: 'name' },
  { name: 'a credential id that is not a UUID', method: 'PUT', path: `${CONNECTIONS}/${ID}`, options: { body: { credential_id: 'c1' } }, field: 'credential_id' },
  { name: 'a reason without a status', method: 'PUT', path: `${CONNECTIONS}/${ID}`, options: { body: { name: 'n', reason: 'why' } }, field: 'reason' },
  { name: 'nothing to change', method: 'PUT', path: `${CONNECTIONS}/${ID}`, options: { body: {} }, field: 'body' },
  { name: 'an unknown registration step', method: 'POST', path: `${CONNECTIONS}/register`, options: { body: { status: 'start', kind: 'prometheus' } }, field: 'status' },
  { name: 'a register step without its tracker id', method: 'POST', path: `${CONNECTIONS}/register`, options: { body: { status: 'register', kind: 'prometheus', name: 'p' } }, field: 'id' },
  { name: 'a test without a kind', method: 'POST', path: `${CONNECTIONS}/test`, options: { body: { metadata: {} } }, field: 'kind' },
  { name: 'a credential without a secret', method: 'POST', path: CREDENTIALS, options: { body: { name: 'c', kind: 'prometheus' } }, field: 'secret' },
  {
    name: 'one field in both spellings with different values',
    method: 'POST',
    path: CONNECTIONS,
    options: { body: { kind: 'prometheus', name: 'p', credential_id: ID, credentialId: '9d4f2b1c-3e5a-4b6c-8d7e-0f1a2b3c4d5e' } },
    field: 'credential_id',
  },
  { name: 'the page size in both spellings with different values', method: 'GET', path: `${CONNECTIONS}?pagesize=10&pageSize=20`, field: 'pagesize' },
  { name: 'an unknown camelCase field, by its snake_case name', method: 'POST', path: CONNECTIONS, options: { body: { kind: 'prometheus', name: 'p', favouriteColour: 'red' } }, field: 'favourite_colour' },
  { name: 'a secret field too long', method: 'PUT', path: `${CREDENTIALS}/${ID}`, options: { body: { secret: { token: 's'.repeat(65_537) } } }, field: 'secret' },
];

describe('validation by the gateway (real NATS, Redis and registry)', () => {
  let h: GatewayHarness;
  let token: string;

  beforeAll(async () => {
    h = await startGatewayHarness();
    token = h.token('org-v', 'ada', 'admin');
  });

  afterAll(async () => {
    await h?.stop();
  });

  // With the registry stopped, a request that got past the gateway would be a 503: these 400s are the gateway's own.
  describe('with the registry stopped', () => {
    beforeAll(() => h.stopRegistry());
    afterAll(() => h.startRegistry());

    it('refuses an unknown query parameter on every route of the OpenAPI document, naming it', async () => {
      const { body: document } = await h.request('GET', '/api/docs-json');
      const routes = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, ID) })),
      );
      expect(routes.length).toBeGreaterThan(40);
      const accepted: string[] = [];
      for (const { method, path } of routes) {
        const answer = await h.request(method, `${path}?zz_unknown=1`, { token, ...(method === 'POST' || method === 'PUT' ? { body: {} } : {}) });
        const named = answer.status === 400 && answer.body?.error?.details?.fields?.some((f: { field: string }) => f.field === 'zz_unknown');
        if (!named) accepted.push(`${method} ${path}: ${answer.status}`);
      }
      expect(accepted).toEqual([]);
    });

    it.each(CASES)('refuses $name with a 400 naming $field', async ({ method, path, options, field }) => {
      const answer = await h.request(method, path, { token, ...options });
      expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({ status: 400, code: 'validation_failed' });
      expect(answer.body.error.details.fields).toEqual(expect.arrayContaining([{ field, reasons: expect.arrayContaining([expect.any(String)]) }]));
      expect(answer.body.error.message).toContain(field);
      expect(answer.text).not.toContain(SECRET);
    });
  });

  it('passes the registry’s own validation errors on, with the fields it names', async () => {
    const answer = await h.request('POST', CONNECTIONS, { token, body: { kind: 'prometheus', name: 'p', metadata: { url: 'not a url' } } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'metadata.url' })]));
    const unknownKind = await h.request('POST', `${CONNECTIONS}/register`, { token, body: { status: 'init', kind: 'mainframe' } });
    expect(unknownKind.status).toBe(400);
    expect(unknownKind.body.error.details.fields).toEqual([expect.objectContaining({ field: 'kind' })]);
  });

  it('refuses a user or password inside a metadata URL (register, update, test), saying to use a credential, never echoing it', async () => {
    const PASSWORD = 'pw-in-url-5521';
    const created = await h.request('POST', CONNECTIONS, { token, body: { kind: 'prometheus', name: 'clean', metadata: { url: 'http://127.0.0.1:9/clean' } } });
    expect(created.status).toBe(201);
    for (const [method, path, body, field] of [
      ['POST', CONNECTIONS, { kind: 'prometheus', name: 'p', metadata: { url: `http://ops:${PASSWORD}@127.0.0.1:9` } }, 'metadata.url'],
      ['POST', CONNECTIONS, { kind: 'kubernetes', name: 'k', metadata: { server: `https://${PASSWORD}@127.0.0.1:6443` } }, 'metadata.server'],
      ['PUT', `${CONNECTIONS}/${created.body.id}`, { metadata: { url: `http://ops:${PASSWORD}@127.0.0.1:9` } }, 'metadata.url'],
      ['POST', `${CONNECTIONS}/test`, { kind: 'grafana', metadata: { url: `http://admin:${PASSWORD}@127.0.0.1:3000` } }, 'metadata.url'],
    ] as const) {
      const answer = await h.request(method, path, { token, body });
      expect({ path, status: answer.status, code: answer.body?.error?.code }).toEqual({ path, status: 400, code: 'validation_failed' });
      expect(answer.body.error.details.fields).toEqual([{ field, reasons: [expect.stringContaining('credential')] }]);
      expect(answer.text).not.toContain(PASSWORD);
    }
  });

  it('accepts the list filters as JSON arrays, single values or repeated parameters', async () => {
    for (const query of [
      'status=["connected","not found"]&kind=["prometheus"]&type=observability',
      'status=connected&status=registered&order=name%20asc&pagesize=100&page=0',
      'status=not%20found&search=prom&name=p&order=created_at',
    ]) {
      const answer = await h.request('GET', `${CONNECTIONS}?${query}`, { token });
      expect({ query, status: answer.status }).toEqual({ query, status: 200 });
    }
  });

  // A body of another media type (415), over 1 MiB (413), another method on a known path (405): edges.int.spec.ts.
  it('answers an unknown route with not_found', async () => {
    const answer = await h.request('GET', '/api/integrations/nothing', { token });
    expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({ status: 404, code: 'not_found' });
  });
});
