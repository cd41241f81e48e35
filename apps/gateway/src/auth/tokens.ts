import { createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService, type JwtSignOptions } from '@nestjs/jwt';
import { ReplyError, ROLES, type Caller, type Role } from '@clp/contracts';

export const JWT_SECRET = Symbol('JWT_SECRET');

/** The claims of design.md §10: `sub` the user, `org` the organization, `role` one of ROLES. */
interface Claims {
  sub?: unknown;
  org?: unknown;
  role?: unknown;
  exp?: unknown;
}

/** Verified tokens kept, least recently used out first; one without `exp` is kept this long. */
const VERIFIED_KEPT = 10_000;
const UNEXPIRING_KEPT_MS = 60_000;

const jwt = new JwtService();

export const issueToken = (
  secret: string,
  claims: { org: string; user: string; role: Role },
  expiresIn: JwtSignOptions['expiresIn'] = '12h',
): string => jwt.sign({ sub: claims.user, org: claims.org, role: claims.role }, { secret, algorithm: 'HS256', expiresIn });

const unauthorized = (message: string) => new ReplyError('unauthorized', message);

// The same limits as the registry's caller: a longer id would be refused there as a bad request.
const identifier = (value: unknown): value is string => typeof value === 'string' && value.length >= 1 && value.length <= 128;

/** Turns an `Authorization: Bearer <JWT>` header into the caller every registry request names. */
@Injectable()
export class TokenVerifier {
  /**
   * A key object, not the string: given a string, jsonwebtoken first tries to parse it as a PEM
   * public key and fails, which cost more than the whole rest of a request.
   */
  private readonly key: KeyObject;
  private readonly verified = new Map<string, { caller: Caller; untilMs: number }>();

  constructor(@Inject(JWT_SECRET) secret: string) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  async callerOf(authorization: string | undefined): Promise<Caller> {
    const [scheme, token, ...rest] = (authorization ?? '').trim().split(/\s+/);
    if (!authorization || scheme.toLowerCase() !== 'bearer' || !token || rest.length) {
      throw unauthorized('send Authorization: Bearer <token>');
    }
    // A client sends the same token with every request: its verification is remembered until it expires.
    const known = this.verified.get(token);
    if (known && known.untilMs > Date.now()) return known.caller;
    this.verified.delete(token);
    let claims: Claims;
    try {
      // jsonwebtoken takes a KeyObject; @nestjs/jwt's types name only strings and buffers.
      claims = await jwt.verifyAsync<Claims>(token, { secret: this.key as unknown as string, algorithms: ['HS256'] });
    } catch (error) {
      throw unauthorized((error as Error).name === 'TokenExpiredError' ? 'the token has expired' : 'the token is not valid');
    }
    if (!identifier(claims.sub) || !identifier(claims.org)) throw unauthorized('the token must name a user (sub) and an organization (org)');
    if (!(ROLES as readonly unknown[]).includes(claims.role)) throw unauthorized(`the token's role must be one of ${ROLES.join(', ')}`);
    const caller: Caller = { organization_id: claims.org, user_id: claims.sub, role: claims.role as Role };
    const untilMs = typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + UNEXPIRING_KEPT_MS;
    this.verified.set(token, { caller, untilMs });
    if (this.verified.size > VERIFIED_KEPT) this.verified.delete(this.verified.keys().next().value as string);
    return caller;
  }
}
