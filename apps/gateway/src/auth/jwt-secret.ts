import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface JwtSecretSettings {
  authJwtSecret?: string;
  production: boolean;
  dataDir: string;
}

export const JWT_SECRET_FILE = 'jwt-secret';

/**
 * The HS256 key of the bearer tokens, for the gateway and the token script alike. Production
 * must set AUTH_JWT_SECRET; a local run without it generates one once and keeps it in the data
 * directory (mode 0600), so tokens made with `npm run token` stay valid across restarts.
 * `log` is told where the secret came from, never the secret.
 */
export const resolveJwtSecret = (settings: JwtSecretSettings, log: (message: string) => void): string => {
  if (settings.authJwtSecret) return settings.authJwtSecret;
  if (settings.production) {
    throw new Error('AUTH_JWT_SECRET must be set when NODE_ENV=production: it signs and verifies the API bearer tokens');
  }
  const file = join(settings.dataDir, JWT_SECRET_FILE);
  mkdirSync(settings.dataDir, { recursive: true, mode: 0o700 });
  try {
    // `wx`: two processes starting at once keep the same secret, the first one's.
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    log(`AUTH_JWT_SECRET is not set: generated a signing secret in ${file}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    log(`AUTH_JWT_SECRET is not set: using the signing secret in ${file}`);
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (!secret) throw new Error(`${file} is empty: delete it to generate a new secret, or set AUTH_JWT_SECRET`);
  return secret;
};
