import { ROLES, type Role } from '@clp/contracts';

/** Who the UI acts as: the token and what it says (docs/web.md, "Sign-in"). */
export interface Session {
  token: string;
  user: string;
  organization: string;
  role: Role;
  /** Seconds since the epoch, when the token says. */
  expires?: number;
}

const base64UrlDecode = (part: string): string => {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
};

/**
 * Reads the claims of a pasted token to show who one is and hide what the role cannot do. Only
 * the gateway verifies it: the sign-in asks the API once before it keeps the session.
 */
export const sessionOf = (raw: string): Session | { error: string } => {
  const token = raw.trim().replace(/^bearer\s+/i, '');
  const parts = token.split('.');
  if (parts.length !== 3) return { error: 'a token has three parts separated by dots (npm run --silent token -- …)' };
  let claims: { sub?: unknown; org?: unknown; role?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(base64UrlDecode(parts[1]));
  } catch {
    return { error: 'the token is not a JWT' };
  }
  if (typeof claims.sub !== 'string' || typeof claims.org !== 'string') return { error: 'the token must name a user (sub) and an organization (org)' };
  if (!(ROLES as readonly unknown[]).includes(claims.role)) return { error: `the token's role must be one of ${ROLES.join(', ')}` };
  return { token, user: claims.sub, organization: claims.org, role: claims.role as Role, ...(typeof claims.exp === 'number' ? { expires: claims.exp } : {}) };
};
