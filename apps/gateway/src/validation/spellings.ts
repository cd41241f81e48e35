import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance } from 'fastify';
import type { FieldError } from '@clp/contracts';
import { validationFailed } from '@clp/messaging';

/**
 * Spellings Meshery's clients send that are not the plain snake_case of a camelCase name:
 * Meshery's paging is `pagesize` (its notification center also sends `page_size`), its
 * organization parameter `orgID`, and its
 * `skip_credential_verification` is what this API calls `skip_connectivity_test`.
 */
const SPELLINGS: Record<string, string> = {
  pageSize: 'pagesize',
  page_size: 'pagesize',
  orgId: 'orgID',
  skipCredentialVerification: 'skip_connectivity_test',
  skip_credential_verification: 'skip_connectivity_test',
};

// `subType`, `credentialSecret`: lower-case words joined by capitals. `orgID` and `sub_type` are not.
const CAMEL_CASE = /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]+)+$/;

/** The one spelling the DTOs know for a top-level key of a body or query, or the key itself. */
export const canonicalSpelling = (key: string): string =>
  SPELLINGS[key] ?? (CAMEL_CASE.test(key) ? key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`) : key);

/** Every other spelling that `canonicalSpelling` turns into `name`, for the OpenAPI document. */
export const otherSpellingsOf = (name: string): string[] => {
  const camel = name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
  const others = Object.keys(SPELLINGS).filter((key) => SPELLINGS[key] === name);
  if (camel !== name && canonicalSpelling(camel) === name) others.push(camel);
  return [...new Set(others)];
};

/**
 * Renames the top-level keys of `fields` to their canonical spelling, in place. Values are not
 * looked into: metadata and secrets are the caller's own keys. Returns the fields sent in two
 * spellings with different values.
 */
export const normalizeSpellings = (fields: Record<string, unknown>): FieldError[] => {
  const conflicts: FieldError[] = [];
  for (const key of Object.keys(fields)) {
    const canonical = canonicalSpelling(key);
    if (canonical === key) continue;
    const value = fields[key];
    delete fields[key];
    if (canonical in fields && !isDeepStrictEqual(fields[canonical], value)) {
      conflicts.push({ field: canonical, reasons: [`is sent as both ${key} and ${canonical} with different values`] });
      continue;
    }
    fields[canonical] = value;
  }
  return conflicts;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

/**
 * Meshery's current clients send camelCase (`subType`, `credentialSecret`, `pageSize`, `orgId`);
 * the documents and this API use snake_case. Both are accepted, renamed here, before any DTO
 * sees them, so every route validates one spelling. Answers stay snake_case.
 */
export const acceptMesherySpellings = (fastify: FastifyInstance): void => {
  fastify.addHook('preValidation', async (request) => {
    const conflicts = [
      ...(isPlainObject(request.query) ? normalizeSpellings(request.query) : []),
      ...(isPlainObject(request.body) ? normalizeSpellings(request.body) : []),
    ];
    if (conflicts.length) throw validationFailed(conflicts);
  });
};
