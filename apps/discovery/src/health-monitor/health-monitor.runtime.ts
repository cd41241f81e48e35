import type { NatsConnection } from 'nats';
import { ConnectionFeed } from './connection-feed';
import { HealthMonitor, type HealthMonitorSettings } from './health-monitor';
import { Membership } from './membership';
import type { ConnectivityProber, MonitorLogger, TransitionRequester } from './ports';

export interface RunningHealthMonitor {
  monitor: HealthMonitor;
  /** Leaves the membership first, so the other replicas take this one's share at once. */
  stop(): Promise<void>;
}

export interface HealthMonitorOptions {
  member: string;
  settings: HealthMonitorSettings;
  memberTtlMs: number;
  membersBucket?: string;
}

/** A monitor fed by `CONNECTION_EVENTS` and sharing the work with the replicas in the membership bucket. */
export const startHealthMonitor = async (
  nc: NatsConnection,
  options: HealthMonitorOptions,
  ports: { prober: ConnectivityProber; transitions: TransitionRequester },
  logger: MonitorLogger,
): Promise<RunningHealthMonitor> => {
  const monitor = new HealthMonitor(options.member, options.settings, ports.prober, ports.transitions, logger);
  const membership = await Membership.join(
    nc,
    options.member,
    { ttlMs: options.memberTtlMs, bucket: options.membersBucket },
    (members) => monitor.setMembers(members),
    logger,
  );
  const feed = await ConnectionFeed.start(nc, monitor, logger);
  return {
    monitor,
    async stop() {
      await membership.leave();
      await feed.stop();
      await monitor.stop();
    },
  };
};
