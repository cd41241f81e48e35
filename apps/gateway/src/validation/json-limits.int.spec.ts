import type { NatsConnection } from 'nats';
import { SUBJECTS } from '@clp/contracts';
import { connectNats, MAX_JSON_DEPTH, Requester } from '@clp/messaging';
import { startGatewayHarness, type GatewayHarness } from '../gateway.fixtures';

const CONNECTIONS = '/api/integrations/connections';
const LONE = '\uD800';

/** `{ a: { a: … { a: 'x' } } }`, `levels` objects deep. */
const nested = (levels: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { a: 'x' };
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
};

describe('values no store keeps are 400s at the edge (issue 13)', () => {
  let harness: GatewayHarness;
  let token: string;
  let nc: NatsConnection;

  beforeAll(async () => {
    harness = await startGatewayHarness();
    token = harness.token('org-limits', 'alice', 'admin');
    nc = await connectNats({ servers: harness.nats.url, name: 'json-limits-test' });
  });
  afterAll(async () => {
    await nc?.close();
    await harness?.stop();
  });

  const expectRefused = (answer: { status: number; body: { error: { code: string; details: { fields: Array<{ field: string }> } } } }, field: string | RegExp) => {
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('validation_failed');
    expect(answer.body.error.details.fields).toEqual([expect.objectContaining({ field: expect.stringMatching(field) })]);
  };

  it('refuses metadata nested 1,500 levels deep, naming the path where the bound is passed', async () => {
    const answer = await harness.request('POST', CONNECTIONS, { token, body: { kind: 'prometheus', name: 'deep', metadata: nested(1500) } });
    // The body is level 1, metadata level 2: the object past the bound is metadata's 31st `a`.
    expectRefused(answer, new RegExp(`^metadata(\\.a){${MAX_JSON_DEPTH - 1}}$`));
    expect(answer.body.error.message).toContain(`${MAX_JSON_DEPTH} levels`);
  });

  it('accepts metadata as deep as the bound allows', async () => {
    const answer = await harness.request('POST', CONNECTIONS, {
      token,
      body: { kind: 'prometheus', name: 'deep-enough', metadata: { url: 'http://127.0.0.1:1', ...nested(MAX_JSON_DEPTH - 1) } },
    });
    expect(answer.status).toBe(201);
  });

  it('refuses a lone surrogate in a value, escaped in the JSON text', async () => {
    const body = `{"kind":"prometheus","name":"surrogate","metadata":{"url":"http://h/\\ud800"}}`;
    expectRefused(await harness.request('POST', CONNECTIONS, { token, body }), /^metadata\.url$/);
  });

  it('refuses a lone surrogate in a key, and in a name', async () => {
    expectRefused(await harness.request('POST', CONNECTIONS, { token, body: { kind: 'prometheus', name: 'k', metadata: { [`x${LONE}`]: 1 } } }), /^metadata\.x\uFFFD$/);
    expectRefused(await harness.request('POST', CONNECTIONS, { token, body: { kind: 'prometheus', name: `low \uDC00 first` } }), /^name$/);
  });

  it('keeps a well-formed pair of surrogates (an emoji)', async () => {
    const answer = await harness.request('POST', CONNECTIONS, { token, body: { kind: 'prometheus', name: 'emoji \u{1F600}', metadata: { url: 'http://127.0.0.1:2' } } });
    expect(answer.status).toBe(201);
    expect(answer.body.name).toBe('emoji \u{1F600}');
  });

  it('refuses a lone surrogate in a query string, as JSON a parameter holds', async () => {
    expectRefused(await harness.request('GET', `${CONNECTIONS}?tags=${encodeURIComponent('["\\ud800"]')}`, { token }), /^tags\.0$/);
  });

  it('refuses the same over NATS: the registry does not take what it cannot store', async () => {
    const api = new Requester(nc, { timeoutMs: 10_000 });
    const caller = { organization_id: 'org-limits', user_id: 'alice', role: 'admin' };
    const deep = await api.send(SUBJECTS.registry.registerConnection, { caller, kind: 'prometheus', name: 'deep', metadata: nested(1500) } as never);
    expect(deep).toMatchObject({ error: { code: 'validation_failed', details: { fields: [{ field: expect.stringMatching(/^metadata(\.a)+$/) }] } } });
    const lone = await api.send(SUBJECTS.registry.registerConnection, { caller, kind: 'prometheus', name: `x${LONE}` } as never);
    expect(lone).toMatchObject({ error: { code: 'validation_failed', details: { fields: [{ field: 'name' }] } } });
  });
});
