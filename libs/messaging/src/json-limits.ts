import type { FieldError } from '@clp/contracts';

/**
 * How deep a body or a message may nest objects and arrays (the body itself is level 1): deep
 * enough for any connection's metadata, far below what a read model's JSON encoder refuses.
 */
export const MAX_JSON_DEPTH = 32;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

const pathOf = (parent: string, key: string | number): string => (parent ? `${parent}.${key}` : String(key));

/**
 * What a decoded JSON value holds that no store can keep: nesting deeper than MAX_JSON_DEPTH, or
 * a string (a key included) with a lone UTF-16 surrogate, which is no Unicode text. Names the
 * first such field (`metadata.a.b`, `tags.0`), walking without recursion; empty when there is none.
 */
export const jsonLimitErrors = (value: unknown, root = ''): FieldError[] => {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 1 }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { value: current, path, depth } = item;
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) return [{ field: path || 'body', reasons: ['must be valid Unicode text (it holds a lone UTF-16 surrogate)'] }];
      continue;
    }
    if (typeof current !== 'object' || current === null || Buffer.isBuffer(current)) continue;
    if (depth > MAX_JSON_DEPTH) return [{ field: path || 'body', reasons: [`must not nest more than ${MAX_JSON_DEPTH} levels deep`] }];
    const entries: Array<[string | number, unknown]> = Array.isArray(current) ? current.map((v, i) => [i, v]) : Object.entries(current);
    for (const [key, child] of entries) {
      if (typeof key === 'string' && LONE_SURROGATE.test(key)) {
        return [{ field: pathOf(path, key.replace(LONE_SURROGATES, '\uFFFD')), reasons: ['must be a valid Unicode key (it holds a lone UTF-16 surrogate)'] }];
      }
      pending.push({ value: child, path: pathOf(path, key), depth: depth + 1 });
    }
  }
  return [];
};
