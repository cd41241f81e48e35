import type { ResourceFound } from '@clp/contracts';
import { KINDS, schemaValidator } from '@clp/connection-definitions';

/** A discovery report as discovery publishes it on `discovery.events.<kind>.ConnectionDiscovered`. */
export type ResourceFoundReport = ResourceFound & { metadata: { event_id: string; occurred_at: string } };

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });

/** Checked for every report the intake reads: a compiled schema, not decorators. */
export const resourceFoundErrors = schemaValidator({
  type: 'object',
  required: ['type', 'data', 'metadata'],
  properties: {
    type: { const: 'ConnectionDiscovered' },
    data: {
      type: 'object',
      required: ['organization_id', 'kind', 'name', 'metadata', 'source'],
      properties: {
        organization_id: text(128),
        kind: { enum: KINDS },
        name: text(100),
        metadata: { type: 'object' },
        credential_id: { type: 'string', format: 'uuid' },
        source: text(64),
      },
    },
    metadata: {
      type: 'object',
      required: ['event_id', 'occurred_at'],
      properties: { event_id: { type: 'string', format: 'uuid' }, occurred_at: { type: 'string', format: 'date-time' } },
    },
  },
});
