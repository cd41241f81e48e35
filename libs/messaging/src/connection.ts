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
  servers: settings.servers,
  name: settings.name,
  user: settings.user,
  pass: settings.pass,
  token: settings.token,
  maxReconnectAttempts: -1,
  reconnectTimeWait: 250,
  reconnectJitter: 100,
  waitOnFirstConnect: true,
  pingInterval: 10_000,
});

export const connectNats = (settings: NatsSettings): Promise<NatsConnection> => connect(natsConnectionOptions(settings));
