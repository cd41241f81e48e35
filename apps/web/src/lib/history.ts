import type { HistoryEntry, ProbeResult, Status } from '@clp/contracts';

/** One step of a connection's lifecycle, as the timeline shows it. */
export interface TimelineItem {
  revision: string;
  when: string;
  who: string;
  what: string;
  from?: Status;
  to?: Status;
  cause?: string;
  reason?: string;
  probe?: ProbeResult;
}

type Data = { status?: Status; from?: Status; to?: Status; cause?: string; reason?: string; probe?: ProbeResult; source?: string; changes?: Record<string, unknown> };

const WHAT: Record<string, string> = {
  ConnectionDiscovered: 'Discovered',
  ConnectionRegistered: 'Registered',
  StatusChanged: 'Status changed',
  ConnectionUpdated: 'Updated',
  MeshSyncModeChanged: 'MeshSync mode changed',
  ConnectionDeleted: 'Deleted',
};

/** The history of GET /connections/{id}/history (oldest first) as timeline items, newest first. */
export const timelineOf = (events: HistoryEntry[]): TimelineItem[] =>
  events
    .map((event) => {
      const data = (event.data ?? {}) as Data;
      const item: TimelineItem = { revision: event.revision, when: event.occurred_at, who: event.actor, what: WHAT[event.type] ?? event.type };
      if (event.type === 'StatusChanged') Object.assign(item, { from: data.from, to: data.to, cause: data.cause, reason: data.reason || undefined });
      if (event.type === 'ConnectionRegistered') item.to = data.status;
      if (event.type === 'ConnectionDiscovered') Object.assign(item, { to: 'discovered', reason: data.source ? `found by ${data.source}` : undefined });
      if (event.type === 'ConnectionUpdated' && data.changes) item.reason = `changed ${Object.keys(data.changes).join(', ')}`;
      if (data.probe) item.probe = data.probe;
      return item;
    })
    .reverse();

/** A probe result in one line: `ok, 12 ms (prometheus buildinfo)` or the error. */
export const probeSummary = (probe: ProbeResult): string =>
  probe.ok ? `passed in ${probe.latency_ms} ms (${probe.check})` : `failed (${probe.check}): ${probe.error ?? 'no detail'}`;
