import { HttpException, HttpStatus } from '@nestjs/common';
import { ERROR_HTTP_STATUS, errorReply, ReplyError, type ErrorReply } from '@clp/contracts';
import { validationFailed } from '@clp/messaging';
import { BODY_LIMIT_BYTES } from './json-body';

/** A bug of ours: answered without its message, which may hold internals. */
export interface InternalErrorReply {
  error: { code: 'internal'; message: string; details: Record<string, never> };
}

/** The HTTP edge's own refusals: answered by the gateway before any handler, never carried in replies. */
export const EDGE_ERROR_STATUS = {
  method_not_allowed: 405,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  headers_too_large: 431,
} as const;

export type EdgeErrorCode = keyof typeof EDGE_ERROR_STATUS;

export interface EdgeErrorReply {
  error: { code: EdgeErrorCode; message: string; details: Record<string, unknown> };
}

export interface ErrorResponse {
  status: number;
  body: ErrorReply | InternalErrorReply | EdgeErrorReply;
}

export const edgeError = (code: EdgeErrorCode, message: string, details: Record<string, unknown> = {}): ErrorResponse => ({
  status: EDGE_ERROR_STATUS[code],
  body: { error: { code, message, details } },
});

const fromReplyError = (error: ReplyError): ErrorResponse => ({ status: ERROR_HTTP_STATUS[error.code] ?? 502, body: error.toReply() });

const invalid = (field: string, reason: string): ErrorResponse => fromReplyError(validationFailed([{ field, reasons: [reason] }]));

/**
 * Fastify's own refusals (no route, a method another route of the path has, a body too large,
 * another media type) reach the filter as HttpExceptions. Their messages may quote the request,
 * so each gets a fixed answer of ours. `allowed`: the methods the path has (edge.ts).
 */
const fromFramework = (exception: HttpException, method: string, path: string, allowed: string[]): ErrorResponse | undefined => {
  const status = exception.getStatus();
  if (status === HttpStatus.NOT_FOUND || status === HttpStatus.METHOD_NOT_ALLOWED) {
    if (allowed.length) return edgeError('method_not_allowed', `${method} is not allowed on ${path}: ${allowed.join(', ')}`, { allowed });
    return { status: HttpStatus.NOT_FOUND, body: errorReply('not_found', `no route ${method} ${path}`) };
  }
  if (status === HttpStatus.PAYLOAD_TOO_LARGE) return edgeError('payload_too_large', `the body must be at most ${BODY_LIMIT_BYTES} bytes`, { limit_bytes: BODY_LIMIT_BYTES });
  if (status === HttpStatus.UNSUPPORTED_MEDIA_TYPE) {
    return edgeError('unsupported_media_type', 'the body must be application/json', { accepted: ['application/json'] });
  }
  if (status === HttpStatus.URI_TOO_LONG) return uriTooLong();
  if (status >= 400 && status < 500) return invalid('request', 'could not be read');
  return undefined;
};

/** A URL over the gateway's limit, or a path parameter over the router's (Fastify's `maxParamLength`). */
export const MAX_URL_BYTES = 8192;
export const MAX_PARAM_LENGTH = 100;
export const uriTooLong = (): ErrorResponse =>
  edgeError('uri_too_long', `the URL must be at most ${MAX_URL_BYTES} bytes, and each path segment at most ${MAX_PARAM_LENGTH} characters`, {
    limit_bytes: MAX_URL_BYTES,
  });

export const requestUnreadable = (): ErrorResponse => invalid('request', 'could not be read');

/** What the API answers for anything thrown while handling a request. */
export const errorResponse = (exception: unknown, method: string, path: string, allowed: string[] = []): ErrorResponse => {
  if (exception instanceof ReplyError) return fromReplyError(exception);
  if (exception instanceof HttpException) {
    const answer = fromFramework(exception, method, path, allowed);
    if (answer) return answer;
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { error: { code: 'internal', message: 'the gateway failed to handle the request', details: {} } },
  };
};
