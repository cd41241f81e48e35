import type { ConnectionDefinition, ConnectionView } from '@clp/contracts';
import {
  connectionForm,
  contextRows,
  contextSummary,
  credentialMethods,
  nextStep,
  probeSummary,
  registerBody,
  registrableKinds,
  shouldConnect,
  splitConnectionForm,
  stepIndex,
  testBody,
  titleOf,
  type Step,
} from './registration';

// The shapes of libs/connection-definitions as the API serves them.
const secret = { type: 'string', minLength: 1, maxLength: 65536 };
const prometheus: ConnectionDefinition = {
  kind: 'prometheus',
  type: 'observability',
  sub_type: 'monitoring',
  connection_schema: { title: 'Prometheus', type: 'object', required: ['url'], properties: { url: { type: 'string', format: 'uri', maxLength: 2048 } } },
  credential_schema: {
    type: 'object',
    additionalProperties: false,
    properties: { api_key: secret, token: secret, username: { type: 'string', maxLength: 256 }, password: secret },
    anyOf: [{ required: ['api_key'] }, { required: ['token'] }, { required: ['username', 'password'] }, { maxProperties: 0 }],
  },
  identity: ['url'],
  auto_connect: false,
  allowed_transitions: {
    registered: { user: ['connected', 'ignored', 'maintenance', 'deleted'], system: ['not found'] },
    'not found': { user: ['registered', 'ignored', 'deleted'], system: ['registered'] },
  },
};
const kubernetes: Pick<ConnectionDefinition, 'credential_schema'> = {
  credential_schema: {
    type: 'object',
    additionalProperties: false,
    properties: { certificate_authority: secret, token: secret, client_certificate: secret, client_key: secret, username: { type: 'string' }, password: secret },
    anyOf: [{ required: ['token'] }, { required: ['client_certificate', 'client_key'] }, { required: ['username', 'password'] }],
  },
};
const connection = (status: ConnectionView['status']) => ({ status }) as ConnectionView;

describe('the connection form from a definition', () => {
  it("is the kind's connection schema as served, with the connection's name first and required", () => {
    const { schema, uiSchema } = connectionForm(prometheus);
    expect(schema).toEqual({
      type: 'object',
      title: 'Prometheus',
      required: ['name', 'url'],
      properties: { name: { type: 'string', title: 'Name', minLength: 1, maxLength: 100 }, url: { type: 'string', format: 'uri', maxLength: 2048 } },
    });
    expect(uiSchema).toEqual({ 'ui:order': ['name', '*'], name: { 'ui:autofocus': true }, url: { 'ui:title': 'URL' } });
  });

  it('splits the answer into the name and the metadata, leaving blank fields out', () => {
    expect(splitConnectionForm({ name: ' prom ', url: 'http://p:9090', version: '', insecure: false, other: undefined })).toEqual({
      name: 'prom',
      metadata: { url: 'http://p:9090', insecure: false },
    });
  });

  it('labels fields without a title from their names', () => {
    expect(['url', 'api_key', 'insecure_skip_tls_verify', 'server'].map(titleOf)).toEqual(['URL', 'API key', 'Insecure skip TLS verify', 'Server']);
  });
});

describe('the credential forms from a definition', () => {
  it('offers one form per way to authenticate, with only the fields it requires, secrets masked, and no credential when the schema admits none', () => {
    const { optional, methods } = credentialMethods(prometheus);
    expect(optional).toBe(true);
    expect(methods.map((method) => [method.id, method.label])).toEqual([
      ['api_key', 'API key'],
      ['token', 'Bearer token'],
      ['username+password', 'Username and password'],
    ]);
    expect(methods[2].form.schema).toEqual({ type: 'object', required: ['username', 'password'], properties: { username: { type: 'string', maxLength: 256 }, password: secret }, additionalProperties: false });
    expect(methods[2].form.uiSchema).toEqual({ username: { 'ui:title': 'Username' }, password: { 'ui:title': 'Password', 'ui:widget': 'password' } });
  });

  it('adds the fields every way may carry (a certificate authority) to each form, and a kind that needs a credential is not optional', () => {
    const { optional, methods } = credentialMethods(kubernetes);
    expect(optional).toBe(false);
    expect(methods.map((method) => Object.keys(method.form.schema.properties as object))).toEqual([
      ['token', 'certificate_authority'],
      ['client_certificate', 'client_key', 'certificate_authority'],
      ['username', 'password', 'certificate_authority'],
    ]);
    expect(methods[1].label).toBe('Client certificate');
  });

  it('offers no form for a kind whose credential schema takes nothing', () => {
    expect(credentialMethods({ credential_schema: { type: 'object', maxProperties: 0 } }).methods).toEqual([]);
  });
});

