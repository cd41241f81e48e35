import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { validationFailed } from '@clp/messaging';
import { TOKEN_IN_QUERY } from '../auth/request-context';

/** Whether a handler reads its query through a DTO (`@Query() query: SomeQueryDto`), which refuses what it does not declare. */
const takesQuery = (context: ExecutionContext): boolean => {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as Record<string, unknown>;
  return Object.keys(args).some((key) => Number(key.split(':')[0]) === RouteParamtypes.QUERY);
};

/**
 * One rule for every route: a query parameter the route does not declare is a 400 naming it.
 * Routes with a query DTO refuse through the validation pipe (`forbidNonWhitelisted`); the
 * others, here, where every parameter is unknown but a live stream's `access_token`.
 */
@Injectable()
export class RefuseUnknownQueryParameters implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http' && !takesQuery(context)) {
      const query = (context.switchToHttp().getRequest<FastifyRequest>().query ?? {}) as Record<string, unknown>;
      const tokenInQuery = Reflect.getMetadata(TOKEN_IN_QUERY, context.getHandler()) === true;
      const unknown = Object.keys(query).filter((key) => !(tokenInQuery && key === 'access_token'));
      if (unknown.length) throw validationFailed(unknown.map((field) => ({ field, reasons: [`property ${field} should not exist`] })));
    }
    return next.handle();
  }
}
