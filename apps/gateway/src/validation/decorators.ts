import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

/** A query string integer, or one of `words` (e.g. `all`); anything else stays a string for `@IsInt()` to refuse by name. */
export const QueryInteger = (words: Record<string, number> = {}) =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    if (Object.hasOwn(words, value)) return words[value];
    return /^-?\d{1,16}$/.test(value) ? Number(value) : value;
  });

/**
 * A query list: a JSON array (`status=["connected","registered"]`), a single plain value
 * (`status=connected`), or the parameter repeated. A malformed array stays a string, which
 * `@IsArray()` refuses by name.
 */
export const QueryList = () =>
  Transform(({ value }: { value: unknown }) => {
    if (Array.isArray(value) || typeof value !== 'string') return value;
    if (!value.trimStart().startsWith('[')) return [value];
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  });

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A free-form JSON object (a connection's metadata), bounded in keys and size. */
export const IsBoundedObject = ({ maxKeys, maxBytes }: { maxKeys: number; maxBytes: number }) =>
  ValidateBy({
    name: 'isBoundedObject',
    validator: {
      validate: (value: unknown) =>
        isPlainObject(value) && Object.keys(value).length <= maxKeys && Buffer.byteLength(JSON.stringify(value)) <= maxBytes,
      defaultMessage: (args) => `${args?.property} must be a JSON object of at most ${maxKeys} keys and ${maxBytes} bytes`,
    },
  });

/**
 * Secret fields: an object of strings (e.g. `{ "token": "…" }`), checked field by field against
 * the kind's credential form by the registry. The message never repeats a value.
 */
export const IsSecretFields = () =>
  ValidateBy({
    name: 'isSecretFields',
    validator: {
      validate: (value: unknown) =>
        isPlainObject(value) &&
        Object.keys(value).length >= 1 &&
        Object.keys(value).length <= 16 &&
        Object.entries(value).every(([key, field]) => key.length <= 64 && typeof field === 'string' && field.length <= 65_536),
      defaultMessage: (args) => `${args?.property} must be an object of 1 to 16 string fields, each at most 65536 characters`,
    },
  });
