import { randomUUID } from 'node:crypto';
import { notificationOf } from '../notifications/notification-of';
import { statusChangedEvent } from '../notification.fixtures';
import { logSubject, scriptMessageOf } from './log-records';

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('the NOTIFICATIONS stream records as the apply script takes them', () => {
  const notification = notificationOf(statusChangedEvent('org.a b', randomUUID(), 'connected', 'disconnected'));
  if (!notification) throw new Error('a status change makes a notification');

  it('names each record by its organization, escaped, and its type', () => {
    expect(logSubject({ type: 'stored', seq: 1, notification })).toBe('notification.log.org_a_b.stored');
    expect(logSubject({ type: 'marked', organization_id: 'o>1', ids: [], status: 'read' })).toBe('notification.log.o_1.marked');
  });

  it('flattens a stored notification, stream seq first, its feed seq, its time in ms as a string and its search text', () => {
    const message = scriptMessageOf(7, bytes({ type: 'stored', seq: 3, notification }));
    expect(JSON.stringify(message).startsWith('{"seq":7,')).toBe(true);
    expect(message).toEqual({
      seq: 7,
      type: 'stored',
      feed_seq: '3',
      id: notification.id,
      org: 'org.a b',
      severity: 'error',
      category: 'connection',
      action: 'status_changed',
      acted_upon: notification.acted_upon,
      created: String(Date.parse(notification.created_at)),
      text: `${notification.description} connection status_changed`.toLowerCase(),
      doc: JSON.stringify(notification),
    });
    // A lone surrogate in the text would make the script's cjson refuse the message: replaced there.
    const odd = scriptMessageOf(9, bytes({ type: 'stored', seq: 1, notification: { ...notification, description: 'bad \ud800 name' } }));
    expect(odd).toMatchObject({ type: 'stored', text: 'bad \ufffd name connection status_changed' });
    expect(JSON.stringify(odd)).not.toMatch(/(?<!\\)\\ud800/);
    expect(scriptMessageOf(8, bytes({ type: 'deleted', organization_id: 'o', ids: ['x'] }))).toEqual({ seq: 8, type: 'deleted', org: 'o', ids: ['x'] });
  });

  it('turns anything else into an invalid message the script dead-letters', () => {
    for (const payload of ['not json', 'null', { type: 'exploded' }, { type: 'stored', seq: 1, notification: { ...notification, created_at: 'yesterday' } }, { type: 'stored', notification }, { type: 'stored', seq: 0, notification }, { type: 'marked', organization_id: 'o', ids: ['x'], status: 'seen' }, { type: 'deleted', organization_id: 'o', ids: [1] }]) {
      expect(scriptMessageOf(1, bytes(payload))).toMatchObject({ seq: 1, type: 'invalid', error: expect.any(String) });
    }
    expect(scriptMessageOf(2, bytes({ type: 'exploded' }))).toMatchObject({ kind: 'exploded' });
  });
});
