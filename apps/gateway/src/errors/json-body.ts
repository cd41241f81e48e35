import type { FastifyInstance } from 'fastify';
import { validationFailed } from '@clp/messaging';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The only body the API reads: JSON, with prototype poisoning refused. A body that does not
 * parse is a `validation_failed` of our own wording: the parser's message quotes the body.
 * An empty body is no body (a POST without one, sent with a JSON content type by habit).
 */
export const acceptJsonBodiesOnly = (fastify: FastifyInstance): void => {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
    parse(request, body as string, (error, value) =>
      error ? done(validationFailed([{ field: 'body', reasons: ['must be valid JSON'] }]), undefined) : done(null, value),
    );
  });
};
