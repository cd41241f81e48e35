import { parseArgs } from 'node:util';
import { ROLES, type Role } from '@clp/contracts';
import { resolveJwtSecret } from './auth/jwt-secret';
import { issueToken } from './auth/tokens';
import { configFromEnv } from './config';

// `npm run --silent token -- --org ORG --user USER --role ROLE [--expires 12h]`: prints a bearer
// token for the API, signed with the gateway's secret (AUTH_JWT_SECRET, or the one it generated
// in DATA_DIR). Only the token goes to stdout, so `TOKEN=$(npm run --silent token -- …)` works.

const USAGE = `usage: npm run --silent token -- --org ORG --user USER --role ${ROLES.join('|')} [--expires 12h]`;

const fail = (message: string): never => {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
};

const options = () => {
  try {
    return parseArgs({
      options: {
        org: { type: 'string' },
        user: { type: 'string' },
        role: { type: 'string' },
        expires: { type: 'string', default: '12h' },
      },
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
};

const main = () => {
  const { org, user, role, expires } = options();
  if (!org || !user || !role) fail('--org, --user and --role are required');
  // The gateway refuses longer ids, as the registry would.
  if ((org as string).length > 128 || (user as string).length > 128) fail('--org and --user are at most 128 characters');
  if (!(ROLES as readonly string[]).includes(role as string)) fail(`--role must be one of ${ROLES.join(', ')}`);
  if (!/^\d+[smhdwy]?$/.test(expires as string)) fail('--expires must be seconds, or a number with s, m, h, d, w or y (e.g. 12h)');
  // A bare number is seconds, as jsonwebtoken reads numbers.
  const expiresIn = /^\d+$/.test(expires as string) ? Number(expires) : (expires as '12h');
  const secret = resolveJwtSecret(configFromEnv(), (message) => process.stderr.write(`${message}\n`));
  process.stdout.write(`${issueToken(secret, { org: org as string, user: user as string, role: role as Role }, expiresIn)}\n`);
};

try {
  main();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
