import { jsonLimitErrors, MAX_JSON_DEPTH } from './json-limits';

/** `levels` containers deep, arrays and objects in turn. */
const nested = (levels: number): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < levels; i++) value = i % 2 ? { a: value } : [value];
  return value;
};

describe('jsonLimitErrors', () => {
  it('takes MAX_JSON_DEPTH levels of objects and arrays, and refuses one more, naming where', () => {
    expect(jsonLimitErrors(nested(MAX_JSON_DEPTH))).toEqual([]);
    const [error] = jsonLimitErrors(nested(MAX_JSON_DEPTH + 1));
    expect(error.field.split('.')).toHaveLength(MAX_JSON_DEPTH);
    expect(error.reasons).toEqual([`must not nest more than ${MAX_JSON_DEPTH} levels deep`]);
    expect(jsonLimitErrors(nested(100_000))).toHaveLength(1);
  });

  it('refuses a lone surrogate, high or low, in a value or a key, and keeps pairs', () => {
    expect(jsonLimitErrors({ name: 'emoji \u{1F600}', tags: ['\uD83D\uDE00'] })).toEqual([]);
    expect(jsonLimitErrors({ tags: ['ok', 'x\uD800'] })).toEqual([{ field: 'tags.1', reasons: [expect.stringContaining('lone UTF-16 surrogate')] }]);
    expect(jsonLimitErrors({ name: '\uDC00x' }).map((e) => e.field)).toEqual(['name']);
    expect(jsonLimitErrors({ metadata: { ['k\uD800']: 1 } }).map((e) => e.field)).toEqual(['metadata.k\uFFFD']);
    expect(jsonLimitErrors('\uD800').map((e) => e.field)).toEqual(['body']);
  });

  it('passes what is not JSON text through: numbers, nulls, buffers', () => {
    expect(jsonLimitErrors({ n: 1, z: null, b: Buffer.from([0xed, 0xa0, 0x80]) })).toEqual([]);
  });
});
