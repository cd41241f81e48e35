import { randomUUID } from 'node:crypto';
import { decodeResourceFound } from './discovery-intake';

const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const report = {
  type: 'ConnectionDiscovered',
  data: { organization_id: 'org', kind: 'prometheus', name: 'p', metadata: { url: 'http://p:9090' }, source: 'test' },
  metadata: { event_id: randomUUID(), occurred_at: '2026-11-21T10:00:00.000Z' },
};

const fieldsOf = (value: unknown): string[] => {
  try {
    decodeResourceFound(encode(value));
  } catch (error) {
    return ((error as { details: { fields?: Array<{ field: string }> } }).details.fields ?? []).map((f) => f.field).sort();
  }
  return [];
};

describe('discovery reports', () => {
  it('decodes a valid report', () => {
    expect(decodeResourceFound(encode(report))).toEqual(report);
  });

  it('refuses what can never become a connection, naming the fields and never the values', () => {
    expect(() => decodeResourceFound(encode('{not json'))).toThrow('not JSON');
    expect(fieldsOf({ ...report, type: 'Other' })).toEqual(['type']);
    expect(fieldsOf({ ...report, data: { ...report.data, kind: 'toaster', name: '' } })).toEqual(['data.kind', 'data.name']);
    expect(fieldsOf({ ...report, metadata: { event_id: 'x', occurred_at: 'yesterday' } })).toEqual(['metadata.event_id', 'metadata.occurred_at']);
    expect(fieldsOf({ ...report, data: { ...report.data, metadata: { url: 'not a url' } } })).toEqual(['metadata.url']);
    expect(fieldsOf({ data: {} })).toEqual(['data.kind', 'data.metadata', 'data.name', 'data.organization_id', 'data.source', 'metadata', 'type']);
    let message = '';
    try {
      decodeResourceFound(encode({ ...report, data: { ...report.data, kind: 'secret-kind-value' } }));
    } catch (error) {
      message = JSON.stringify(error) + String(error);
    }
    expect(message).not.toContain('secret-kind-value');
  });

  it('refuses what no store keeps: metadata nested past MAX_JSON_DEPTH, a lone surrogate', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 1500; i++) deep = { a: deep };
    expect(fieldsOf({ ...report, data: { ...report.data, metadata: { url: 'http://p:9090', deep } } })).toEqual([expect.stringMatching(/^data\.metadata\.deep(\.a)+$/)]);
    expect(fieldsOf({ ...report, data: { ...report.data, name: 'lone \uD800' } })).toEqual(['data.name']);
  });
});
