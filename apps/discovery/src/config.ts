/** Discovery's settings, from the environment (the table in docs/discovery.md). */
export interface DiscoveryConfig {
  natsUrl: string;
  /** Names this replica in NATS connection lists and logs. */
  instanceName: string;
  /** `kind=url` pairs found at start-up (`prometheus=http://127.0.0.1:9090,grafana=…`). */
  targets: Array<{ kind: string; url: string }>;
  /** The organization configured targets belong to. */
  organization: string;
  connectivityTimeoutMs: number;
  /** CREDENTIALS_MASTER_KEY: the vault's key, to read the secrets connectivity tests need. */
  credentialsMasterKey?: string;
  production: boolean;
  health: HealthMonitorConfig;
  /** SCAN_INTERVAL_MS: how often connected clusters are scanned for Prometheus and Grafana; 0 scans on demand only. */
  scanIntervalMs: number;
}

/** The health monitor's settings (docs/discovery.md, "Health monitor"). */
export interface HealthMonitorConfig {
  /** HEALTH_MONITOR=off leaves the connections unprobed (a replica that only discovers). */
  enabled: boolean;
  /** The cycle: every managed connection is probed once per interval. */
  intervalMs: number;
  /** How far each probe moves around its connection's place in the cycle, as a fraction of the interval. */
  jitter: number;
  /** Probes (with their transition requests) in flight at once in this replica. */
  concurrency: number;
  /** Consecutive failed probes before a connection is taken down (connected → disconnected, → not found). */
  failuresToDisconnect: number;
  /** Consecutive passed probes before it is brought up (→ registered, system-disconnected → connected). */
  successesToReconnect: number;
  /** A replica that stops renewing its membership for this long loses its share of the connections. */
  memberTtlMs: number;
}

const integer = (env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer of at least ${min}, not "${raw}"`);
  return value;
};

/** `prometheus=http://a:9090,grafana=http://b:3000`; a malformed entry stops the start with its reason. */
export const parseTargets = (raw: string | undefined): DiscoveryConfig['targets'] =>
  (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf('=');
      const [kind, url] = [entry.slice(0, at).trim(), entry.slice(at + 1).trim()];
      if (at <= 0 || !url) throw new Error(`DISCOVERY_TARGETS: "${entry}" is not kind=url`);
      return { kind, url };
    });

const healthFromEnv = (env: NodeJS.ProcessEnv): HealthMonitorConfig => {
  const jitterPercent = integer(env, 'HEALTH_JITTER_PERCENT', 10);
  // Past half the interval, a probe could land beyond its successor: the order of probes would be lost.
  if (jitterPercent > 40) throw new Error(`HEALTH_JITTER_PERCENT must be at most 40, not "${env.HEALTH_JITTER_PERCENT}"`);
  const monitor = (env.HEALTH_MONITOR || 'on').toLowerCase();
  if (monitor !== 'on' && monitor !== 'off') throw new Error(`HEALTH_MONITOR must be on or off, not "${env.HEALTH_MONITOR}"`);
  return {
    enabled: monitor === 'on',
    intervalMs: integer(env, 'HEALTH_INTERVAL_MS', 60_000, 100),
    jitter: jitterPercent / 100,
    concurrency: integer(env, 'HEALTH_CONCURRENCY', 256, 1),
    failuresToDisconnect: integer(env, 'HEALTH_FAILURES_TO_DISCONNECT', 2, 1),
    successesToReconnect: integer(env, 'HEALTH_SUCCESSES_TO_RECONNECT', 1, 1),
    memberTtlMs: integer(env, 'HEALTH_MEMBER_TTL_MS', 6000, 1000),
  };
};

export const configFromEnv = (env: NodeJS.ProcessEnv = process.env): DiscoveryConfig => ({
  natsUrl: env.NATS_URL || 'nats://127.0.0.1:4222',
  instanceName: env.INSTANCE_NAME || `discovery-${process.pid}`,
  targets: parseTargets(env.DISCOVERY_TARGETS),
  organization: env.DISCOVERY_ORGANIZATION || 'default',
  connectivityTimeoutMs: integer(env, 'CONNECTIVITY_TIMEOUT_MS', 5000, 1),
  credentialsMasterKey: env.CREDENTIALS_MASTER_KEY || undefined,
  production: env.NODE_ENV === 'production',
  health: healthFromEnv(env),
  scanIntervalMs: integer(env, 'SCAN_INTERVAL_MS', 300_000),
});
