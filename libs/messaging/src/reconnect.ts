import { Events, type NatsConnection } from 'nats';

/**
 * How long after a reconnect a "no responders" answer is taken for a service that has not
 * re-subscribed yet, rather than for one that is not there: every service reconnects every
 * 250 ms (+ jitter), and JetStream needs a moment to load its streams.
 */
export const RESUBSCRIBE_GRACE_MS = 5000;

/** What one client knows of its connection to the server, from its status events. */
export interface BusLink {
  readonly connected: boolean;
  /** When the client last reported `reconnect` (0: never). */
  readonly reconnectedAt: number;
  /** Calls `listener` on every `reconnect` (the client re-sent its subscriptions) until the returned function is called. */
  onReconnect(listener: () => void): () => void;
}

const links = new WeakMap<NatsConnection, BusLink>();

/**
 * The link of `nc`, one per connection however many inboxes share it. nats.js drops what is
 * published while it is disconnected (each dial resets its outbound buffer), so a publisher
 * must know when to hold back.
 */
export const busLink = (nc: NatsConnection): BusLink => {
  const known = links.get(nc);
  if (known) return known;
  const listeners = new Set<() => void>();
  const link = {
    connected: !nc.isClosed(),
    reconnectedAt: 0,
    onReconnect: (listener: () => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  links.set(nc, link);
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === Events.Disconnect) link.connected = false;
      if (status.type === Events.Reconnect) {
        link.connected = true;
        link.reconnectedAt = Date.now();
        listeners.forEach((listener) => listener());
      }
    }
  })();
  return link;
};
