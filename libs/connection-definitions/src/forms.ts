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

/** The connection form's problems (empty when valid), named `metadata.<field>`. */
export const connectionFormErrors = (definition: KindDefinition, metadata: unknown): FieldError[] => {
  const validate = validatorsOf(definition).connection;
  return validate(metadata) ? [] : toFieldErrors('metadata', validate.errors);
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
