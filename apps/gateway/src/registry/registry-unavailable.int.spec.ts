import { connect, type NatsConnection } from 'nats';
import { QUEUE_GROUPS, SUBJECTS } from '@clp/contracts';
import { waitFor } from '@clp/testing';
import { startGatewayHarness, type GatewayHarness } from '../gateway.fixtures';

const CONNECTIONS = '/api/integrations/connections';
const REQUEST_TIMEOUT_MS = 600;
const CONNECTIVITY_TIMEOUT_MS = 1500;

describe('a registry that does not answer (real NATS, Redis and registry)', () => {
  let h: GatewayHarness;
  let nc: NatsConnection;
  let token: string;

  beforeAll(async () => {
    h = await startGatewayHarness({ requestTimeoutMs: REQUEST_TIMEOUT_MS, connectivityTimeoutMs: CONNECTIVITY_TIMEOUT_MS });
    nc = await connect({ servers: h.nats.url });
    token = h.token('org-u', 'olivia', 'operator');
  });

  afterAll(async () => {
    await nc?.close();
    await h?.stop();
  });

  const timed = async (method: string, path: string, body?: unknown) => {
    const started = Date.now();
    const answer = await h.request(method, path, { token, body });
    return { ...answer, ms: Date.now() - started };
  };

  it('is a 503 unavailable at once when no registry is running, and serves again when one starts', async () => {
    expect((await timed('GET', CONNECTIONS)).status).toBe(200);
    await h.stopRegistry();
    const down = await timed('GET', CONNECTIONS);
    // "No responders" from the NATS server, not a timeout.
    expect({ status: down.status, body: down.body }).toEqual({
      status: 503,
      body: { error: { code: 'unavailable', message: expect.stringMatching(/^no service answers/), details: { subject: SUBJECTS.registry.listConnections } } },
    });
    await h.startRegistry();
    await waitFor(async () => (await timed('GET', CONNECTIONS)).status === 200, { message: 'the registry answers again' });
  });

  it('is a 503 after REQUEST_TIMEOUT_MS when the registry takes the request and never answers', async () => {
    await h.stopRegistry();
    // A replica that hangs: it takes every request of the registry's queue group and answers none.
    const hung = nc.subscribe('registry.>', { queue: QUEUE_GROUPS.registry });
    // The subscription must reach the server before the request does, or no one answers at once.
    await nc.flush();
    try {
      const query = await timed('GET', `${CONNECTIONS}/3b241101-e2bb-4255-8caf-4136c566a962`);
      expect(query).toMatchObject({ status: 503, body: { error: { code: 'unavailable', details: { timeout_ms: REQUEST_TIMEOUT_MS } } } });
      expect(query.ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS);

      // A command that runs a connectivity test first is given the test's budget too.
      const command = await timed('POST', CONNECTIONS, { kind: 'prometheus', name: 'p', metadata: { url: 'http://127.0.0.1:9' } });
      const budget = REQUEST_TIMEOUT_MS + CONNECTIVITY_TIMEOUT_MS;
      expect(command).toMatchObject({ status: 503, body: { error: { code: 'unavailable', details: { timeout_ms: budget } } } });
      expect(command.ms).toBeGreaterThanOrEqual(budget);
    } finally {
      hung.unsubscribe();
      await h.startRegistry();
    }
    await waitFor(async () => (await timed('GET', CONNECTIONS)).status === 200, { message: 'the registry answers again' });
  });
});
