import { randomUUID } from 'node:crypto';
import type { ResourceFound } from '@clp/contracts';

/** A discovery report of the `i`th Prometheus; each call is a new report (a new event id). */
export const report = (i: number, organization_id = 'org-d') => ({
  type: 'ConnectionDiscovered',
  data: { organization_id, kind: 'prometheus', name: `prom-${i}`, metadata: { url: `http://prom-${i}.example:9090` }, source: 'test' },
  metadata: { event_id: randomUUID(), occurred_at: new Date().toISOString() },
}) satisfies ResourceFound & { metadata: { event_id: string; occurred_at: string } };

