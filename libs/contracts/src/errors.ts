/** The typed errors of design.md §10, carried in replies and mapped by the gateway to HTTP. */
export const ERROR_HTTP_STATUS = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invalid_transition: 409,
  conflict: 409,
  connectivity_failed: 422,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_HTTP_STATUS;
export const ERROR_CODES = Object.keys(ERROR_HTTP_STATUS) as ErrorCode[];

export interface ErrorBody {
  code: ErrorCode;
  /** Safe to show a person: never a secret, never a stack. */
  message: string;
  details: Record<string, unknown>;
}

export interface ErrorReply {
  error: ErrorBody;
}

/** Every request/reply answer: a result, or a typed error. */
export type Reply<T> = { result: T } | ErrorReply;

export const isErrorReply = (value: unknown): value is ErrorReply =>
  typeof value === 'object' &&
  value !== null &&
  'error' in value &&
  typeof (value as ErrorReply).error?.code === 'string';

export const errorReply = (
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): ErrorReply => ({ error: { code, message, details } });

/** A field that failed validation, as listed in `details.fields` of `validation_failed`. */
export interface FieldError {
  field: string;
  reasons: string[];
}

/**
 * An error a handler can throw to reply with a typed error; anything else thrown becomes
 * `unavailable` without its message (it may hold details that must not leave the service).
 */
export class ReplyError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ReplyError';
  }

  toReply(): ErrorReply {
    return errorReply(this.code, this.message, this.details);
  }
}
