import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Caller } from '@clp/contracts';

/** Who asks, and the id that correlates the request with the messages it causes. */
export interface RequestContext {
  caller: Caller;
  correlation_id: string;
}

export type AuthenticatedRequest = FastifyRequest & { caller?: Caller };

export const IS_PUBLIC = 'gateway:public';

/** A route anyone may call: health, metrics. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const TOKEN_IN_QUERY = 'gateway:token-in-query';

/**
 * A route that also takes its bearer token as `?access_token=` (RFC 6750, 2.3) when no
 * Authorization header is sent: a browser's EventSource cannot send headers. Only the live
 * stream: a token in a URL may end up in proxies' logs and browser history.
 */
export const TokenInQuery = () => SetMetadata(TOKEN_IN_QUERY, true);

/** The request context of an authenticated route (the guard has set the caller). */
export const Context = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.caller) throw new Error('no caller on an authenticated route: is the route public by mistake?');
  return { caller: request.caller, correlation_id: request.id };
});
