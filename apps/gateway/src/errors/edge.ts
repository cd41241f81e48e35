import { STATUS_CODES, maxHeaderSize, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { edgeError, MAX_URL_BYTES, requestUnreadable, uriTooLong, type ErrorResponse } from './error-response';

/**
 * A refused body is read (up to this many bytes) and discarded before the answer, so a client
 * still sending it gets the answer instead of a reset connection; past this it is answered and
 * the connection closed.
 */
export const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

/** The methods other routes have for the path a request found no route for: a 405's `Allow`. */
export const allowedMethods = (request: FastifyRequest, path: string): string[] =>
  METHODS.filter((method) => method !== request.method && request.server.findRoute({ method, url: path }) !== null);

/** Reads what is left of a request's body and throws it away; false when that was more than the limit. */
export const discardBody = (raw: IncomingMessage): Promise<boolean> =>
  new Promise((resolve) => {
    if (raw.complete || raw.destroyed) return resolve(true);
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > DISCARD_LIMIT_BYTES) done(false);
    };
    const done = (drained: boolean) => {
      raw.removeListener('data', onData);
      resolve(drained);
    };
    raw.on('data', onData);
    raw.once('end', () => done(true));
    raw.once('close', () => done(true));
    raw.resume();
  });

const send = (reply: FastifyReply, { status, body }: ErrorResponse) => reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);

/** A URL over MAX_URL_BYTES is a 414 before anything reads it (one over `maxHeaderSize` is Node's 431 below). */
export const refuseLongUrls = (fastify: FastifyInstance): void => {
  fastify.addHook('onRequest', async (request, reply) => {
    if (Buffer.byteLength(request.url) > MAX_URL_BYTES) return send(reply, uriTooLong());
  });
};

/** Fastify's `frameworkErrors`: its refusals before routing (a path parameter over `maxParamLength`, a URL it cannot decode). */
export const frameworkErrors = (error: { code?: string }, _request: FastifyRequest, reply: FastifyReply): void => {
  void send(reply, error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? uriTooLong() : requestUnreadable());
};

/** Fastify's `clientErrorHandler`: what Node's HTTP parser refuses (headers over `maxHeaderSize`), answered on the socket in the envelope. */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) return void socket.destroy(error);
  const { status, body } =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? edgeError('headers_too_large', `the request line and headers must be at most ${maxHeaderSize} bytes`, { limit_bytes: maxHeaderSize })
      : requestUnreadable();
  const json = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`);
}
