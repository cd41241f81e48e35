import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldError } from '@clp/contracts';
import type { JsonSchema, KindDefinition } from './definitions';

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);

type Validators = { connection: ValidateFunction; credential: ValidateFunction };
const compiled = new Map<string, Validators>();

const validatorsOf = (definition: KindDefinition): Validators => {
  let validators = compiled.get(definition.kind);
  if (!validators) {
    validators = { connection: ajv.compile(definition.connection_schema), credential: ajv.compile(definition.credential_schema) };
    compiled.set(definition.kind, validators);
  }
  return validators;
};

// Field names and reasons only: a form's values may be secrets, and errors are shown to people.
const toFieldErrors = (prefix: string, errors: ErrorObject[] | null | undefined): FieldError[] => {
  const byField = new Map<string, string[]>();
  for (const error of errors ?? []) {
    const missing = error.keyword === 'required' ? `/${(error.params as { missingProperty: string }).missingProperty}` : '';
    const path = `${error.instancePath}${missing}`.replace(/^\//, '').replace(/\//g, '.');
    const field = [prefix, path].filter(Boolean).join('.');
    byField.set(field, [...(byField.get(field) ?? []), error.message ?? error.keyword]);
  }
  return [...byField].map(([field, reasons]) => ({ field, reasons }));
};

const hasUserinfo = (value: string): boolean => {
  try {
    const url = new URL(value);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
};

/**
 * A URL holding a user or password (`http://user:pw@host`) in any field of the form: metadata is
 * shown to every viewer and recorded in events, so secrets go in a credential. Never echoed.
 */
const userinfoErrors = (metadata: unknown): FieldError[] =>
  typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)
    ? Object.entries(metadata)
        .filter(([, value]) => typeof value === 'string' && hasUserinfo(value))
        .map(([field]) => ({ field: `metadata.${field}`, reasons: ['must not hold a user or password: store them in a credential (credential_id or credential_secret)'] }))
    : [];

/**
 * The connection form's problems (empty when valid), named `metadata.<field>`. Every path that
 * stores or tests a connection's metadata (register, update, discovery, tests) checks it here.
 */
export const connectionFormErrors = (definition: KindDefinition, metadata: unknown): FieldError[] => {
  const validate = validatorsOf(definition).connection;
  const inUrls = userinfoErrors(metadata);
  const formErrors = validate(metadata) ? [] : toFieldErrors('metadata', validate.errors);
  return [...inUrls, ...formErrors.filter((error) => !inUrls.some((u) => u.field === error.field))];
};

/** The credential form's problems (empty when valid), named `credential.<field>`. */
export const credentialFormErrors = (definition: KindDefinition, secret: unknown): FieldError[] => {
  const validate = validatorsOf(definition).credential;
  return validate(secret) ? [] : toFieldErrors('credential', validate.errors);
};

/**
 * A compiled validator for any JSON Schema, answering the fields it gets wrong (never their
 * values): for messages on hot paths, where decorators and class instances cost too much.
 */
export const schemaValidator = (schema: JsonSchema): ((value: unknown) => FieldError[]) => {
  const validate = ajv.compile(schema);
  return (value) => (validate(value) ? [] : toFieldErrors('', validate.errors));
};

/** A `type` or `sub_type` a client sent that is not the kind's (they always come from the definition). */
export const classificationErrors = (definition: KindDefinition, sent: { type?: string; sub_type?: string }): FieldError[] =>
  (['type', 'sub_type'] as const)
    .filter((field) => sent[field] !== undefined && sent[field] !== definition[field])
    .map((field) => ({ field, reasons: [`must be "${definition[field]}" for kind ${definition.kind}`] }));

/**
 * What a passed connectivity test learned that the kind's connection form has a field for (a
 * cluster's `version` and `server_id`): recorded in the connection's metadata. Only the fields
 * whose value differs from `metadata`; empty when there is nothing new.
 */
export const learnedMetadata = (
  definition: KindDefinition,
  metadata: Record<string, unknown>,
  probe: { ok: boolean; details?: Record<string, unknown> } | undefined,
): Record<string, unknown> => {
  const fields = (definition.connection_schema.properties ?? {}) as Record<string, unknown>;
  if (!probe?.ok || !probe.details) return {};
  return Object.fromEntries(
    Object.entries(probe.details).filter(([field, value]) => field in fields && typeof value === 'string' && metadata[field] !== value),
  );
};
