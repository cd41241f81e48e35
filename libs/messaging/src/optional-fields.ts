import { ValidateIf } from 'class-validator';

/**
 * An optional field, validated when present: unlike `@IsOptional()`, a `null` is validated too,
 * and refused by the field's rules. A request either names a field with a value or leaves it out.
 */
export const WhenPresent = () => ValidateIf((_object: unknown, value: unknown) => value !== undefined);

/** Like `WhenPresent`, for fields where `null` means "none" (e.g. no credential). */
export const WhenPresentOrNull = () => ValidateIf((_object: unknown, value: unknown) => value !== undefined && value !== null);
