import type { FastifyInstance } from 'fastify';
import { jsonLimitErrors, validationFailed } from '@clp/messaging';

/**
 * A body nested deeper than MAX_JSON_DEPTH, or a string anywhere in a body, a query or a path
 * (keys too) with a lone UTF-16 surrogate, is a 400 naming the field, before any DTO: no store
 * keeps such a value, and a read model that could not project it would stall on it.
 */
export const refuseUnstorableJson = (fastify: FastifyInstance): void => {
  fastify.addHook('preValidation', async (request) => {
    // A multipart upload's parts are read by its route (kubeconfig-upload.ts), not parsed here.
    const body = request.isMultipart() ? undefined : request.body;
    const errors = [...jsonLimitErrors(request.query), ...jsonLimitErrors(request.params), ...jsonLimitErrors(body)];
    if (errors.length) throw validationFailed(errors);
  });
};
