const REDACTED = '[redacted]';

/** Replaces every occurrence of a secret, longest first so a secret containing another goes whole. */
export const redactor = (secrets: readonly string[]): ((text: string) => string) => {
  const ordered = [...secrets].filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((result, secret) => result.split(secret).join(REDACTED), text);
};

export const redactDeep = (value: unknown, redact: (text: string) => string): unknown => {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)]));
  return value;
};
