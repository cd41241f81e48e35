import type { Authentication } from './credential';
import { CheckFailed } from './failure';
import type { HttpGet, HttpReply } from './http-session';

export type Details = Record<string, unknown>;

/** One protocol check of design.md §6.4: requests through `get`, facts learned, or `CheckFailed`. */
export interface Check {
  /** What was checked, as `ProbeResult.check` reports it. */
  describe(publicUrl: string): string;
  run(get: HttpGet, auth: Authentication): Promise<Details>;
}

const HINTS: Record<number, string> = {
  401: ' (unauthorized: check the credential)',
  403: ' (forbidden: the credential lacks permission)',
  404: ' (not found: check the URL)',
};

export const httpFailure = (reply: HttpReply): CheckFailed =>
  new CheckFailed(`HTTP ${reply.status} from ${reply.path}${HINTS[reply.status] ?? ''}`);

export const expectStatus = (reply: HttpReply, status = 200): HttpReply => {
  if (reply.status !== status) throw httpFailure(reply);
  return reply;
};

export const jsonOf = (reply: HttpReply): unknown => {
  try {
    return JSON.parse(reply.text);
  } catch {
    throw new CheckFailed(`invalid JSON from ${reply.path}`);
  }
};

/** The string at a path of plain objects, or undefined. */
export const stringAt = (value: unknown, ...keys: string[]): string | undefined => {
  const found = keys.reduce<unknown>(
    (current, key) => (current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined),
    value,
  );
  return typeof found === 'string' && found.length > 0 ? found : undefined;
};

export const headerOf = (reply: HttpReply, name: string): string | undefined => {
  const value = reply.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};
