import { v5 as uuidv5 } from 'uuid';
import { decodeCheckpoint, encodeCheckpoint, eventId, toEnvelopes } from './commit';

describe('commits', () => {
  it('gives the events of a command the same ids on every retry, and different ids per index and command', () => {
    expect(eventId('cmd-1', 0)).toBe(eventId('cmd-1', 0));
    expect(eventId('cmd-1', 0)).not.toBe(eventId('cmd-1', 1));
    expect(eventId('cmd-1', 0)).not.toBe(eventId('cmd-2', 0));
    expect(eventId('cmd-1', 0)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps the ids of stored events: UUIDv5 of "<command>/<index>" in the platform\'s namespace', () => {
    expect(eventId('cmd-é', 3)).toBe(uuidv5('cmd-é/3', '6f1d3c2a-9b8e-5d4f-8a7b-1c2d3e4f5a6b'));
  });

  it('wraps a decision with metadata taken from the command, not from a clock', () => {
    const [first, second] = toEnvelopes(
      [
        { type: 'A', data: { a: 1 } },
        { type: 'B', data: { b: 2 } },
      ],
      { command_id: 'cmd-1', now: '2026-11-21T10:00:00.000Z', actor: { type: 'user', id: 'alice' }, correlation_id: 'corr' },
    );
    expect(first.metadata).toEqual({
      event_id: eventId('cmd-1', 0),
      occurred_at: '2026-11-21T10:00:00.000Z',
      correlation_id: 'corr',
      causation_id: 'cmd-1',
      actor: { type: 'user', id: 'alice' },
      schema_version: 1,
    });
    expect(second.metadata.event_id).toBe(eventId('cmd-1', 1));
  });

  it('encodes checkpoints that round-trip and sort numerically as strings', () => {
    expect(decodeCheckpoint(encodeCheckpoint(42, 3))).toEqual([42n, 3n]);
    expect(encodeCheckpoint(9, 99) < encodeCheckpoint(10, 0)).toBe(true);
    expect(() => decodeCheckpoint('42:3')).toThrow('invalid checkpoint');
  });
});
