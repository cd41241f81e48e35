import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC, TOKEN_IN_QUERY, type AuthenticatedRequest } from './request-context';
import { TokenVerifier } from './tokens';

/**
 * Every route needs a valid bearer token unless it is `@Public()`. Roles are not checked here:
 * the registry checks them on each command, from the caller this guard puts on the request.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.caller = await this.tokens.callerOf(this.authorizationOf(context, request));
    return true;
  }

  /** The Authorization header; on a `@TokenInQuery()` route without one, `?access_token=`. */
  private authorizationOf(context: ExecutionContext, request: AuthenticatedRequest): string | undefined {
    const header = request.headers.authorization;
    if (header !== undefined || !this.reflector.get<boolean>(TOKEN_IN_QUERY, context.getHandler())) return header;
    const token = (request.query as Record<string, unknown> | undefined)?.access_token;
    return typeof token === 'string' ? `Bearer ${token}` : undefined;
  }
}
