import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUS_USERS, type BusUser } from '@clp/messaging';

/**
 * The passwords of the bus's users (docs/bus-security.md) for a nats-server the launcher starts:
 * generated once, kept in `<DATA_DIR>/nats-users.json` (readable by its owner only), so a restart
 * keeps them; a user added to BUS_USERS later gets one on the next start.
 */
export const busPasswords = (dataDir: string): { passwords: Record<BusUser, string>; file: string } => {
  const file = join(dataDir, 'nats-users.json');
  let kept: Partial<Record<BusUser, string>> = {};
  try {
    kept = JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<BusUser, string>>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const passwords = Object.fromEntries(BUS_USERS.map((user) => [user, kept[user] ?? randomBytes(24).toString('base64url')])) as Record<BusUser, string>;
  if (BUS_USERS.some((user) => !kept[user])) writeFileSync(file, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
  return { passwords, file };
};
