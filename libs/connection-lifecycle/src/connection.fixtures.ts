import type { Cause, ConnectionEvent, Status } from '@clp/contracts';
import type { CommandMetadata, ConnectionCommand } from './decider';

// Shared by this library's specs: one connection in a known organization, and the histories
// that put it in each status.
export const ID = '5b0f3c4e-8d2a-4f51-9a7e-0c1d2e3f4a5b';
export const meta = (cause: Cause): CommandMetadata => ({
  command_id: 'c0ffee00-0000-4000-8000-000000000001',
  now: '2026-11-21T10:00:00.000Z',
  actor: cause === 'user' ? { type: 'user', id: 'alice' } : { type: 'system', id: 'health-monitor' },
});

export const descriptor = {
  connection_id: ID,
  organization_id: 'org-1',
  kind: 'prometheus',
  type: 'observability',
  sub_type: 'monitoring',
  name: 'prom',
  fingerprint: 'fp-1',
  identity: { url: 'http://prom:9090' },
  metadata: {},
  credential_id: null,
};

export const passed = { ok: true, checked_at: '2026-11-21T10:00:00.000Z', latency_ms: 3, check: 'GET /-/ready' };

/** The history that puts a connection in `status`; `disconnectedBy` says who disconnected it. */
export const historyFor = (status: Status, disconnectedBy: Cause = 'system'): ConnectionEvent[] => {
  const discovered: ConnectionEvent = { type: 'ConnectionDiscovered', data: { ...descriptor, source: 'test' } };
  if (status === 'discovered') return [discovered];
  const change = (from: Status, to: Status, cause: Cause = 'user'): ConnectionEvent => ({
    type: 'StatusChanged',
    data: { connection_id: ID, organization_id: 'org-1', kind: 'prometheus', name: 'prom', from, to, cause, actor: 'x', reason: '' },
  });
  return [discovered, change('discovered', status, status === 'disconnected' ? disconnectedBy : 'user')];
};

export const request = (to: Status, cause: Cause, extra: Partial<Extract<ConnectionCommand, { type: 'RequestTransition' }>['data']> = {}): ConnectionCommand => ({
  type: 'RequestTransition',
  data: { to, reason: 'test', probe: passed, ...extra },
  metadata: meta(cause),
});

