import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JWT_SECRET_FILE, resolveJwtSecret } from './jwt-secret';

describe('resolving the JWT signing secret', () => {
  let dataDir: string;
  let logged: string[];
  const log = (message: string) => void logged.push(message);

  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'clp-gateway-')), 'data');
    logged = [];
  });

  afterEach(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it('uses AUTH_JWT_SECRET when it is set, and writes nothing', () => {
    expect(resolveJwtSecret({ authJwtSecret: 'from-the-environment', production: true, dataDir }, log)).toBe('from-the-environment');
    expect(() => statSync(dataDir)).toThrow();
  });

  it('refuses to go on in production without AUTH_JWT_SECRET', () => {
    expect(() => resolveJwtSecret({ production: true, dataDir }, log)).toThrow(/AUTH_JWT_SECRET must be set when NODE_ENV=production/);
    expect(() => statSync(dataDir)).toThrow();
  });

  it('generates a secret once, in a file only its owner reads, and reuses it on later starts', () => {
    const first = resolveJwtSecret({ production: false, dataDir }, log);
    const file = join(dataDir, JWT_SECRET_FILE);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = resolveJwtSecret({ production: false, dataDir }, log);
    expect(second).toBe(first);
    expect(logged).toEqual([
      `AUTH_JWT_SECRET is not set: generated a signing secret in ${file}`,
      `AUTH_JWT_SECRET is not set: using the signing secret in ${file}`,
    ]);
    expect(logged.join('\n')).not.toContain(first);
  });

  it('generates a different secret for another data directory', () => {
    const other = join(dataDir, 'other');
    expect(resolveJwtSecret({ production: false, dataDir }, log)).not.toBe(resolveJwtSecret({ production: false, dataDir: other }, log));
  });
});
