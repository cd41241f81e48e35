import type { HistoryEntry } from '@clp/contracts';
import { probeSummary, timelineOf } from './history';

const probe = { ok: false, checked_at: '2026-01-01T00:01:00Z', latency_ms: 3, check: 'prometheus buildinfo', error: 'connection refused' };
const events: HistoryEntry[] = [
  { type: 'ConnectionRegistered', revision: '0', occurred_at: '2026-01-01T00:00:00Z', actor: 'alice', data: { status: 'registered', probe: { ...probe, ok: true } } },
  {
    type: 'StatusChanged',
    revision: '1',
    occurred_at: '2026-01-01T00:01:00Z',
    actor: 'system',
    data: { from: 'registered', to: 'not found', cause: 'system', reason: 'health check failed twice', probe },
  },
];

describe('the lifecycle timeline', () => {
  it('shows each event newest first: who, when, from → to, cause, reason and probe', () => {
    expect(timelineOf(events)).toEqual([
      { revision: '1', when: '2026-01-01T00:01:00Z', who: 'system', what: 'Status changed', from: 'registered', to: 'not found', cause: 'system', reason: 'health check failed twice', probe },
      { revision: '0', when: '2026-01-01T00:00:00Z', who: 'alice', what: 'Registered', to: 'registered', probe: { ...probe, ok: true } },
    ]);
  });

  it('says what a probe found in a line', () => {
    expect(probeSummary(probe)).toBe('failed (prometheus buildinfo): connection refused');
    expect(probeSummary({ ...probe, ok: true })).toBe('passed in 3 ms (prometheus buildinfo)');
  });
});
