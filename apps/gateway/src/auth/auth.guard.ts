import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC, type AuthenticatedRequest } from './request-context';
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
    request.caller = await this.tokens.callerOf(request.headers.authorization);
    return true;
  }
}
