import { randomBytes } from 'node:crypto';
import { startNats, type TestServer } from '@clp/testing';
import { BUS_USERS, natsServerConfig, natsUrlFor, type BusUser } from './bus-permissions';

/** A nats-server run with the bus's users and permissions, as production runs it (docs/bus-security.md). */
export interface TestBus {
  server: TestServer;
  passwords: Record<BusUser, string>;
  /** The URL a user connects with (its credentials in the userinfo: `connectNats` reads them). */
  urlFor(user: BusUser): string;
  /**
   * Every permission violation nats-server logged: a service refused something its code does
   * means the table in bus-permissions.ts is incomplete.
   */
  readonly violations: string[];
}

export const startBus = async (): Promise<TestBus> => {
  const passwords = Object.fromEntries(BUS_USERS.map((user) => [user, randomBytes(18).toString('base64url')])) as Record<BusUser, string>;
  const violations: string[] = [];
  const server = await startNats({
    config: ({ port, storeDir }) => natsServerConfig({ port, storeDir, passwords }),
    onOutput: (text) => violations.push(...text.split('\n').filter((line) => /Violation/.test(line))),
  });
  return { server, passwords, urlFor: (user) => natsUrlFor(server.url, user, passwords[user]), violations };
};