describe('the request bodies', () => {
  const form = { name: 'prom', url: 'http://p:9090' };

  it('tests the form with the credential it names: none, a stored one, or a new secret (blank fields left out)', () => {
    expect(testBody('prometheus', form, { source: 'none' })).toEqual({ kind: 'prometheus', metadata: { url: 'http://p:9090' } });
    expect(testBody('prometheus', form, { source: 'existing', credentialId: 'c-1' })).toEqual({ kind: 'prometheus', metadata: { url: 'http://p:9090' }, credential_id: 'c-1' });
    expect(testBody('prometheus', form, { source: 'new', methodId: 'username+password', secret: { username: 'u', password: 'p', token: '' } })).toEqual({
      kind: 'prometheus',
      metadata: { url: 'http://p:9090' },
      credential_secret: { username: 'u', password: 'p' },
    });
    expect(testBody('prometheus', form, { source: 'new', methodId: 'token', secret: {} })).toEqual({ kind: 'prometheus', metadata: { url: 'http://p:9090' } });
  });

  it("registers in the tracker init answered, with the form's name and metadata", () => {
    expect(registerBody('t-1', 'prometheus', form, { source: 'existing', credentialId: 'c-1' })).toEqual({
      status: 'register',
      id: 't-1',
      kind: 'prometheus',
      name: 'prom',
      metadata: { url: 'http://p:9090' },
      credential_id: 'c-1',
    });
  });

  it("says what the probe found, or why it failed in the API's words", () => {
    expect(probeSummary({ ok: true, check: 'GET /api/v1/status/buildinfo', latency_ms: 12, checked_at: '', details: { version: '2.45.0' } })).toEqual({
      ok: true,
      text: 'Test passed in 12 ms (GET /api/v1/status/buildinfo), version 2.45.0',
    });
    expect(probeSummary({ ok: false, check: 'GET /-/ready', latency_ms: 3, checked_at: '', error: 'connection refused' })).toEqual({ ok: false, text: 'Test failed (GET /-/ready): connection refused' });
  });
});

describe('connecting after Register', () => {
  it("connects only when asked and the definition lets a person connect from the status the registration left", () => {
    expect(shouldConnect(prometheus, connection('registered'), true)).toBe(true);
    expect(shouldConnect(prometheus, connection('registered'), false)).toBe(false);
    expect(shouldConnect(prometheus, connection('not found'), true)).toBe(false);
    expect(shouldConnect(prometheus, connection('connected'), true)).toBe(false);
  });
});

describe('the step machine', () => {
  const registered = connection('connected');

  it('goes kind → form → environments → done, and back from the form only', () => {
    let step: Step = { step: 'kind' };
    step = nextStep(step, { type: 'choose-kind', kind: 'prometheus' });
    expect(step).toEqual({ step: 'form', kind: 'prometheus' });
    expect(nextStep(step, { type: 'back' })).toEqual({ step: 'kind' });
    step = nextStep(step, { type: 'registered', connection: registered });
    expect(step).toEqual({ step: 'environments', connection: registered });
    expect(nextStep(step, { type: 'back' })).toBe(step);
    step = nextStep(step, { type: 'assigned', connection: registered });
    expect(step).toEqual({ step: 'done', connection: registered });
    expect(stepIndex(step)).toBe(3);
  });

  it('takes the kubeconfig upload from the kind step, and ignores events a step does not expect', () => {
    const kind: Step = { step: 'kind' };
    expect(nextStep(kind, { type: 'upload-kubeconfig' })).toEqual({ step: 'kubeconfig' });
    expect(nextStep(kind, { type: 'registered', connection: registered })).toBe(kind);
    expect(nextStep({ step: 'kubeconfig' }, { type: 'back' })).toEqual({ step: 'kind' });
    expect(stepIndex({ step: 'kubeconfig' })).toBe(1);
  });

  it("offers every kind but the server's own, by name", () => {
    const kinds = registrableKinds([{ ...prometheus, kind: 'prometheus' }, { ...prometheus, kind: 'meshery' }, { ...prometheus, kind: 'grafana' }]).map((d) => d.kind);
    expect(kinds).toEqual(['grafana', 'prometheus']);
  });
});

describe('the kubeconfig results', () => {
  it('shows one row per context with what became of it and why', () => {
    const rows = contextRows({
      connected: [{ context: 'dev-admin', cluster: 'dev', user: 'dev-admin', id: 'a', status: 'connected', created: true }],
      registered: [{ context: 'staging', cluster: 'staging', user: 'ops', id: 'b', status: 'discovered', created: true, reason: 'the connectivity test failed: host not found' }],
      ignored: [{ context: 'old', cluster: 'old', user: null, id: 'c', status: 'ignored', created: false }],
      errored: [{ context: 'exec', cluster: 'dev', user: 'sso', reason: 'its user authenticates only with an exec plugin' }],
    });
    expect(rows.map((row) => [row.context, row.outcome, contextSummary(row)])).toEqual([
      ['dev-admin', 'connected', 'registered and connected'],
      ['exec', 'errored', 'failed: its user authenticates only with an exec plugin'],
      ['old', 'ignored', 'ignored, left as it is'],
      ['staging', 'registered', 'registered as discovered: the connectivity test failed: host not found'],
    ]);
    expect(contextSummary({ ...rows[0], created: false })).toBe('already connected');
  });
});
