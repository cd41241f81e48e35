import { connect, type ConnectionOptions, type NatsConnection } from 'nats';

export interface NatsSettings {
  servers: string | string[];
  /** Shown in the server's connection list: the service and its replica. */
  name: string;
  user?: string;
  pass?: string;
  token?: string;
}

/**
 * Reconnect for ever: a NATS restart must not take a service down. nats.js drops what is
 * published while disconnected, so `ReplyInbox` holds a request until the reconnect (reconnect.ts).
 */
export const natsConnectionOptions = (settings: NatsSettings): ConnectionOptions => ({
  ...credentialsInUrl(settings.servers),
  name: settings.name,
  ...(settings.user ? { user: settings.user, pass: settings.pass } : {}),
  ...(settings.token ? { token: settings.token } : {}),
  maxReconnectAttempts: -1,
  reconnectTimeWait: 250,
  reconnectJitter: 100,
  waitOnFirstConnect: true,
  pingInterval: 10_000,
});

export const connectNats = (settings: NatsSettings): Promise<NatsConnection> => connect(natsConnectionOptions(settings));

/**
 * A service's identity on the bus rides in its NATS_URL (`nats://user:password@host:port`,
 * docs/bus-security.md); nats.js ignores a URL's userinfo, so it is taken out here.
 */
export const credentialsInUrl = (servers: string | string[]): Pick<ConnectionOptions, 'servers' | 'user' | 'pass'> => {
  let user: string | undefined;
  let pass: string | undefined;
  const plain = (Array.isArray(servers) ? servers : [servers]).map((server) => {
    const found = /^(\w+:\/\/)([^:@/]*)(?::([^@/]*))?@(.*)$/.exec(server);
    if (!found) return server;
    user = decodeURIComponent(found[2]);
    pass = found[3] === undefined ? undefined : decodeURIComponent(found[3]);
    return `${found[1]}${found[4]}`;
  });
  return { servers: Array.isArray(servers) ? plain : plain[0], ...(user ? { user, pass } : {}) };
};
