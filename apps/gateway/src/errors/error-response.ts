import { HttpException, HttpStatus } from '@nestjs/common';
import { ERROR_HTTP_STATUS, errorReply, ReplyError, type ErrorReply } from '@clp/contracts';
import { validationFailed } from '@clp/messaging';
import { BODY_LIMIT_BYTES } from './json-body';

/** A bug of ours: answered without its message, which may hold internals. */
export interface InternalErrorReply {
  error: { code: 'internal'; message: string; details: Record<string, never> };
}

export interface ErrorResponse {
  status: number;
  body: ErrorReply | InternalErrorReply;
}

const fromReplyError = (error: ReplyError): ErrorResponse => ({ status: ERROR_HTTP_STATUS[error.code] ?? 502, body: error.toReply() });

const invalid = (field: string, reason: string): ErrorResponse => fromReplyError(validationFailed([{ field, reasons: [reason] }]));

/**
 * Fastify's own refusals (no route, a body too large, another media type) reach the filter as
 * HttpExceptions. Their messages may quote the request, so each gets a fixed answer of ours.
 */
const fromFramework = (exception: HttpException, method: string, path: string): ErrorResponse | undefined => {
  const status = exception.getStatus();
  if (status === HttpStatus.NOT_FOUND || status === HttpStatus.METHOD_NOT_ALLOWED) {
    return { status: HttpStatus.NOT_FOUND, body: errorReply('not_found', `no route ${method} ${path}`) };
  }
  if (status === HttpStatus.PAYLOAD_TOO_LARGE) return invalid('body', `must be at most ${BODY_LIMIT_BYTES} bytes`);
  if (status === HttpStatus.UNSUPPORTED_MEDIA_TYPE) return invalid('content-type', 'must be application/json');
  if (status >= 400 && status < 500) return invalid('request', 'could not be read');
  return undefined;
};

/** What the API answers for anything thrown while handling a request. */
export const errorResponse = (exception: unknown, method: string, path: string): ErrorResponse => {
  if (exception instanceof ReplyError) return fromReplyError(exception);
  if (exception instanceof HttpException) {
    const answer = fromFramework(exception, method, path);
    if (answer) return answer;
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { error: { code: 'internal', message: 'the gateway failed to handle the request', details: {} } },
  };
};
