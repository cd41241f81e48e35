import type { FastifyReply } from 'fastify';
import type { RawJson } from '@clp/messaging';

/**
 * A page a service's read model assembled as JSON, answered as it came (bytes from the NATS
 * reply, unparsed): the list routes are the hottest, and their pages the largest payloads.
 */
export const answerRaw = (reply: FastifyReply, page: RawJson): string | Buffer => {
  reply.type('application/json; charset=utf-8');
  return page.json;
};
