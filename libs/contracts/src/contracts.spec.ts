import { connectionEventSubject, ERROR_HTTP_STATUS, errorReply, isErrorReply, parseConnectionEvent, ReplyError } from './index';

describe('contracts', () => {
  it('puts the kind and the event type in the subject, safe as NATS tokens', () => {
    expect(connectionEventSubject('prometheus', 'StatusChanged')).toBe('connection.events.prometheus.StatusChanged');
    expect(connectionEventSubject('a.b *>', 'StatusChanged')).toBe('connection.events.a_b___.StatusChanged');
  });

  it('maps every error code of design.md §10 to its HTTP status', () => {
    expect(ERROR_HTTP_STATUS).toEqual({
      validation_failed: 400,
      unauthorized: 401,
      forbidden: 403,
      not_found: 404,
      invalid_transition: 409,
      conflict: 409,
      connectivity_failed: 422,
      unavailable: 503,
    });
    expect(new ReplyError('conflict', 'taken', { name: 'x' }).toReply()).toEqual(errorReply('conflict', 'taken', { name: 'x' }));
    expect(isErrorReply({ error: { code: 'not_found', message: '', details: {} } })).toBe(true);
    expect(isErrorReply({ result: { error: 1 } })).toBe(false);
  });

  it('parses a connection event from the bus and refuses anything else', () => {
    const event = {
      type: 'StatusChanged',
      data: { connection_id: 'c', from: 'connected', to: 'disconnected' },
      metadata: { event_id: 'e' },
      stream: 'connection-c',
      revision: '7',
    };
    expect(parseConnectionEvent(new TextEncoder().encode(JSON.stringify(event)))).toEqual(event);
    expect(() => parseConnectionEvent(JSON.stringify({ ...event, type: 'Unknown' }))).toThrow('not a connection event');
    expect(() => parseConnectionEvent('{"type":"StatusChanged"}')).toThrow('not a connection event');
  });
});
