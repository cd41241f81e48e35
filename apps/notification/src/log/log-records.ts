import type { NewNotification } from '../notifications/notification-of';

/**
 * What the NOTIFICATIONS stream holds (docs/notification.md): each notification once, as it was
 * made, and each change people made to them. Redis is their projection.
 */
export type LogRecord =
  /** `seq`: its place in the organization's feed, given out when it is appended (see NotificationLog.stored). */
  | { type: 'stored'; seq: number; notification: NewNotification }
  | { type: 'marked'; organization_id: string; ids: string[]; status: 'read' | 'unread' }
  | { type: 'deleted'; organization_id: string; ids: string[] };

/** NATS subject tokens may not hold `.`, `*`, `>` or whitespace (as in @clp/contracts). */
const token = (value: string): string => value.replace(/[.*>\s]/g, '_');

export const logSubject = (record: LogRecord): string =>
  record.type === 'stored' ? `notification.log.${token(record.notification.organization_id)}.stored` : `notification.log.${token(record.organization_id)}.${record.type}`;

/** Ids per state-change message: a message stays far below the server's payload limit. */
export const IDS_PER_RECORD = 500;

/** What the apply script gets of one stream message: flat strings, seq first (the script reads it undecoded). */
export type ScriptMessage = { seq: number } & (
  | { type: 'stored'; feed_seq: string; id: string; org: string; severity: string; category: string; action: string; acted_upon: string; created: string; text: string; doc: string }
  | { type: 'marked'; org: string; status: string; ids: string[] }
  | { type: 'deleted'; org: string; ids: string[] }
  | { type: 'invalid'; kind: string; error: string }
);

const isString = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isIdList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);

/** Lone surrogates as U+FFFD: the script's cjson refuses their escapes, and search text loses nothing by it. */
const wellFormed = (text: string): string => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

const invalid = (seq: number, kind: unknown, error: string): ScriptMessage => ({ seq, type: 'invalid', kind: typeof kind === 'string' ? kind.slice(0, 64) : 'unknown', error });

const storedOf = (seq: number, feedSeq: unknown, n: Partial<NewNotification> | undefined): ScriptMessage => {
  if (typeof n !== 'object' || n === null) return invalid(seq, 'stored', 'no notification');
  if (typeof feedSeq !== 'number' || !Number.isSafeInteger(feedSeq) || feedSeq < 1) return invalid(seq, 'stored', 'seq is not a positive integer');
  const { id, organization_id, severity, category, action, acted_upon, description, created_at } = n;
  const created = Date.parse(String(created_at));
  if (![id, organization_id, severity, category, action, acted_upon].every(isString) || typeof description !== 'string' || !Number.isFinite(created) || created < 0) {
    return invalid(seq, 'stored', 'a notification field is missing or malformed');
  }
  return {
    seq,
    type: 'stored',
    feed_seq: String(feedSeq),
    id: id as string,
    org: organization_id as string,
    severity: severity as string,
    category: category as string,
    action: action as string,
    acted_upon: acted_upon as string,
    created: String(created),
    text: wellFormed(`${description} ${category} ${action}`.toLowerCase()),
    doc: JSON.stringify(n),
  };
};

/**
 * One stream message as the apply script takes it. Anything that is not a record (not JSON, an
 * unknown type, a missing field) becomes `invalid`: the script keeps it as a dead letter and the
 * stream flows on.
 */
export const scriptMessageOf = (seq: number, payload: Uint8Array): ScriptMessage => {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
  } catch {
    return invalid(seq, 'unknown', 'the message is not JSON');
  }
  if (typeof record !== 'object' || record === null) return invalid(seq, 'unknown', 'the message is not a record');
  switch (record.type) {
    case 'stored':
      return storedOf(seq, record.seq, record.notification as Partial<NewNotification>);
    case 'marked':
      if (!isString(record.organization_id) || !isIdList(record.ids) || (record.status !== 'read' && record.status !== 'unread')) return invalid(seq, record.type, 'organization_id, ids or status malformed');
      return { seq, type: 'marked', org: record.organization_id, ids: record.ids, status: record.status };
    case 'deleted':
      if (!isString(record.organization_id) || !isIdList(record.ids)) return invalid(seq, record.type, 'organization_id or ids malformed');
      return { seq, type: 'deleted', org: record.organization_id, ids: record.ids };
    default:
      return invalid(seq, record.type, `unknown record type ${JSON.stringify(record.type)?.slice(0, 64)}`);
  }
};
