import type { AnyIntegrationEvent, Status } from '@clp/contracts';
import { notificationOf, severityOf } from './notification-of';

const metadata = (id: string) => ({
  event_id: id,
  occurred_at: '2025-01-01T00:00:00.000Z',
  correlation_id: 'c-1',
  causation_id: null,
  actor: { type: 'system' as const, id: 'health-monitor' },
  schema_version: 1,
});

const statusChanged = (from: Status, to: Status, cause: 'user' | 'system'): AnyIntegrationEvent => ({
  type: 'StatusChanged',
  data: { connection_id: 'conn-1', organization_id: 'org-1', kind: 'prometheus', name: 'prom', from, to, cause, actor: 'health-monitor', reason: 'probe failed' },
  metadata: metadata('ev-1'),
  stream: 'connection-conn-1',
  revision: '3',
});

describe('notificationOf', () => {
  it('turns a status change into one notification about the connection, keyed by the event id', () => {
    expect(notificationOf(statusChanged('connected', 'disconnected', 'system'))).toEqual({
      id: 'ev-1',
      organization_id: 'org-1',
      category: 'connection',
      action: 'status_changed',
      severity: 'error',
      description: 'prometheus connection "prom" went from connected to disconnected: probe failed',
      acted_upon: 'conn-1',
      created_at: '2025-01-01T00:00:00.000Z',
      metadata: expect.objectContaining({ from: 'connected', to: 'disconnected', cause: 'system', event_type: 'StatusChanged', event_id: 'ev-1' }),
    });
  });

  it.each([
    ['disconnected', 'system', 'error'],
    ['disconnected', 'user', 'informational'],
    ['connected', 'system', 'success'],
    ['connected', 'user', 'success'],
    ['maintenance', 'user', 'informational'],
    ['not found', 'system', 'error'],
    ['deleted', 'user', 'informational'],
    ['ignored', 'user', 'informational'],
  ] as const)('a change to %s by %s is %s', (to, cause, severity) => {
    expect(severityOf(to, cause)).toBe(severity);
  });

  it('names a deletion by its status change, and makes nothing of ConnectionDeleted or ConnectionUpdated', () => {
    expect(notificationOf(statusChanged('connected', 'deleted', 'user'))).toMatchObject({ action: 'deleted', severity: 'informational' });
    const deleted = { type: 'ConnectionDeleted', data: { connection_id: 'c', organization_id: 'o', kind: 'k', fingerprint: 'f' }, metadata: metadata('e2'), stream: 's', revision: '1' };
    expect(notificationOf(deleted as AnyIntegrationEvent)).toBeNull();
  });

  it('makes environment and workspace events informational notifications about them', () => {
    const unassigned = {
      type: 'ConnectionUnassigned',
      data: { environment_id: 'env-1', organization_id: 'org-1', connection_id: 'conn-1', reason: 'connection_deleted' },
      metadata: metadata('ev-3'),
      stream: 'environment-env-1',
      revision: '2',
    };
    expect(notificationOf(unassigned as AnyIntegrationEvent)).toMatchObject({
      id: 'ev-3',
      category: 'environment',
      action: 'connection_unassigned',
      severity: 'informational',
      acted_upon: 'env-1',
      metadata: { connection_id: 'conn-1', reason: 'connection_deleted' },
    });
    const linked = { type: 'EnvironmentLinked', data: { workspace_id: 'ws-1', organization_id: 'org-1', environment_id: 'env-1' }, metadata: metadata('ev-4'), stream: 'workspace-ws-1', revision: '1' };
    expect(notificationOf(linked as AnyIntegrationEvent)).toMatchObject({ category: 'workspace', action: 'environment_linked', acted_upon: 'ws-1' });
  });
});
