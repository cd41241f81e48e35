import type { ConnectionEvent } from '@clp/contracts';
import { evolveWatched, type WatchedConnection } from './watched-connection';

const id = '5f0c6a1e-3b2d-4c8e-9f1a-2b3c4d5e6f70';
const base = { connection_id: id, organization_id: 'org', kind: 'prometheus' };
const descriptor = {
  ...base,
  type: 'observability',
  sub_type: 'monitoring',
  name: 'prom',
  fingerprint: 'f',
  identity: { url: 'http://p:9090' },
  metadata: { url: 'http://p:9090' },
  credential_id: null,
};
const changed = (from: string, to: string, cause: 'user' | 'system' = 'system'): ConnectionEvent => ({
  type: 'StatusChanged',
  data: { ...base, name: 'prom', from, to, cause, actor: 'a', reason: 'r' } as Extract<ConnectionEvent, { type: 'StatusChanged' }>['data'],
});
const replay = (events: ConnectionEvent[]): WatchedConnection | undefined => events.reduce<WatchedConnection | undefined>(evolveWatched, undefined);

describe('what the monitor keeps of a connection', () => {
  const discovered: ConnectionEvent = { type: 'ConnectionDiscovered', data: { ...descriptor, source: 'test' } };

  it('keeps what it needs to probe and decide, and nothing else', () => {
    expect(replay([discovered])).toEqual({ ...base, status: 'discovered', metadata: { url: 'http://p:9090' }, credential_id: null });
    const registered: ConnectionEvent = { type: 'ConnectionRegistered', data: { ...descriptor, status: 'not found' } };
    expect(replay([registered])?.status).toBe('not found');
  });

  it('follows status changes, and who disconnected it', () => {
    expect(replay([discovered, changed('discovered', 'registered'), changed('registered', 'connected', 'user')])).toMatchObject({ status: 'connected' });
    expect(replay([discovered, changed('discovered', 'registered'), changed('registered', 'connected', 'user'), changed('connected', 'disconnected', 'user')])).toMatchObject({
      status: 'disconnected',
      disconnected_by: 'user',
    });
    const back = replay([discovered, changed('discovered', 'registered'), changed('registered', 'connected'), changed('connected', 'disconnected'), changed('disconnected', 'connected')]);
    expect(back?.status).toBe('connected');
    expect(back?.disconnected_by).toBeUndefined();
  });

  it('takes new metadata and credentials from updates', () => {
    const update: ConnectionEvent = {
      type: 'ConnectionUpdated',
      data: { ...base, changes: { name: 'renamed', metadata: { url: 'http://q:9090' }, credential_id: 'c1' } },
    };
    expect(replay([discovered, update])).toMatchObject({ metadata: { url: 'http://q:9090' }, credential_id: 'c1' });
  });

  it('forgets a deleted connection, and events of one it never knew', () => {
    const deleted: ConnectionEvent = { type: 'ConnectionDeleted', data: { ...base, fingerprint: 'f' } };
    expect(replay([discovered, changed('discovered', 'deleted'), deleted])).toBeUndefined();
    expect(replay([discovered, deleted])).toBeUndefined();
    expect(replay([changed('connected', 'disconnected')])).toBeUndefined();
  });
});
