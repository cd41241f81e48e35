import type { ConnectionDefinition } from '@clp/contracts';
import { ApiError } from './api';
import { canManageCredentials, connectionsInUse, createCredentialBody, credentialKinds, methodOf, rotateCredentialBody, secretOf, usersByCredential } from './credentials';

const definition = (kind: string, credential_schema: Record<string, unknown>) => ({ kind, credential_schema }) as unknown as ConnectionDefinition;

describe('credentials', () => {
  it('are managed by admins only', () => {
    expect(canManageCredentials('admin')).toBe(true);
    expect(canManageCredentials('operator')).toBe(false);
    expect(canManageCredentials('viewer')).toBe(false);
  });

  it('can be made for the kinds whose credential schema names a way to authenticate, with the registration\'s forms', () => {
    const kinds = credentialKinds([
      definition('prometheus', {
        type: 'object',
        properties: { api_key: { type: 'string' }, token: { type: 'string' } },
        anyOf: [{ maxProperties: 0 }, { required: ['api_key'] }, { required: ['token'] }],
      }),
      definition('meshery', { type: 'object', properties: {}, anyOf: [{ maxProperties: 0 }] }),
      definition('grafana', { type: 'object', properties: { api_key: { type: 'string' } }, required: ['api_key'] }),
    ]);
    expect(kinds.map((k) => [k.kind, k.methods.map((m) => m.id)])).toEqual([
      ['grafana', ['api_key']],
      ['prometheus', ['api_key', 'token']],
    ]);
    expect(kinds[1].methods[0].form.uiSchema).toEqual({ api_key: { 'ui:title': 'API key', 'ui:widget': 'password' } });
  });

  it('are rotated with the way they authenticate, found from their secret field names', () => {
    const [{ methods }] = credentialKinds([
      definition('prometheus', {
        type: 'object',
        properties: { api_key: { type: 'string' }, username: { type: 'string' }, password: { type: 'string' } },
        anyOf: [{ required: ['api_key'] }, { required: ['username', 'password'] }],
      }),
    ]);
    expect(methodOf(methods, ['password', 'username'])?.id).toBe('username+password');
    expect(methodOf(methods, ['api_key'])?.id).toBe('api_key');
    expect(methodOf(methods, [])?.id).toBe('api_key');
    expect(methodOf([], ['api_key'])).toBeUndefined();
  });

  it('send only filled fields as the secret', () => {
    expect(secretOf({ username: 'u', password: '', ca: undefined, n: 3 })).toEqual({ username: 'u' });
    expect(createCredentialBody(' prom key ', 'prometheus', { api_key: 'k', token: '' })).toEqual({ name: 'prom key', kind: 'prometheus', secret: { api_key: 'k' } });
  });

  it('rotate with the new secret, renamed only when the name changed', () => {
    expect(rotateCredentialBody({ name: 'a' }, 'a', { token: 't' })).toEqual({ secret: { token: 't' } });
    expect(rotateCredentialBody({ name: 'a' }, ' b ', { token: 't' })).toEqual({ name: 'b', secret: { token: 't' } });
  });

  it("read the connections a refused delete names from the 409's details", () => {
    expect(connectionsInUse(new ApiError(409, 'conflict', 'in use', { connection_ids: ['c1', 'c2', 3] }))).toEqual(['c1', 'c2']);
    expect(connectionsInUse(new ApiError(404, 'not_found', 'gone', { connection_ids: ['c1'] }))).toBeNull();
    expect(connectionsInUse(new ApiError(409, 'conflict', 'other'))).toBeNull();
    expect(connectionsInUse(new Error('x'))).toBeNull();
  });

  it('group connections by the credential they use, by name', () => {
    const users = usersByCredential([
      { id: '1', name: 'zeta', credential_id: 'k' },
      { id: '2', name: 'alpha', credential_id: 'k' },
      { id: '3', name: 'none', credential_id: null },
      { id: '4', name: 'other', credential_id: 'j' },
    ]);
    expect(users.get('k')).toEqual([
      { id: '2', name: 'alpha' },
      { id: '1', name: 'zeta' },
    ]);
    expect(users.get('j')).toEqual([{ id: '4', name: 'other' }]);
    expect(users.has('none')).toBe(false);
  });
});
