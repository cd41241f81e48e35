/** The lifecycle statuses of design.md §6.1, spelled exactly as they appear in the API and in events. */
export const STATUSES = [
  'discovered',
  'registered',
  'connected',
  'ignored',
  'maintenance',
  'disconnected',
  'deleted',
  'not found',
] as const;
export type Status = (typeof STATUSES)[number];

export const CAUSES = ['user', 'system'] as const;
/** `user`: requested by a person through the API; `system`: discovery, the health monitor, a registration outcome. */
export type Cause = (typeof CAUSES)[number];

export const isStatus = (value: unknown): value is Status =>
  typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
