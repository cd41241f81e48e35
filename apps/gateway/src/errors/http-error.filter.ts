import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { allowedMethods, discardBody } from './edge';
import { errorResponse } from './error-response';

/** Every error the API answers, in the envelope of design.md §10; a 500 only for a bug of ours. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const path = request.url.split('?')[0];
    const { status, body } = errorResponse(exception, request.method, path, allowedMethods(request, path));
    if (status >= 500 && body.error.code === 'internal') {
      // The stack without its first line: an error's message may quote input, secrets included.
      const frames = (exception as Error)?.stack?.split('\n').slice(1).join('\n');
      this.logger.error(`${(exception as Error)?.name ?? 'error'} while handling ${request.method} ${path}`, frames);
    }
    if (body.error.code === 'unauthorized') reply.header('www-authenticate', 'Bearer');
    if (body.error.code === 'method_not_allowed') reply.header('allow', (body.error.details.allowed as string[]).join(', '));
    // A body left unread (too large, refused before it was read) is read and discarded first, so
    // the client still sending it reads the answer instead of a reset connection (edge.ts); read
    // whole, the connection stays open (Fastify closes it after any body it refused).
    void discardBody(request.raw).then((drained) => {
      if (drained) reply.removeHeader('connection');
      else reply.header('connection', 'close');
      reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
    });
  }
}
