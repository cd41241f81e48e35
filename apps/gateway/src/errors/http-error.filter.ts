import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorResponse } from './error-response';

/** Every error the API answers, in the envelope of design.md §10; a 500 only for a bug of ours. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const path = request.url.split('?')[0];
    const { status, body } = errorResponse(exception, request.method, path);
    if (status >= 500 && body.error.code === 'internal') {
      // The stack without its first line: an error's message may quote input, secrets included.
      const frames = (exception as Error)?.stack?.split('\n').slice(1).join('\n');
      this.logger.error(`${(exception as Error)?.name ?? 'error'} while handling ${request.method} ${path}`, frames);
    }
    if (body.error.code === 'unauthorized') reply.header('www-authenticate', 'Bearer');
    reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
