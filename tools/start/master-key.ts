import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MasterKey {
  key: string;
  /** The file it was read from or written to; absent when it came from `CREDENTIALS_MASTER_KEY`. */
  file?: string;
  generated: boolean;
}

/**
 * The registry's `CREDENTIALS_MASTER_KEY`. Without one it seals secrets under a key of its process
 * only, so after a restart no stored secret would open: the launcher generates a key once, keeps it
 * in `<DATA_DIR>/credentials-master-key` (readable by its owner only) and passes it on every start.
 */
export const credentialsMasterKey = (dataDir: string, env: NodeJS.ProcessEnv = process.env): MasterKey => {
  if (env.CREDENTIALS_MASTER_KEY) return { key: env.CREDENTIALS_MASTER_KEY, generated: false };
  const file = join(dataDir, 'credentials-master-key');
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return { key, file, generated: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { key: readFileSync(file, 'utf8').trim(), file, generated: false };
  }
};
