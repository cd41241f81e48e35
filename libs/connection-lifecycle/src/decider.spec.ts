import type { ConnectionEvent } from '@clp/contracts';
import { deciderSpec } from '@clp/testing';
import { connectionDecider, type ConnectionCommand } from './decider';
import { ID, descriptor, historyFor, meta, passed } from './connection.fixtures';

const { given, stateOf } = deciderSpec(connectionDecider);

const discover: ConnectionCommand = { type: 'DiscoverConnection', data: { ...descriptor, source: 'kubeconfig' }, metadata: meta('system') };
const register = (extra: Partial<Extract<ConnectionCommand, { type: 'RegisterConnection' }>['data']> = {}): ConnectionCommand => ({
  type: 'RegisterConnection',
  data: { ...descriptor, auto_connect: false, probe: passed, ...extra },
  metadata: meta('user'),
});

describe('discovery', () => {
  it('creates a discovered connection', () => {
    given([]).when(discover).then([{ type: 'ConnectionDiscovered', data: { ...descriptor, source: 'kubeconfig' } }]);
  });

  it('ignored is sticky: discovering it again changes nothing and emits nothing', () => {
    given(historyFor('ignored')).when(discover).then([]);
    expect(stateOf(historyFor('ignored')).status).toBe('ignored');
  });

  it('a known resource discovered again emits nothing', () => {
    given(historyFor('connected')).when(discover).then([]);
  });
});

describe('manual registration', () => {
  it('with a passed connectivity test creates a registered connection', () => {
    given([]).when(register()).then([{ type: 'ConnectionRegistered', data: { ...descriptor, status: 'registered', probe: passed } }]);
  });

  it('with a failed connectivity test creates it in not found', () => {
    const failed = { ...passed, ok: false, error: 'connection refused' };
    const [event] = given([]).when(register({ probe: failed })).events();
    expect(event).toMatchObject({ type: 'ConnectionRegistered', data: { status: 'not found' } });
    expect(stateOf([event]).status).toBe('not found');
  });

  it('of an auto-connect kind connects it in the same decision, as the system', () => {
    const events = given([]).when(register({ auto_connect: true })).events();
    expect(events.map((e) => e.type)).toEqual(['ConnectionRegistered', 'StatusChanged']);
    expect(events[1].data).toMatchObject({ from: 'registered', to: 'connected', cause: 'system', reason: 'auto_connect' });
    expect(stateOf(events).status).toBe('connected');
  });

  it('of an existing connection is a conflict', () => {
    given(historyFor('registered')).when(register()).thenThrows({ code: 'conflict' });
  });
});

describe('update', () => {
  const update = (data: Extract<ConnectionCommand, { type: 'UpdateConnection' }>['data']): ConnectionCommand => ({
    type: 'UpdateConnection',
    data,
    metadata: meta('user'),
  });

  it('merges metadata and reports only what changed', () => {
    const history: ConnectionEvent[] = [{ type: 'ConnectionDiscovered', data: { ...descriptor, metadata: { server: 'a', version: '1' }, source: 't' } }];
    given(history)
      .when(update({ name: 'prom', metadata: { team: 'sre' } }))
      .then([
        {
          type: 'ConnectionUpdated',
          data: { connection_id: ID, organization_id: 'org-1', kind: 'prometheus', changes: { metadata: { server: 'a', version: '1', team: 'sre' } } },
        },
      ]);
  });

  it('sets tags, and reports them only when they change', () => {
    const tagged: ConnectionEvent = {
      type: 'ConnectionUpdated',
      data: { connection_id: ID, organization_id: 'org-1', kind: 'prometheus', changes: { tags: ['prod', 'team-a'] } },
    };
    given(historyFor('connected')).when(update({ tags: ['prod', 'team-a'] })).then([tagged]);
    given([...historyFor('connected'), tagged]).when(update({ tags: ['prod', 'team-a'] })).then([]);
    given(historyFor('connected')).when(update({ tags: [] })).then([]);
  });

  it("records a kubernetes connection's MeshSync mode change as its own event, with the update", () => {
    const cluster: ConnectionEvent[] = [
      { type: 'ConnectionDiscovered', data: { ...descriptor, kind: 'kubernetes', name: 'dev', metadata: { server: 'https://k8s' }, source: 't' } },
    ];
    const updated: ConnectionEvent = {
      type: 'ConnectionUpdated',
      data: { connection_id: ID, organization_id: 'org-1', kind: 'kubernetes', changes: { metadata: { server: 'https://k8s', meshsync_deployment_mode: 'edge' } } },
    };
    given(cluster)
      .when(update({ metadata: { meshsync_deployment_mode: 'edge' } }))
      .then([
        updated,
        {
          type: 'MeshSyncModeChanged',
          data: { connection_id: ID, organization_id: 'org-1', kind: 'kubernetes', name: 'dev', from: 'cluster', to: 'edge', actor: 'alice' },
        },
      ]);
    // Setting the default explicitly changes the metadata, not the mode.
    given(cluster)
      .when(update({ metadata: { meshsync_deployment_mode: 'cluster' } }))
      .then([{ ...updated, data: { ...updated.data, changes: { metadata: { server: 'https://k8s', meshsync_deployment_mode: 'cluster' } } } } as ConnectionEvent]);
    given([...cluster, updated]).when(update({ metadata: { meshsync_deployment_mode: 'edge' } })).then([]);
  });

  it('refuses a MeshSync mode for kinds other than kubernetes, naming the field', () => {
    given(historyFor('connected'))
      .when(update({ metadata: { meshsync_deployment_mode: 'edge' } }))
      .thenThrows({ code: 'validation_failed', details: { fields: [{ field: 'metadata.meshsync_deployment_mode' }] } });
  });

  it('that changes nothing emits nothing', () => {
    given(historyFor('connected')).when(update({ name: 'prom', metadata: {} })).then([]);
  });

  it('of an unknown or deleted connection is not found', () => {
    given([]).when(update({ name: 'x' })).thenThrows({ code: 'not_found' });
    given(historyFor('deleted')).when(update({ name: 'x' })).thenThrows({ code: 'not_found' });
  });
});

describe('delete', () => {
  const remove: ConnectionCommand = { type: 'DeleteConnection', data: { reason: 'decommissioned' }, metadata: meta('user') };

  it('is one decision: the status change to deleted and ConnectionDeleted', () => {
    given(historyFor('connected'))
      .when(remove)
      .then([
        {
          type: 'StatusChanged',
          data: { connection_id: ID, organization_id: 'org-1', kind: 'prometheus', name: 'prom', from: 'connected', to: 'deleted', cause: 'user', actor: 'alice', reason: 'decommissioned' },
        },
        { type: 'ConnectionDeleted', data: { connection_id: ID, organization_id: 'org-1', kind: 'prometheus', fingerprint: 'fp-1' } },
      ]);
  });

  it('is terminal: a deleted connection cannot be deleted again', () => {
    given(historyFor('deleted')).when(remove).thenThrows({ code: 'not_found' });
  });

  it('the system cannot delete', () => {
    given(historyFor('connected')).when({ ...remove, metadata: meta('system') }).thenThrows({ code: 'invalid_transition' });
  });
});
